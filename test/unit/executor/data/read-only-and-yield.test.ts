// Pins two edges of the data statements: a read_only space refuses every client data write with
// the read-only error (and still answers reads), and YIELD needs no space, names its columns by
// text or alias, honours WHERE and DISTINCT.
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness } from '../../../helpers/exec-harness.ts';
import { refused, runAll, seedHarness, table, type Harness } from './data-setup.ts';

let h: Harness | undefined;
afterEach(() => h?.close());

const READ_ONLY = { code: -1005, message: "ReadOnly: Space `nba' is read only, client writes are refused." };

describe('read_only', () => {
  it('refuses INSERT, UPDATE, UPSERT and DELETE, changing nothing', async () => {
    h = await seedHarness([
      'INSERT VERTEX player(name, age) VALUES "a":("Ann", 30)',
      'INSERT EDGE follow(degree) VALUES "a" -> "b":(1)',
      'SET VARIABLES read_only=true',
    ]);
    for (const stmt of [
      'INSERT VERTEX player(name, age) VALUES "z":("Zed", 1)',
      'INSERT EDGE follow(degree) VALUES "a" -> "z":(1)',
      'UPDATE VERTEX ON player "a" SET age = 1',
      'UPSERT EDGE ON follow "a" -> "b" SET degree = 5',
      'DELETE VERTEX "a" WITH EDGE',
      'DELETE TAG player FROM "a"',
      'DELETE EDGE follow "a" -> "b"',
    ]) {
      expect(await refused(h, stmt)).toEqual(READ_ONLY);
    }
    expect((await table(h, 'FETCH PROP ON player "a", "z" YIELD player.age')).rows).toEqual([[30n]]);
    expect((await table(h, 'GO FROM "a" OVER follow YIELD follow.degree')).rows).toEqual([[1n]]);
    await runAll(h, 'SET VARIABLES read_only=false', 'UPDATE VERTEX ON player "a" SET age = 31');
    expect((await table(h, 'FETCH PROP ON player "a" YIELD player.age')).rows).toEqual([[31n]]);
  });
});

describe('YIELD', () => {
  it('answers YIELD 1 without a space', async () => {
    h = createHarness();
    expect(await table(h, 'YIELD 1')).toEqual({ columns: ['1'], rows: [[1n]] });
  });

  it('names columns by alias, and WHERE false gives no row', async () => {
    h = createHarness();
    expect(await table(h, 'YIELD 1 + 2 AS three, "a" + "b" AS ab')).toEqual({ columns: ['three', 'ab'], rows: [[3n, 'ab']] });
    expect((await table(h, 'YIELD 1 AS one WHERE 1 > 2')).rows).toEqual([]);
    expect((await table(h, 'YIELD DISTINCT 1 AS one WHERE 2 > 1')).rows).toEqual([[1n]]);
  });

  it('refuses an unknown function', async () => {
    h = createHarness();
    expect(await refused(h, 'YIELD nosuch(1)')).toEqual({ code: -1009, message: "SemanticError: Function `nosuch' not defined" });
  });
});
