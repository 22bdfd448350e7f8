// Pins the DELETE forms: DELETE VERTEX keeps edges unless WITH EDGE, DELETE TAG removes named tags
// or all of them, DELETE EDGE removes exactly the keyed edges.
import { afterEach, describe, expect, it } from 'vitest';
import { refused, runAll, seedHarness, table, type Harness } from './data-setup.ts';

let h: Harness | undefined;
afterEach(() => h?.close());

const setup = [
  'CREATE TAG team(name string)',
  'INSERT VERTEX player(name, age), team(name) VALUES "a":("Ann", 30, "A-team"), "b":("Bob", 31, "B-team")',
  'INSERT EDGE follow(degree) VALUES "a" -> "b":(1), "b" -> "a":(2), "b" -> "c":(3)',
];
const edges = async (hh: Harness, from: string) =>
  (await table(hh, `GO FROM "${from}" OVER follow BIDIRECT YIELD src(edge) AS s, dst(edge) AS d`)).rows;

describe('DELETE', () => {
  it('DELETE VERTEX removes the tags and keeps the edges', async () => {
    h = await seedHarness(setup);
    await runAll(h, 'DELETE VERTEX "a"');
    expect((await table(h, 'FETCH PROP ON * "a" YIELD id(vertex)')).rows).toEqual([]);
    expect(await edges(h, 'a')).toHaveLength(2);
  });

  it('DELETE VERTEX WITH EDGE removes its out and in edges too', async () => {
    h = await seedHarness(setup);
    await runAll(h, 'DELETE VERTEX "a" WITH EDGE');
    expect(await edges(h, 'a')).toEqual([]);
    expect(await edges(h, 'b')).toEqual([['b', 'c']]);
    expect((await table(h, 'FETCH PROP ON player "b" YIELD player.name')).rows).toEqual([['Bob']]);
  });

  it('DELETE TAG removes the named tag only, and * removes every tag', async () => {
    h = await seedHarness(setup);
    await runAll(h, 'DELETE TAG team FROM "a"');
    expect((await table(h, 'FETCH PROP ON * "a" YIELD tags(vertex) AS t')).rows).toEqual([[{ kind: 'list', values: ['player'] }]]);
    await runAll(h, 'DELETE TAG * FROM "b"');
    expect((await table(h, 'FETCH PROP ON * "b" YIELD id(vertex)')).rows).toEqual([]);
    expect(await refused(h, 'DELETE TAG nosuch FROM "a"')).toEqual({ code: -1005, message: 'TagNotFound: TagName `nosuch`' });
  });

  it('DELETE EDGE removes exactly the keyed edges', async () => {
    h = await seedHarness([...setup, 'INSERT EDGE follow(degree) VALUES "a" -> "b"@5:(9)']);
    await runAll(h, 'DELETE EDGE follow "a" -> "b", "b" -> "c"');
    expect((await table(h, 'GO FROM "a" OVER follow YIELD rank(edge) AS r')).rows).toEqual([[5n]]);
    expect((await table(h, 'GO FROM "b" OVER follow YIELD dst(edge) AS d')).rows).toEqual([['a']]);
    expect(await refused(h, 'DELETE EDGE nosuch "a" -> "b"')).toEqual({ code: -1005, message: 'EdgeNotFound: EdgeName `nosuch`' });
  });
});
