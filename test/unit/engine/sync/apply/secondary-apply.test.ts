// Pins what a secondary does with ApplyData and ApplySchema over gRPC: schema then rows land,
// replays converge, gaps / missing schemas / foreign sources / unknown drainers change nothing,
// and the position moves only together with the rows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { partOfString } from '../../../../../src/engine/storage/partition-of.ts';
import { PURGE_BATCH_OPS } from '../../../../../src/engine/sync/apply/partition-purge.ts';
import { encodeWalEntry } from '../../../../../src/engine/wal/wal-codec.ts';
import {
  apply,
  dataBatch,
  putFollow,
  putPlayer,
  schemaBatch,
  schemaChange,
  sourceOf,
  startSecondary,
  syncBaseSchema,
  type Secondary,
} from './secondary-fixture.ts';

let s: Secondary;
beforeEach(async () => {
  s = await startSecondary();
});
afterEach(async () => {
  await s.close();
});

/** A vid of source partition `part` (15 source partitions): `prefix` plus a counter. */
function vidsOfPart(part: number, count: number, prefix = 'v'): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) if (partOfString(`${prefix}${i}`, 15) === part) out.push(`${prefix}${i}`);
  return out;
}

async function ageOf(vid: string): Promise<unknown> {
  const rows = await s.rows(`FETCH PROP ON player "${vid}" YIELD player.age AS age`);
  return rows.length === 0 ? undefined : rows[0]![0];
}

async function positionOf(part: number) {
  const answer = await apply(s, { part }, { position_only: true });
  expect(answer.code).toBe(0);
  return answer.position!;
}

