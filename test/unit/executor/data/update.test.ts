// Pins UPDATE and UPSERT of vertices and edges: SET sees the old row, WHEN guards the change and
// still yields the unchanged row, UPSERT inserts a missing row from defaults, type errors refuse,
// and a missing row is NebulaGraph's "Vertex or edge not found".
import { afterEach, describe, expect, it } from 'vitest';
import { refused, runAll, seedHarness, table, type Harness } from './data-setup.ts';

let h: Harness | undefined;
afterEach(() => h?.close());

const player = (vid: string) => `FETCH PROP ON player "${vid}" YIELD player.name, player.age`;

describe('UPDATE VERTEX', () => {
  it('evaluates SET on the old row and yields the new one', async () => {
    h = await seedHarness(['INSERT VERTEX player(name, age) VALUES "a":("Ann", 30)']);
    const out = await table(h, 'UPDATE VERTEX ON player "a" SET age = age + 1, name = name + toString(age) YIELD name AS n, player.age AS a');
    expect(out).toEqual({ columns: ['n', 'a'], rows: [['Ann30', 31n]] });
    expect((await table(h, player('a'))).rows).toEqual([['Ann30', 31n]]);
  });

  it('changes nothing when WHEN is false, and yields the unchanged row', async () => {
    h = await seedHarness(['INSERT VERTEX player(name, age) VALUES "a":("Ann", 30)']);
    const out = await table(h, 'UPDATE VERTEX ON player "a" SET age = 99 WHEN age > 50 YIELD age');
    expect(out.rows).toEqual([[30n]]);
    expect((await table(h, player('a'))).rows).toEqual([['Ann', 30n]]);
    await runAll(h, 'UPDATE VERTEX ON player "a" SET age = 99 WHEN player.age == 30');
    expect((await table(h, player('a'))).rows).toEqual([['Ann', 99n]]);
  });

  it('refuses a missing vertex, an unknown prop and a wrong type, changing nothing', async () => {
    h = await seedHarness(['INSERT VERTEX player(name, age) VALUES "a":("Ann", 30)']);
    expect(await refused(h, 'UPDATE VERTEX ON player "zz" SET age = 1')).toEqual({
      code: -1005,
      message: 'Storage Error: Vertex or edge not found.',
    });
    expect((await refused(h, 'UPDATE VERTEX ON player "a" SET nick = 1')).code).toBe(-1009);
    expect((await refused(h, 'UPDATE VERTEX ON player "a" SET age = "old"')).message).toBe(
      'Storage Error: The data type does not meet the requirements. Use the correct type of data.',
    );
    expect((await refused(h, 'UPDATE VERTEX ON nosuch "a" SET age = 1')).message).toBe('TagNotFound: TagName `nosuch`');
    expect((await table(h, player('a'))).rows).toEqual([['Ann', 30n]]);
    expect((await table(h, player('zz'))).rows).toEqual([]);
  });

  it('UPSERT inserts a missing vertex from defaults and the SET values', async () => {
    h = await seedHarness(['CREATE TAG t2(x int DEFAULT 5, y int)']);
    const out = await table(h, 'UPSERT VERTEX ON t2 "n" SET y = x + 1 YIELD x, y');
    expect(out.rows).toEqual([[5n, 6n]]);
    expect((await table(h, 'FETCH PROP ON t2 "n" YIELD t2.x, t2.y')).rows).toEqual([[5n, 6n]]);
    await runAll(h, 'UPSERT VERTEX ON t2 "n" SET x = x * 10');
    expect((await table(h, 'FETCH PROP ON t2 "n" YIELD t2.x, t2.y')).rows).toEqual([[50n, 6n]]);
  });

  it('UPSERT refuses a NOT NULL prop left without a value', async () => {
    h = await seedHarness(['CREATE TAG strict(x int NOT NULL, y int)']);
    expect((await refused(h, 'UPSERT VERTEX ON strict "n" SET y = 1')).message).toBe(
      "Storage Error: The not null field doesn't have a default value.",
    );
    expect((await table(h, 'FETCH PROP ON strict "n" YIELD strict.y')).rows).toEqual([]);
  });
});

describe('UPDATE EDGE', () => {
  it('updates an edge prop through its name and bare names', async () => {
    h = await seedHarness(['INSERT EDGE follow(degree) VALUES "a" -> "b":(90)']);
    const out = await table(h, 'UPDATE EDGE ON follow "a" -> "b" SET degree = follow.degree + 5 YIELD degree, src(edge) AS s');
    expect(out).toEqual({ columns: ['degree', 's'], rows: [[95n, 'a']] });
    expect((await table(h, 'FETCH PROP ON follow "a" -> "b" YIELD follow.degree')).rows).toEqual([[95n]]);
  });

  it('refuses a missing edge and upserts it with UPSERT', async () => {
    h = await seedHarness();
    expect((await refused(h, 'UPDATE EDGE ON follow "a" -> "b"@1 SET degree = 1')).message).toBe(
      'Storage Error: Vertex or edge not found.',
    );
    await runAll(h, 'UPSERT EDGE ON follow "a" -> "b"@1 SET degree = 7');
    expect((await table(h, 'FETCH PROP ON follow "a" -> "b"@1 YIELD follow.degree')).rows).toEqual([[7n]]);
  });

  it('WHEN false leaves the edge as it was', async () => {
    h = await seedHarness(['INSERT EDGE follow(degree) VALUES "a" -> "b":(90)']);
    await runAll(h, 'UPDATE EDGE ON follow "a" -> "b" SET degree = 1 WHEN degree < 10');
    expect((await table(h, 'FETCH PROP ON follow "a" -> "b" YIELD follow.degree')).rows).toEqual([[90n]]);
  });
});
