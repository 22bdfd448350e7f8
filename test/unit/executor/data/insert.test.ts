// Pins INSERT VERTEX / INSERT EDGE: writes and replaces whole rows, defaults and NOT NULL, IF NOT
// EXISTS, and every refusal with its code and message, each one changing nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { mapOf } from '../../../../src/value/types.ts';
import { createHarness } from '../../../helpers/exec-harness.ts';
import { refused, runAll, seedHarness, table, type Harness } from './data-setup.ts';

let h: Harness | undefined;
afterEach(() => h?.close());

const MISMATCH = 'Storage Error: The data type does not meet the requirements. Use the correct type of data.';
const fetchAll = 'FETCH PROP ON player "a", "b", "c" YIELD id(vertex) AS id, player.name, player.age';

describe('INSERT VERTEX', () => {
  it('refuses a write whose WAL entry in one partition would pass limits.walEntryBytesMax, and writes nothing of it', async () => {
    // Every row carries its prop names: 16 names of 60 characters make each row about 1 KB
    // encoded from about 40 bytes of text, so a 1.7 MB statement makes a 40 MB entry.
    const names = Array.from({ length: 16 }, (_, i) => `p${i}_`.padEnd(60, 'x'));
    h = await seedHarness([
      'CREATE SPACE one(partition_num=1, replica_factor=1, vid_type=fixed_string(30))',
      'USE one',
      `CREATE TAG wide(${names.map((n) => `${n} int`).join(', ')})`,
    ]);
    const insert = (rows: number): string =>
      `INSERT VERTEX wide(${names.join(', ')}) VALUES ${Array.from({ length: rows }, (_, i) => `"v${i}":(${names.map(() => '1').join(',')})`).join(', ')}`;
    const e = await refused(h, insert(40_000));
    expect(e.code).toBe(-1005);
    expect(e.message).toMatch(/^Storage Error: The write is too large: the write makes a WAL entry of \d+ bytes in partition 1, more than 16777216\./);
    expect((await table(h, `FETCH PROP ON wide "v0", "v39999" YIELD id(vertex)`)).rows).toEqual([]);
    await runAll(h, insert(1_000));
    expect((await table(h, `FETCH PROP ON wide "v0", "v999" YIELD id(vertex)`)).rows).toHaveLength(2);
  });

  it('inserts rows and replaces them on a second insert', async () => {
    h = await seedHarness();
    await runAll(h, 'INSERT VERTEX player(name, age) VALUES "a":("Ann", 30), "b":("Bob", 31)');
    await runAll(h, 'INSERT VERTEX player(name, age) VALUES "a":("Ann", 40)');
    expect(await table(h, fetchAll)).toEqual({
      columns: ['id', 'player.name', 'player.age'],
      rows: [
        ['a', 'Ann', 40n],
        ['b', 'Bob', 31n],
      ],
    });
  });

  it('fills unlisted props with their DEFAULT or NULL', async () => {
    h = await seedHarness(['CREATE TAG t2(x int DEFAULT 7, y string NULL, z double)']);
    await runAll(h, 'INSERT VERTEX t2(z) VALUES "a":(1)');
    expect(await table(h, 'FETCH PROP ON t2 "a" YIELD properties(vertex)')).toEqual({
      columns: ['properties(VERTEX)'],
      rows: [[mapOf([['x', 7n], ['y', null], ['z', 1]])]],
    });
  });

  it('refuses an unlisted NOT NULL prop without a default', async () => {
    h = await seedHarness(['CREATE TAG strict(x int NOT NULL, y int)']);
    const e = await refused(h, 'INSERT VERTEX strict(y) VALUES "a":(1)');
    expect(e).toEqual({ code: -1005, message: "Storage Error: The not null field doesn't have a default value." });
  });

  it('skips existing rows with IF NOT EXISTS', async () => {
    h = await seedHarness();
    await runAll(h, 'INSERT VERTEX player(name, age) VALUES "a":("Ann", 30)');
    await runAll(h, 'INSERT VERTEX IF NOT EXISTS player(name, age) VALUES "a":("Other", 1), "b":("Bob", 31)');
    expect((await table(h, fetchAll)).rows).toEqual([
      ['a', 'Ann', 30n],
      ['b', 'Bob', 31n],
    ]);
  });

  it('writes several tags of one vertex', async () => {
    h = await seedHarness(['CREATE TAG team(name string)']);
    await runAll(h, 'INSERT VERTEX player(name, age), team(name) VALUES "a":("Ann", 30, "Spurs")');
    expect(await table(h, 'FETCH PROP ON * "a" YIELD player.name, team.name, tags(vertex)')).toEqual({
      columns: ['player.name', 'team.name', 'tags(VERTEX)'],
      rows: [['Ann', 'Spurs', { kind: 'list', values: ['player', 'team'] }]],
    });
  });

  const refusals: [string, string, { code: number; message: string }][] = [
    ['a wrong property type', '"c":("Cat", "old")', { code: -1005, message: MISMATCH }],
    [
      'a vid longer than FIXED_STRING(30)',
      `"${'x'.repeat(31)}":("Cat", 3)`,
      {
        code: -1005,
        message: 'Storage Error: The VID must be a 64-bit integer or a string fitting space vertex id length limit.',
      },
    ],
    ['too few values', '"c":("Cat")', { code: -1009, message: "SemanticError: Column count doesn't match value count." }],
    ['too many values', '"c":("Cat", 3, 4)', { code: -1009, message: "SemanticError: Column count doesn't match value count." }],
    ['an int vid in a string space', '3:("Cat", 3)', { code: -1009, message: "SemanticError: `3', the vid should be type of FIXED_STRING, but was`INT'" }],
  ];
  for (const [what, badRow, error] of refusals) {
    it(`refuses ${what} and writes none of the rows`, async () => {
      h = await seedHarness();
      const e = await refused(h, `INSERT VERTEX player(name, age) VALUES "a":("Ann", 30), ${badRow}, "b":("Bob", 31)`);
      expect(e).toEqual(error);
      expect((await table(h, fetchAll)).rows).toEqual([]);
    });
  }

  it('refuses an unknown tag and an unknown prop', async () => {
    h = await seedHarness();
    expect(await refused(h, 'INSERT VERTEX nosuch(name) VALUES "a":("Ann")')).toEqual({
      code: -1005,
      message: 'TagNotFound: TagName `nosuch`',
    });
    expect((await refused(h, 'INSERT VERTEX player(nick) VALUES "a":("Ann")')).code).toBe(-1009);
    expect((await table(h, fetchAll)).rows).toEqual([]);
  });

  it('refuses a string vid in an INT64 space', async () => {
    h = createHarness();
    await runAll(h, 'ADD HOSTS 127.0.0.1:9779', 'CREATE SPACE ints(partition_num=3, vid_type=INT64)', 'USE ints', 'CREATE TAG t(x int)');
    expect(await refused(h, 'INSERT VERTEX t(x) VALUES "a":(1)')).toEqual({
      code: -1009,
      message: "SemanticError: `\"a\"', the vid should be type of INT64, but was`STRING'",
    });
    await runAll(h, 'INSERT VERTEX t(x) VALUES 7:(1)');
    expect((await table(h, 'FETCH PROP ON t 7 YIELD t.x')).rows).toEqual([[1n]]);
  });

  it('refuses without a chosen space, and in a space that is gone', async () => {
    h = createHarness();
    expect(await refused(h, 'INSERT VERTEX t(x) VALUES "a":(1)')).toEqual({
      code: -1009,
      message: 'SemanticError: Space was not chosen.',
    });
    await runAll(h, 'ADD HOSTS 127.0.0.1:9779', 'CREATE SPACE s1(vid_type=fixed_string(8))', 'USE s1', 'DROP SPACE s1');
    expect(await refused(h, 'INSERT VERTEX t(x) VALUES "a":(1)')).toEqual({
      code: -1005,
      message: 'SpaceNotFound: Space not existed!',
    });
  });
});

