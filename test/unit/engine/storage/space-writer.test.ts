// Pins the writer thread's group commit: a write that fails halfway leaves no trace and fails alone, the group's other writes commit with contiguous log ids, outcomes come only after COMMIT, and each group names the rowids of the WAL rows it committed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { partitionerOf } from '../../../../src/engine/storage/partition-of.ts';
import { ensureSchema, openSpaceDb } from '../../../../src/engine/storage/space-schema.ts';
import { SpaceWriter } from '../../../../src/engine/storage/space-writer.ts';
import type { DataOp } from '../../../../src/engine/storage/types.ts';
import type { WriteOutcome } from '../../../../src/engine/storage/worker-protocol.ts';
import { buildWriteRequest, groupByPart, OP_SLOTS, type WriteRequest } from '../../../../src/engine/storage/write-batch.ts';

let dir: string;
let db: Database.Database;
const PARTS = 3;
const partOf = partitionerOf('FIXED_STRING', PARTS);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nebula-sync-writer-'));
  db = openSpaceDb(join(dir, 's.db'), false);
  ensureSchema(db, { spaceId: 1, partitionNum: PARTS, vidType: 'FIXED_STRING' });
});
afterEach(() => {
  if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const tags = (prefix: string, n: number): DataOp[] =>
  Array.from({ length: n }, (_, i) => ({ op: 'putTag', vid: `${prefix}${i}`, tagId: 1, ver: 0, props: { n: BigInt(i) } }));

let nextId = 1;
const request = (ops: DataOp[]): WriteRequest => buildWriteRequest(nextId++, 's', groupByPart(ops, partOf), 1_700_000_000_000, undefined);

/** Runs `reqs` as one group; resolves with what was reported at COMMIT. */
function group(writer: SpaceWriter, reqs: WriteRequest[], reported: { outcomes: readonly WriteOutcome[] }[]): Promise<void> {
  const before = reported.length;
  for (const r of reqs) writer.write(r);
  // Nothing is reported before the COMMIT, which comes from setImmediate.
  expect(reported).toHaveLength(before);
  return new Promise((resolve) => setImmediate(resolve));
}

describe('SpaceWriter', () => {
  it('fails only the write that threw halfway; the rest of its group commits, log ids contiguous', async () => {
    const reported: { outcomes: readonly WriteOutcome[]; parts: readonly number[]; walRowids: readonly [number, number] | undefined }[] = [];
    const writer = new SpaceWriter(db, PARTS, (outcomes, parts, walRowids) => reported.push({ outcomes, parts, walRowids }));
    const good1 = request(tags('a', 40));
    const broken = request(tags('b', 40));
    // An op the writer does not know, in the middle: the write has logged and stored part of itself by then.
    broken.ops[20 * OP_SLOTS] = 99;
    const good2 = request(tags('c', 40));
    await group(writer, [good1, broken, good2], reported);
    expect(reported).toHaveLength(1);
    const outcome = (id: number): WriteOutcome | undefined => reported[0]!.outcomes.find((o) => o.id === id);
    expect(outcome(good1.id)).toHaveProperty('logIds');
    expect(outcome(broken.id)).toMatchObject({ error: { message: expect.stringMatching(/unknown op kind/) } });
    const o2 = outcome(good2.id);
    expect(o2).toHaveProperty('logIds');
    const count = (prefix: string): number => (db.prepare('SELECT COUNT(*) AS n FROM tags WHERE vid LIKE ?').get(`${prefix}%`) as { n: number }).n;
    expect([count('a'), count('b'), count('c')]).toEqual([40, 0, 40]);
    // Each partition's WAL is 1, 2 (the two good writes), matching its state.
    for (let part = 1; part <= PARTS; part++) {
      const ids = (db.prepare('SELECT log_id FROM wal WHERE part = ? ORDER BY log_id').all(part) as { log_id: number }[]).map((r) => r.log_id);
      const state = db.prepare('SELECT last_log_id FROM part_state WHERE part = ?').get(part) as { last_log_id: number };
      expect(ids).toEqual([1, 2]);
      expect(state.last_log_id).toBe(2);
    }
    expect('logIds' in o2! && o2.logIds.every((id) => id === 2)).toBe(true);
    // The group names the rowids of exactly the WAL rows it committed (the WAL feed reads them).
    const rowids = (): number[] => (db.prepare('SELECT rowid AS r FROM wal ORDER BY rowid').all() as { r: number }[]).map((x) => x.r);
    const first = rowids();
    expect(first).toHaveLength(2 * PARTS);
    expect(reported[0]!.walRowids).toEqual([first[0], first[first.length - 1]]);
    // The next group goes on from there.
    await group(writer, [request(tags('d', 10))], reported);
    expect(reported[1]!.outcomes[0]).toMatchObject({ logIds: expect.arrayContaining([3]) });
    const added = rowids().filter((r) => !first.includes(r));
    expect(added.length).toBeGreaterThan(0);
    expect(reported[1]!.walRowids).toEqual([added[0], added[added.length - 1]]);
    expect(added[added.length - 1]! - added[0]! + 1).toBe(added.length);
    writer.close();
  });
});
