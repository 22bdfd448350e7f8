// Pins FETCH: YIELD is required, a vertex carries only the requested tags, vertices lacking them
// and absent edges give no row, edge accessors answer the stored edge, and a statement's result
// is bounded (the projector refuses rows past its bound).
import { afterEach, describe, expect, it } from 'vitest';
import { Projector } from '../../../../src/executor/data/projection.ts';
import { EMPTY, mapOf } from '../../../../src/value/types.ts';
import { refused, seedHarness, table, type Harness } from './data-setup.ts';

let h: Harness | undefined;
afterEach(() => h?.close());

const setup = [
  'CREATE TAG team(name string)',
  'INSERT VERTEX player(name, age) VALUES "a":("Ann", 30)',
  'INSERT VERTEX team(name) VALUES "t":("Spurs")',
  'INSERT EDGE follow(degree) VALUES "a" -> "t"@3:(77)',
];

describe('FETCH PROP ON tags', () => {
  it('requires YIELD', async () => {
    h = await seedHarness(setup);
    expect(await refused(h, 'FETCH PROP ON player "a"')).toEqual({ code: -1009, message: 'SemanticError: Missing yield clause.' });
  });

  it('skips vertices without the tags and answers EMPTY for a requested tag a vertex lacks', async () => {
    h = await seedHarness(setup);
    expect((await table(h, 'FETCH PROP ON player "a", "t", "nobody" YIELD id(vertex) AS id')).rows).toEqual([['a']]);
    const both = await table(h, 'FETCH PROP ON player, team "a", "t" YIELD id(vertex) AS id, team.name AS team, properties(vertex) AS p');
    expect(both.rows).toEqual([
      ['a', EMPTY, mapOf([['name', 'Ann'], ['age', 30n]])],
      ['t', 'Spurs', mapOf([['name', 'Spurs']])],
    ]);
  });

  it('answers the vertex value and refuses unknown tags and props', async () => {
    h = await seedHarness(setup);
    const v = await table(h, 'FETCH PROP ON player "a" YIELD vertex AS v');
    expect(v.rows).toEqual([[{ kind: 'vertex', vid: 'a', tags: [{ name: 'player', props: new Map<string, unknown>([['name', 'Ann'], ['age', 30n]]) }] }]]);
    expect(await refused(h, 'FETCH PROP ON nosuch "a" YIELD vertex')).toEqual({ code: -1005, message: 'TagNotFound: TagName `nosuch`' });
    expect((await refused(h, 'FETCH PROP ON player "a" YIELD player.agee')).message).toBe(
      "SemanticError: `player.agee', not found the property `agee'",
    );
  });
});

describe('FETCH PROP ON edge', () => {
  it('answers the edge, its endpoints, rank and props', async () => {
    h = await seedHarness(setup);
    const out = await table(
      h,
      'FETCH PROP ON follow "a" -> "t"@3, "a" -> "t" YIELD src(edge) AS s, dst(edge) AS d, rank(edge) AS r, type(edge) AS ty, properties(edge) AS p, follow._dst AS dd',
    );
    expect(out.rows).toEqual([['a', 't', 3n, 'follow', mapOf([['degree', 77n]]), 't']]);
    expect(await refused(h, 'FETCH PROP ON follow "a" -> "t"')).toEqual({ code: -1009, message: 'SemanticError: Missing yield clause.' });
  });
});

describe('result bound', () => {
  it('refuses a row past the bound', () => {
    const p = new Projector({ distinct: false, columns: [{ expr: { kind: 'literal', value: 1n }, text: '1' }] }, 2);
    expect(p.add({})).toBeUndefined();
    expect(p.add({})).toBeUndefined();
    expect(p.add({})?.code).toBe(-1005);
    expect(p.result().rows).toHaveLength(2);
  });
});
