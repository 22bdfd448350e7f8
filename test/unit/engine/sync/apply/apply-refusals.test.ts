// Pins that a secondary refuses, with a code, every apply or snapshot it cannot check against its
// stored position or registered source (gaps, stale or unrelated snapshot chunks, malformed ranges,
// log ids beyond 2^53, raw meta entries, another source description, a drainer never added),
// changes nothing (rows, positions, catalog), and counts each refusal per target space.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { partOfString } from '../../../../../src/engine/storage/partition-of.ts';
import { refusalsOf } from '../../../../../src/engine/sync/apply/refusals.ts';
import { encodeWalEntry } from '../../../../../src/engine/wal/wal-codec.ts';
import {
  apply,
  dataBatch,
  putPlayer,
  schemaBatch,
  schemaChange,
  snapshotChunk,
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

const vidOf = (part: number, prefix: string): string => {
  for (let i = 0; ; i++) if (partOfString(`${prefix}${i}`, 15) === part) return `${prefix}${i}`;
};

/** Rows, positions of parts 0..15 and the catalog's log id: what no refusal may change. */
async function fingerprint(): Promise<string> {
  const positions = [];
  for (let part = 0; part <= 15; part++) positions.push((await apply(s, { part }, { position_only: true })).position);
  const space = s.cluster.metaStore.catalog().spaces['target']!;
  const store = s.cluster.storage.space(space.id)!;
  const rows: unknown[] = [];
  for (let p = 1; p <= store.partitionNum; p++) {
    const picture = store.snapshot(p);
    rows.push([...picture.tags()], [...picture.edges()]);
    picture.close();
  }
  const replacer = (_k: string, v: unknown) => (typeof v === 'bigint' ? String(v) : v instanceof Map ? [...v] : v);
  return JSON.stringify({ positions, rows, logId: s.cluster.metaStore.lastLogId() }, replacer);
}

describe('a secondary refuses what it cannot check, and nothing changes', () => {
  it('refuses batches and chunks that do not follow the stored position', async () => {
    await syncBaseSchema(s);
    const a = vidOf(3, 'a');
    expect((await apply(s, { part: 3 }, { batch: dataBatch(1, [[putPlayer(a, 'A', 1)], [putPlayer(a, 'A', 2)]]) })).code).toBe(0);
    // Part 5 has a snapshot in progress at 20.
    expect((await apply(s, { part: 5 }, { snapshot: snapshotChunk(20, [putPlayer(vidOf(5, 'p'), 'P', 5)], false, true) })).code).toBe(0);
    const before = await fingerprint();
    const x = putPlayer(vidOf(3, 'x'), 'X', 99);
    const cases: [string, number, Promise<{ code: number }>][] = [
      ['data gap', -4001, apply(s, { part: 3 }, { batch: dataBatch(4, [[x]]) })],
      ['last below first', -4008, apply(s, { part: 3 }, { batch: { ...dataBatch(3, [[x]]), last_log_id: 2 } })],
      ['more entries than the range', -4008, apply(s, { part: 3 }, { batch: { ...dataBatch(3, [[x], [x]]), last_log_id: 3 } })],
      ['a negative range', -4008, apply(s, { part: 3 }, { batch: { ...dataBatch(3, [[x]]), first_log_id: '-1' } })],
      ['a log id beyond 2^53', -4008, apply(s, { part: 3 }, { batch: { ...dataBatch(3, [[x]]), last_log_id: '9007199254740993' } })],
      ['a ts beyond 2^53', -4008, apply(s, { part: 3 }, { batch: { ...dataBatch(3, [[x]]), last_ts: '9223372036854775807' } })],
      ['schema changes in a data batch', -4008, apply(s, { part: 3 }, { batch: { ...dataBatch(3, [[x]]), schema_changes: [schemaChange(3, 'player')] } })],
      ['raw meta entries in a schema batch', -4008, apply(s, { part: 0 }, { batch: { ...schemaBatch(3, 3, []), entries: [Buffer.from('{"op":"putUser"}')] } })],
      ['a schema batch that skips', -4001, apply(s, { part: 0 }, { batch: schemaBatch(9, 9, [schemaChange(9, 'player', 1)]) })],
      ['a schema change with no usable source id', -4008, apply(s, { part: 0 }, { batch: schemaBatch(3, 3, [{ ...schemaChange(3, 'player', 1), source_id: -7 }]) })],
      ['schema props that are not a list', -4008, apply(s, { part: 0 }, { batch: schemaBatch(3, 3, [{ ...schemaChange(3, 'player', 1), props_json: '{"a":1}' }]) })],
      ['a snapshot below what is applied', -4002, apply(s, { part: 3 }, { snapshot: snapshotChunk(1, [], true, true) })],
      ['a continuation with no snapshot in progress', -4001, apply(s, { part: 3 }, { snapshot: snapshotChunk(30, [x], true) })],
      ['a continuation of another snapshot', -4001, apply(s, { part: 5 }, { snapshot: snapshotChunk(21, [], true) })],
      ['a snapshot log id beyond 2^53', -4008, apply(s, { part: 3 }, { snapshot: { ...snapshotChunk(30, [], true, true), log_id: '18446744073709551615' } })],
      ['snapshot rows of another log id', -4008, apply(s, { part: 5 }, { snapshot: { ...snapshotChunk(20, [], false), rows: encodeWalEntry({ logId: 7, term: 1, ts: 1, ops: [x] }) } })],
      ['the registered source described otherwise', -4006, apply(s, { part: 3, source: sourceOf(16) }, { batch: dataBatch(3, [[x]]) })],
      ['another source', -4006, apply(s, { part: 3, source: sourceOf(15, 'forged') }, { batch: dataBatch(3, [[x]]) })],
      ['a drainer the space did not add', -2029, apply(s, { part: 3, drainer: '127.0.0.1:1' }, { batch: dataBatch(3, [[x]]) })],
      ['an unknown target space', -5, apply(s, { part: 3, target: 'elsewhere' }, { batch: dataBatch(3, [[x]]) })],
    ];
    for (const [what, code, answer] of cases) expect((await answer).code, what).toBe(code);
    expect(await fingerprint()).toBe(before);
    // The snapshot in progress is still the one at 20: its last chunk completes it.
    expect((await apply(s, { part: 5 }, { snapshot: snapshotChunk(20, [], true) })).position).toMatchObject({ applied_log_id: '20', needs_snapshot: false });
  });

  it('counts refusals per target space, source partition and code', async () => {
    await syncBaseSchema(s);
    const x = putPlayer(vidOf(2, 'x'), 'X', 1);
    for (let i = 0; i < 3; i++) expect((await apply(s, { part: 2 }, { batch: dataBatch(5, [[x]]) })).code).toBe(-4001);
    expect((await apply(s, { part: 2, target: 'elsewhere' }, { position_only: true })).code).toBe(-5);
    const registry = refusalsOf(s.cluster.metaStore);
    expect(registry.list('target')).toEqual([
      expect.objectContaining({ source: 'primary-cluster/basketballplayer', part: 2, code: -4001, count: 3, message: expect.stringMatching(/^LogGap: /) }),
    ]);
    expect(registry.list('*')).toEqual([expect.objectContaining({ part: 2, code: -5, count: 1 })]);
    const [gap] = registry.list('target');
    expect(gap!.lastMs).toBeGreaterThanOrEqual(gap!.firstMs);
  });

  it('answers a retried chunk of a completed snapshot with the position, purging nothing', async () => {
    await syncBaseSchema(s);
    const p = vidOf(4, 'p');
    expect((await apply(s, { part: 4 }, { snapshot: snapshotChunk(9, [putPlayer(p, 'P', 4)], true, true) })).code).toBe(0);
    const before = await fingerprint();
    expect(await apply(s, { part: 4 }, { snapshot: snapshotChunk(9, [], true, true) })).toMatchObject({ code: 0, position: { applied_log_id: '9' } });
    expect(await apply(s, { part: 4 }, { snapshot: snapshotChunk(9, [], true) })).toMatchObject({ code: 0, position: { applied_log_id: '9' } });
    expect(await fingerprint()).toBe(before);
  });
});