describe('ApplySchema and ApplyData', () => {
  it('take the schema, then rows that every read path sees, and answer the position', async () => {
    await syncBaseSchema(s);
    expect(await s.rows('SHOW TAGS')).toEqual([['player']]);
    expect(await s.rows('SHOW EDGES')).toEqual([['follow']]);
    expect((await positionOf(0)).applied_log_id).toBe('2');

    const [a, b] = vidsOfPart(3, 2);
    const answer = await apply(s, { part: 3 }, { batch: dataBatch(1, [[putPlayer(a!, 'A', 10), putPlayer(b!, 'B', 20)], [putFollow(a!, b!, 90)]]) });
    expect(answer).toMatchObject({ code: 0, position: { applied_log_id: '2', applied_ts: '1002', needs_snapshot: false } });
    expect(await ageOf(a!)).toBe(10n);
    expect(await s.rows(`GO FROM "${a}" OVER follow YIELD dst(edge), follow.degree`)).toEqual([[b, 90n]]);
    expect(await positionOf(3)).toEqual({ applied_log_id: '2', applied_ts: '1002', needs_snapshot: false });
  });

  it('skip entries already applied, so a replayed or overlapping batch converges', async () => {
    await syncBaseSchema(s);
    const [a, b] = vidsOfPart(5, 2);
    const first = dataBatch(1, [[putPlayer(a!, 'A', 10)], [putPlayer(a!, 'A', 20)], [putPlayer(a!, 'A', 30)]]);
    expect((await apply(s, { part: 5 }, { batch: first })).code).toBe(0);
    const replay = dataBatch(1, [[putPlayer(a!, 'A', 10)], [putPlayer(a!, 'A', 99)]]);
    expect(await apply(s, { part: 5 }, { batch: replay })).toMatchObject({ code: 0, position: { applied_log_id: '3' } });
    expect(await ageOf(a!)).toBe(30n);
    const overlap = dataBatch(3, [[putPlayer(a!, 'A', 77)], [putPlayer(b!, 'B', 40)]]);
    expect(await apply(s, { part: 5 }, { batch: overlap })).toMatchObject({ code: 0, position: { applied_log_id: '4' } });
    expect(await ageOf(a!)).toBe(30n);
    expect(await ageOf(b!)).toBe(40n);
  });

  it('refuse a batch that starts after applied + 1 and apply nothing of it', async () => {
    await syncBaseSchema(s);
    const [a, b] = vidsOfPart(2, 2);
    expect((await apply(s, { part: 2 }, { batch: dataBatch(1, [[putPlayer(a!, 'A', 1)]]) })).code).toBe(0);
    const gap = await apply(s, { part: 2 }, { batch: dataBatch(3, [[putPlayer(b!, 'B', 2)]]) });
    expect(gap).toMatchObject({ code: -4001, position: { applied_log_id: '1' } });
    expect(await ageOf(b!)).toBeUndefined();
    const schemaGap = await apply(s, { part: 0 }, { batch: schemaBatch(5, 5, [schemaChange(5, 'player', 1)]) });
    expect(schemaGap).toMatchObject({ code: -4001, position: { applied_log_id: '2' } });
  });

  it('refuse a batch with a hole inside its range, or one that stops short of its last log id', async () => {
    await syncBaseSchema(s);
    const [a, b] = vidsOfPart(4, 2);
    const holed = dataBatch(1, [[putPlayer(a!, 'A', 1)], [putPlayer(b!, 'B', 2)], [putPlayer(b!, 'B', 3)]]);
    const withHole = { ...holed, entries: [holed.entries[0]!, holed.entries[2]!] };
    expect(await apply(s, { part: 4 }, { batch: withHole })).toMatchObject({ code: -4008 });
    const short = { ...holed, entries: holed.entries.slice(0, 2) };
    expect(await apply(s, { part: 4 }, { batch: short })).toMatchObject({ code: -4008 });
    expect(await ageOf(a!)).toBeUndefined();
    expect((await apply(s, { part: 4 }, { batch: holed })).position).toMatchObject({ applied_log_id: '3' });
    expect(await ageOf(b!)).toBe(3n);
  });

  it('hold data written with a schema the target lacks (E_SCHEMA_PENDING) until ApplySchema brings it', async () => {
    const [a] = vidsOfPart(1, 1);
    const early = dataBatch(1, [[putPlayer(a!, 'A', 10)]]);
    const pending = await apply(s, { part: 1 }, { batch: early });
    expect(pending).toMatchObject({ code: -4009, position: { applied_log_id: '0' } });
    await syncBaseSchema(s);
    expect((await apply(s, { part: 1 }, { batch: early })).code).toBe(0);
    expect(await ageOf(a!)).toBe(10n);

    // A row written with version 1 waits for the ALTER that made version 1.
    const altered = { op: 'putTag', vid: a!, tagId: 11, ver: 1, props: { name: 'A', age: 11n, team: 'T' } } as const;
    expect((await apply(s, { part: 1 }, { batch: dataBatch(2, [[altered]]) })).code).toBe(-4009);
    expect(await ageOf(a!)).toBe(10n);
    const alter = schemaChange(3, 'player', 1, [{ name: 'team', type: { name: 'string' }, nullable: true }]);
    expect((await apply(s, { part: 0 }, { batch: schemaBatch(3, 3, [alter]) })).code).toBe(0);
    expect((await apply(s, { part: 1 }, { batch: dataBatch(2, [[altered]]) })).code).toBe(0);
    expect(await s.rows(`FETCH PROP ON player "${a}" YIELD player.team, player.age`)).toEqual([['T', 11n]]);
  });

  it('route 15 source partitions into the 7-partition target, every row readable', async () => {
    await syncBaseSchema(s);
    const vids = Array.from({ length: 90 }, (_, i) => `p${i}`);
    for (let part = 1; part <= 15; part++) {
      const mine = vids.filter((v) => partOfString(v, 15) === part);
      const ops = mine.flatMap((v) => [putPlayer(v, v.toUpperCase(), Number(v.slice(1))), putFollow(v, `p${(Number(v.slice(1)) + 1) % 90}`, 1)]);
      const answer = await apply(s, { part }, { batch: dataBatch(1, [ops]) });
      expect(answer.code, answer.message).toBe(0);
    }
    const fetched = await s.rows(`FETCH PROP ON player ${vids.map((v) => `"${v}"`).join(', ')} YIELD id(vertex), player.age`);
    expect(fetched.map((r) => r[0]).sort()).toEqual([...vids].sort());
    for (const v of ['p0', 'p17', 'p89']) {
      const next = `p${(Number(v.slice(1)) + 1) % 90}`;
      expect(await s.rows(`GO FROM "${v}" OVER follow YIELD dst(edge)`)).toEqual([[next]]);
      expect(await s.rows(`GO FROM "${next}" OVER follow REVERSELY YIELD dst(edge)`)).toEqual([[v]]);
    }
  });

  it('replace a source partition with a snapshot: rows absent from it are gone, other partitions untouched', async () => {
    await syncBaseSchema(s);
    const [a1, a2, a3] = vidsOfPart(4, 3, 'a');
    const [b1] = vidsOfPart(9, 1, 'b');
    const rows = [[putPlayer(a1!, 'A1', 1), putPlayer(a2!, 'A2', 2), putFollow(a2!, b1!, 5), putFollow(a1!, a2!, 6)]];
    expect((await apply(s, { part: 4 }, { batch: dataBatch(1, rows) })).code).toBe(0);
    expect((await apply(s, { part: 9 }, { batch: dataBatch(1, [[putPlayer(b1!, 'B1', 9), putFollow(b1!, a2!, 7)]]) })).code).toBe(0);

    const first = await apply(s, { part: 4 }, { snapshot: { log_id: 10, ts: 1010, rows: encodeWalEntry({ logId: 10, term: 1, ts: 1010, ops: [putPlayer(a1!, 'A1', 100)] }), last: false, first: true } });
    expect(first).toMatchObject({ code: 0, position: { applied_log_id: '1', needs_snapshot: true } });
    expect((await positionOf(4)).needs_snapshot).toBe(true);
    const last = await apply(s, { part: 4 }, { snapshot: { log_id: 10, ts: 1010, rows: encodeWalEntry({ logId: 10, term: 1, ts: 1010, ops: [putPlayer(a3!, 'A3', 3)] }), last: true } });
    expect(last).toMatchObject({ code: 0, position: { applied_log_id: '10', applied_ts: '1010', needs_snapshot: false } });

    expect(await ageOf(a1!)).toBe(100n);
    expect(await ageOf(a2!)).toBeUndefined();
    expect(await ageOf(a3!)).toBe(3n);
    expect(await s.rows(`GO FROM "${a1}" OVER follow YIELD dst(edge)`)).toEqual([]);
    expect(await s.rows(`GO FROM "${a2}" OVER follow YIELD dst(edge)`)).toEqual([]);
    expect(await ageOf(b1!)).toBe(9n);
    expect(await s.rows(`GO FROM "${b1}" OVER follow YIELD dst(edge)`)).toEqual([[a2]]);

    // A retried last chunk of the finished snapshot must not purge again.
    expect((await apply(s, { part: 4 }, { snapshot: { log_id: 10, ts: 1010, rows: Buffer.alloc(0), last: true } })).code).toBe(0);
    expect(await ageOf(a1!)).toBe(100n);
    // Data continues from the snapshot's log id.
    expect((await apply(s, { part: 4 }, { batch: dataBatch(11, [[putPlayer(a2!, 'A2', 22)]]) })).code).toBe(0);
    expect(await ageOf(a2!)).toBe(22n);
  });

  it('replace a source partition on a target with as many partitions as the source: the same rows go, the same stay', async () => {
    await s.close();
    s = await startSecondary({ partitions: 15 });
    await syncBaseSchema(s);
    const [a1, a2] = vidsOfPart(4, 2, 'a');
    const [b1] = vidsOfPart(9, 1, 'b');
    expect((await apply(s, { part: 4 }, { batch: dataBatch(1, [[putPlayer(a1!, 'A1', 1), putPlayer(a2!, 'A2', 2), putFollow(a2!, b1!, 5)]]) })).code).toBe(0);
    expect((await apply(s, { part: 9 }, { batch: dataBatch(1, [[putPlayer(b1!, 'B1', 9), putFollow(b1!, a2!, 7)]]) })).code).toBe(0);

    const only = { log_id: 10, ts: 1010, rows: encodeWalEntry({ logId: 10, term: 1, ts: 1010, ops: [putPlayer(a1!, 'A1', 100)] }), last: true, first: true };
    expect((await apply(s, { part: 4 }, { snapshot: only })).code).toBe(0);
    expect(await ageOf(a1!)).toBe(100n);
    expect(await ageOf(a2!)).toBeUndefined();
    expect(await s.rows(`GO FROM "${a2}" OVER follow YIELD dst(edge)`)).toEqual([]);
    expect(await ageOf(b1!)).toBe(9n);
    expect(await s.rows(`GO FROM "${b1}" OVER follow YIELD dst(edge)`)).toEqual([[a2]]);
  });

  it('purge a source partition larger than one delete batch when its snapshot starts', async () => {
    await syncBaseSchema(s);
    const many = vidsOfPart(12, PURGE_BATCH_OPS + 500, 'm');
    const [keep] = vidsOfPart(13, 1, 'k');
    expect((await apply(s, { part: 12 }, { batch: dataBatch(1, [many.map((v) => putPlayer(v, v, 1))]) })).code).toBe(0);
    expect((await apply(s, { part: 13 }, { batch: dataBatch(1, [[putPlayer(keep!, 'K', 13)]]) })).code).toBe(0);
    const done = await apply(s, { part: 12 }, { snapshot: { log_id: 5, ts: 1005, rows: Buffer.alloc(0), last: true, first: true } });
    expect(done).toMatchObject({ code: 0, position: { applied_log_id: '5', needs_snapshot: false } });
    const space = s.cluster.metaStore.catalog().spaces['target']!;
    expect(s.cluster.storage.space(space.id)!.counts().vertices).toBe(1);
    expect(await ageOf(keep!)).toBe(13n);
  });

  it('refuse a second source (no fan-in) and apply nothing from it', async () => {
    await syncBaseSchema(s);
    const other = sourceOf(15, 'another-cluster');
    const [a] = vidsOfPart(6, 1);
    const refused = await apply(s, { part: 6, source: other }, { batch: dataBatch(1, [[putPlayer(a!, 'A', 1)]]) });
    expect(refused.code).toBe(-4006);
    expect(refused.message).toContain('primary-cluster/basketballplayer');
    expect((await apply(s, { part: 0, source: other }, { position_only: true })).code).toBe(-4006);
    expect(await ageOf(a!)).toBeUndefined();
    expect(s.cluster.metaStore.catalog().syncSources['target']).toEqual({
      clusterId: 'primary-cluster',
      sourceSpace: 'basketballplayer',
      sourceSpaceId: 1,
      partitionNum: 15,
      vidType: 'FIXED_STRING',
    });
  });

  it('refuse the source space dropped and created again under its name, whose log ids start over', async () => {
    await syncBaseSchema(s);
    const [a] = vidsOfPart(6, 1);
    expect((await apply(s, { part: 6 }, { batch: dataBatch(1, [[putPlayer(a!, 'A', 1)]]) })).code).toBe(0);
    const reborn = { ...sourceOf(15), space_id: 7 };
    const [b] = vidsOfPart(6, 1, 'b');
    const refused = await apply(s, { part: 6, source: reborn }, { batch: dataBatch(1, [[putPlayer(b!, 'B', 2)]]) });
    expect(refused.code).toBe(-4006);
    expect(refused.message).toContain('dropped and created again');
    expect(refused.message).toContain('REMOVE DRAINER');
    expect(await ageOf(b!)).toBeUndefined();
    expect(await ageOf(a!)).toBe(1n);
  });

  it('refuse a drainer the target did not add, and an unknown target space', async () => {
    const [a] = vidsOfPart(6, 1);
    const refused = await apply(s, { part: 6, drainer: '127.0.0.1:9999' }, { batch: dataBatch(1, [[putPlayer(a!, 'A', 1)]]) });
    expect(refused.code).toBe(-2029);
    expect((await apply(s, { part: 0, drainer: '127.0.0.1:9999' }, { position_only: true })).code).toBe(-2029);
    expect((await apply(s, { part: 1, target: 'nope' }, { position_only: true })).code).toBe(-5);
    expect(s.cluster.metaStore.catalog().syncSources['target']).toBeUndefined();
  });

  it('write into a read_only target, which still refuses client writes', async () => {
    await syncBaseSchema(s);
    await s.exec('SET VARIABLES read_only=true');
    const [a] = vidsOfPart(8, 1);
    expect((await apply(s, { part: 8 }, { batch: dataBatch(1, [[putPlayer(a!, 'A', 8)]]) })).code).toBe(0);
    expect(await ageOf(a!)).toBe(8n);
    expect((await s.exec(`INSERT VERTEX player(name, age) VALUES "x":("X", 1)`, true)).errorCode).not.toBe(0);
  });

  it('move the position only with the rows: a batch refused halfway leaves both where they were', async () => {
    await syncBaseSchema(s);
    const [a, b] = vidsOfPart(7, 2);
    const tooLong = 'x'.repeat(40);
    const bad = dataBatch(1, [[putPlayer(a!, 'A', 1)], [putPlayer(tooLong, 'X', 2)]]);
    expect((await apply(s, { part: 7 }, { batch: bad })).code).toBe(-4008);
    const corrupt = dataBatch(1, [[putPlayer(b!, 'B', 1)]]);
    corrupt.entries[0]![10] ^= 0xff;
    expect((await apply(s, { part: 7 }, { batch: corrupt })).code).toBe(-4008);
    expect(await ageOf(a!)).toBeUndefined();
    expect(await ageOf(b!)).toBeUndefined();
    expect((await positionOf(7)).applied_log_id).toBe('0');
    // A batch whose ops all belong to a dropped schema still moves the position.
    const drop = { ...schemaChange(3, 'player'), dropped: true, props_json: '' };
    expect((await apply(s, { part: 0 }, { batch: schemaBatch(3, 3, [drop]) })).code).toBe(0);
    expect((await apply(s, { part: 7 }, { batch: dataBatch(1, [[putPlayer(a!, 'A', 1)]]) })).code).toBe(0);
    expect((await positionOf(7)).applied_log_id).toBe('1');
  });
});