describe('INSERT EDGE', () => {
  it('writes edges keyed by src, dst and rank, rank 0 by default', async () => {
    h = await seedHarness();
    await runAll(h, 'INSERT EDGE follow(degree) VALUES "a" -> "b":(1), "a" -> "b"@2:(2), "a" -> "b":(3)');
    expect(await table(h, 'FETCH PROP ON follow "a" -> "b", "a" -> "b"@2 YIELD rank(edge) AS r, follow.degree AS d')).toEqual({
      columns: ['r', 'd'],
      rows: [
        [0n, 3n],
        [2n, 2n],
      ],
    });
  });

  it('refuses an unknown edge, a wrong type and a wrong count, writing nothing', async () => {
    h = await seedHarness();
    expect(await refused(h, 'INSERT EDGE nosuch(degree) VALUES "a" -> "b":(1)')).toEqual({
      code: -1005,
      message: 'EdgeNotFound: EdgeName `nosuch`',
    });
    expect((await refused(h, 'INSERT EDGE follow(degree) VALUES "a" -> "b":(1), "a" -> "c":("x")')).message).toBe(MISMATCH);
    expect((await refused(h, 'INSERT EDGE follow(degree) VALUES "a" -> "b":(1), "a" -> "c":(1, 2)')).code).toBe(-1009);
    expect((await table(h, 'GO FROM "a" OVER follow YIELD dst(edge)')).rows).toEqual([]);
  });

  it('skips existing edges with IF NOT EXISTS', async () => {
    h = await seedHarness();
    await runAll(h, 'INSERT EDGE follow(degree) VALUES "a" -> "b":(1)');
    await runAll(h, 'INSERT EDGE IF NOT EXISTS follow(degree) VALUES "a" -> "b":(9)');
    expect((await table(h, 'FETCH PROP ON follow "a" -> "b" YIELD follow.degree')).rows).toEqual([[1n]]);
  });
});
