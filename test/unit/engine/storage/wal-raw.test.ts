// Pins readWalRaw, the shipping read: the stored encodings decode to exactly what readWal answers,
// in the same contiguous order, and an expired start is "gone" as for readWal.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeWalEntry } from '../../../../src/engine/wal/wal-codec.ts';
import type { DataOp } from '../../../../src/engine/storage/types.ts';
import { tempEngine, type TempEngine } from './temp-engine.ts';

let t: TempEngine;
afterEach(() => t.cleanup());

const tag = (vid: string, n: number): DataOp => ({ op: 'putTag', vid, tagId: 1, ver: 0, props: { n: BigInt(n) } });

describe('readWalRaw', () => {
  it('answers the stored encodings of readWal entries, with ts and the partition end', async () => {
    t = tempEngine();
    const s = t.engine.openSpace(1, 3, 'FIXED_STRING');
    for (let i = 0; i < 30; i++) await s.write([tag(`v${i}`, i), tag(`w${i}`, i)]);
    for (let part = 1; part <= 3; part++) {
      const decoded = s.readWal(part, 2, 50);
      const raw = s.readWalRaw(part, 2, 50);
      if (decoded.kind !== 'entries' || raw.kind !== 'entries') throw new Error('gone');
      expect(raw.entries.map((e) => decodeWalEntry(e.bytes))).toEqual(decoded.entries);
      expect(raw.entries.map((e) => [e.logId, e.ts])).toEqual(decoded.entries.map((e) => [e.logId, e.ts]));
      expect(raw.lastLogId).toBe(s.partitionState(part).lastLogId);
      expect(raw.lastTs).toBe(s.partitionState(part).lastTs);
    }
  });

  it('is gone below the first retained entry', async () => {
    t = tempEngine({ walTtlSecs: 1 });
    const s = t.engine.openSpace(1, 1, 'FIXED_STRING');
    await s.write([tag('a', 1)]);
    t.clock.now += 5_000;
    await s.write([tag('b', 2)]);
    t.engine.purgeExpired(t.clock.now);
    expect(s.readWalRaw(1, 1, 10)).toEqual({ kind: 'gone', firstLogId: 2, lastLogId: 2, lastTs: t.clock.now });
    const rest = s.readWalRaw(1, 2, 10);
    expect(rest.kind === 'entries' && rest.entries.map((e) => e.logId)).toEqual([2]);
  });
});
