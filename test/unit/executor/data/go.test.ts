// Pins GO: one and several steps, M TO N ranges, REVERSELY and BIDIRECT (edges yielded as walked),
// WHERE over edge and vertex props, $^/$$ props, and the refusals for unknown edges and a missing
// YIELD.
import { afterEach, describe, expect, it } from 'vitest';
import { EMPTY } from '../../../../src/value/types.ts';
import { refused, seedHarness, table, type Harness } from './data-setup.ts';

let h: Harness | undefined;
afterEach(() => h?.close());

// a -> b -> c -> d, and a -> c; plus a `like` edge b -> a.
const graph = [
  'CREATE EDGE like(likeness int)',
  'INSERT VERTEX player(name, age) VALUES "a":("Ann", 30), "b":("Bob", 31), "c":("Cat", 32), "d":("Dan", 33)',
  'INSERT EDGE follow(degree) VALUES "a" -> "b":(10), "b" -> "c":(20), "c" -> "d":(30), "a" -> "c":(40)',
  'INSERT EDGE like(likeness) VALUES "b" -> "a":(99)',
];
const sorted = (rows: readonly (readonly unknown[])[]) => [...rows].map((r) => r.join('|')).sort();

describe('GO', () => {
  it('yields the last step only for N STEPS', async () => {
    h = await seedHarness(graph);
    expect(sorted((await table(h, 'GO FROM "a" OVER follow YIELD dst(edge)')).rows)).toEqual(['b', 'c']);
    expect(sorted((await table(h, 'GO 2 STEPS FROM "a" OVER follow YIELD src(edge), dst(edge)')).rows)).toEqual(['b|c', 'c|d']);
    expect((await table(h, 'GO 3 STEPS FROM "a" OVER follow YIELD dst(edge)')).rows).toEqual([['d']]);
  });

  it('yields every step from M to N', async () => {
    h = await seedHarness(graph);
    const out = await table(h, 'GO 1 TO 2 STEPS FROM "a" OVER follow YIELD dst(edge) AS d');
    expect(out.columns).toEqual(['d']);
    expect(sorted(out.rows)).toEqual(['b', 'c', 'c', 'd']);
  });

  it('walks in-edges with REVERSELY, src(edge) being the vertex walked from', async () => {
    h = await seedHarness(graph);
    const out = await table(h, 'GO FROM "c" OVER follow REVERSELY YIELD src(edge) AS s, dst(edge) AS d, $$.player.name AS n');
    expect(sorted(out.rows)).toEqual(['c|a|Ann', 'c|b|Bob']);
  });

  it('walks both ways with BIDIRECT and over several edge types', async () => {
    h = await seedHarness(graph);
    expect(sorted((await table(h, 'GO FROM "b" OVER follow BIDIRECT YIELD dst(edge)')).rows)).toEqual(['a', 'c']);
    const all = await table(h, 'GO FROM "b" OVER * YIELD type(edge) AS t, dst(edge) AS d, like.likeness AS l');
    expect(all.rows).toContainEqual(['like', 'a', 99n]);
    expect(all.rows).toContainEqual(['follow', 'c', EMPTY]);
  });

  it('filters yielded edges with WHERE over edge and vertex props', async () => {
    h = await seedHarness(graph);
    const out = await table(h, 'GO FROM "a" OVER follow WHERE follow.degree > 15 AND $$.player.age >= 32 YIELD $^.player.name AS f, $$.player.name AS t, follow.degree AS dg');
    expect(out).toEqual({ columns: ['f', 't', 'dg'], rows: [['Ann', 'Cat', 40n]] });
  });

  it('answers properties of the edge and of $$, and DISTINCT dedups', async () => {
    h = await seedHarness(graph);
    const out = await table(h, 'GO FROM "a" OVER follow WHERE dst(edge) == "b" YIELD properties(edge) AS p, properties($$) AS q');
    expect(out.rows).toEqual([
      [
        { kind: 'map', entries: new Map([['degree', 10n]]) },
        { kind: 'map', entries: new Map<string, unknown>([['name', 'Bob'], ['age', 31n]]) },
      ],
    ]);
    expect((await table(h, 'GO 1 TO 2 STEPS FROM "a" OVER follow YIELD DISTINCT dst(edge)')).rows).toHaveLength(3);
  });

  it('refuses an unknown edge, a missing YIELD and an unknown prop', async () => {
    h = await seedHarness(graph);
    expect(await refused(h, 'GO FROM "a" OVER nosuch YIELD dst(edge)')).toEqual({
      code: -1005,
      message: 'EdgeNotFound: EdgeName `nosuch`',
    });
    expect(await refused(h, 'GO FROM "a" OVER follow')).toEqual({ code: -1009, message: 'SemanticError: Missing yield clause.' });
    expect(await refused(h, 'GO FROM "a" OVER follow YIELD $^.player.agee')).toEqual({
      code: -1009,
      message: "SemanticError: `$^.player.agee', not found the property `agee'",
    });
  });
});
