// Pins how the primary cuts a space's schema changes into meta tail batches: consecutive ranges
// from `from` to the log's end (the last one ending there, with its ts), no entries, each batch
// under the byte bound, changes of other spaces and users left out, and a dropped space forgotten.
import { describe, expect, it } from 'vitest';
import type { MetaEntry, MetaOp } from '../../../../../src/catalog/types.ts';
import { SchemaChangeLog } from '../../../../../src/engine/sync/primary/schema-change-log.ts';
import { num } from '../../../../../src/engine/sync/wire.ts';
import { metaBatches } from '../../../../../src/server/rpc/primary-meta-tail.ts';
import { TAIL_BATCH_BYTES_MAX } from '../../../../../src/server/rpc/primary-tail.ts';

const space = (name: string): MetaOp => ({
  op: 'createSpace',
  space: { name, partitionNum: 1, replicaFactor: 1, vidType: { kind: 'INT64' }, charset: 'utf8', collate: 'utf8_bin' },
});
const bigProps = (i: number) => [{ name: `p${i}_${'x'.repeat(100_000)}`, type: { name: 'string' as const }, nullable: true }];

function logOf(ops: MetaOp[]): { log: SchemaChangeLog; entries: MetaEntry[] } {
  const entries = ops.map((op, i): MetaEntry => ({ logId: i + 1, term: 1, ts: 1_000 + i, op }));
  const log = new SchemaChangeLog({ readWal: (from, max) => entries.slice(from - 1, from - 1 + max), lastLogId: () => entries.length });
  return { log, entries };
}

describe('metaBatches', () => {
  it('covers [from, to] with consecutive batches of the space only, bounded in bytes', () => {
    const ops: MetaOp[] = [space('s'), space('other'), { op: 'putUser', name: 'alice', passwordHash: 'scrypt$1$2' }];
    for (let i = 0; i < 8; i++) ops.push({ op: 'createSchema', space: i % 2 === 0 ? 's' : 'other', kind: 'TAG', name: `t${i}`, props: bigProps(i) });
    ops.push({ op: 'grantRole', space: 's', user: 'alice', role: 'ADMIN' });
    const { log, entries } = logOf(ops);
    expect(log.catchUp(5)).toBe(5);
    expect(log.catchUp(1_000)).toBe(entries.length);
    const batches = metaBatches(log, 1, 2, log.logId, log.ts, { lastLogId: entries.length, lastTs: 9 });
    let next = 2;
    for (const b of batches) {
      expect(num(b.first_log_id)).toBe(next);
      expect(b.entries).toEqual([]);
      expect(b.schema_changes!.reduce((n, c) => n + c.props_json.length, 0)).toBeLessThanOrEqual(TAIL_BATCH_BYTES_MAX);
      next = num(b.last_log_id) + 1;
    }
    expect(next).toBe(entries.length + 1);
    expect(num(batches.at(-1)!.last_ts)).toBe(entries.at(-1)!.ts);
    expect(batches.flatMap((b) => b.schema_changes!.map((c) => c.name))).toEqual(['t0', 't2', 't4', 't6']);
    expect(batches.length).toBeGreaterThan(1);
    expect(JSON.stringify(batches)).not.toMatch(/alice|scrypt/);
  });

  it('answers one empty batch for a range with no change, and forgets a dropped space', () => {
    const { log } = logOf([space('s'), { op: 'createSchema', space: 's', kind: 'EDGE', name: 'e', props: [] }, { op: 'dropSpace', name: 's' }, space('s')]);
    log.catchUp(100);
    expect(metaBatches(log, 1, 1, 4, 7, { lastLogId: 4, lastTs: 7 })).toEqual([
      expect.objectContaining({ first_log_id: 1, last_log_id: 4, last_ts: 7, schema_changes: [], entries: [] }),
    ]);
  });
});
