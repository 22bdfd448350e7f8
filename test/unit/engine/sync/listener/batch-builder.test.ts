// Pins how the listener cuts what it consumed into shipped batches: contiguous ranges that together
// cover every consumed log id once, every payload in order, never more than the entry or byte limit
// (a lone oversized entry still ships), and the ts of each batch's last entry.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BatchBuilder, walEntryTs } from '../../../../../src/engine/sync/listener/batch-builder.ts';
import { encodeWalEntry } from '../../../../../src/engine/wal/wal-codec.ts';
import { num, type WalBatchMsg } from '../../../../../src/engine/sync/wire.ts';

describe('walEntryTs', () => {
  it('reads the ts from an encoded entry header', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat({ max: 2 ** 45 }), (logId, term, ts) => {
        expect(walEntryTs(encodeWalEntry({ logId, term, ts, ops: [{ op: 'deleteVertex', vid: 'x' }] }))).toBe(ts);
      }),
    );
  });
});

describe('BatchBuilder', () => {
  it('covers every consumed id once, keeps payload order and respects its limits', () => {
    const unit = fc.record({ bytes: fc.nat({ max: 300 }), payload: fc.boolean(), changes: fc.nat({ max: 3 }) });
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 200 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 1000 }), fc.nat({ max: 5 }), (units, entriesMax, bytesMax, takeEvery) => {
        const builder = new BatchBuilder({ entriesMax, bytesMax });
        const out: WalBatchMsg[] = [];
        units.forEach((u, i) => {
          const change = { log_id: i + 1, ts: i, kind: 'TAG', name: '', source_id: 1, version: 0, props_json: '', dropped: false, comment: '' };
          builder.add(i + 1, 1000 + i, u.payload ? Buffer.alloc(u.bytes, i % 256) : undefined, Array(u.changes).fill(change));
          // Taking between adds models a window that frees up now and then.
          if (takeEvery > 0 && i % takeEvery === 0) out.push(builder.take()!);
        });
        for (let b = builder.take(); b !== undefined; b = builder.take()) out.push(b);
        expect(builder.pending()).toBe(0);
        const ids = out.flatMap((b) => Array.from({ length: num(b.last_log_id) - num(b.first_log_id) + 1 }, (_, k) => num(b.first_log_id) + k));
        expect(ids).toEqual(units.map((_, i) => i + 1));
        const payloads = out.flatMap((b) => b.entries.map((e) => e.length));
        expect(payloads).toEqual(units.filter((u) => u.payload).map((u) => u.bytes));
        for (const b of out) {
          expect(num(b.last_ts)).toBe(1000 + num(b.last_log_id) - 1);
          const count = b.entries.length + b.schema_changes.length;
          const bytes = b.entries.reduce((n, e) => n + e.length, 0);
          // Only a batch holding a single unit-bearing entry may pass a limit (that entry alone does).
          const bearing = units.slice(num(b.first_log_id) - 1, num(b.last_log_id)).filter((u) => u.payload || u.changes > 0);
          if (bearing.length > 1) {
            expect(count).toBeLessThanOrEqual(entriesMax);
            expect(bytes).toBeLessThanOrEqual(bytesMax);
          }
        }
      }),
    );
  });

  it('closes a batch once the next entry would pass the entry limit', () => {
    const builder = new BatchBuilder({ entriesMax: 2, bytesMax: 1_000_000 });
    for (let id = 1; id <= 5; id++) builder.add(id, id, Buffer.from([id]));
    builder.setSourceEnd(9, 90);
    const batches = [builder.take(), builder.take(), builder.take(), builder.take()];
    expect(batches.map((b) => b && [num(b.first_log_id), num(b.last_log_id)])).toEqual([[1, 2], [3, 4], [5, 5], undefined]);
    expect(batches[2]).toMatchObject({ source_last_log_id: 9, source_last_ts: 90, last_ts: 5 });
  });

  it('lets entries without payload or changes widen a range for free', () => {
    const builder = new BatchBuilder({ entriesMax: 1, bytesMax: 10 });
    for (let id = 1; id <= 100; id++) builder.add(id, id, undefined);
    const batch = builder.take()!;
    expect([num(batch.first_log_id), num(batch.last_log_id), batch.entries.length]).toEqual([1, 100, 0]);
  });
});
