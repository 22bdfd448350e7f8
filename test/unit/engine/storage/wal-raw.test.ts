// Pins readWalRaw, the shipping read: the stored encodings decode to exactly what readWal answers,
// in the same contiguous order, and an expired start is "gone" as for readWal. The WAL feed (one
// read of every partition's new entries after a commit) must never change what a tail reads:
// tails at, behind and past it, several commits between reads, retention emptying the WAL.
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

  it('reads what readWal reads wherever each tail stands, across commits, group commits and retention', async () => {
    t = tempEngine({ walTtlSecs: 1 });
    const parts = 5;
    const s = t.engine.openSpace(1, parts, 'FIXED_STRING');
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const batch = (round: number): DataOp[] => Array.from({ length: 1 + rnd(12) }, (_, i) => tag(`r${round}-${i}-${rnd(1000)}`, round));
    // Each partition's tail: the next log id it asks for.
    const next = new Array<number>(parts + 1).fill(1);
    let reads = 0;
    for (let round = 0; round < 300; round++) {
      const what = rnd(10);
      if (what < 3) {
        await s.write(batch(round));
      } else if (what < 4) {
        // Several writes in one group commit.
        await Promise.all([s.write(batch(round)), s.write(batch(round + 1000)), s.write(batch(round + 2000))]);
      } else if (what < 5 && round % 7 === 0) {
        // Everything ages past the TTL and retention empties the WAL: rowids start again.
        t.clock.now += 5_000;
        t.engine.purgeExpired(t.clock.now);
      } else {
        const part = 1 + rnd(parts);
        const max = 1 + rnd(4);
        const want = s.readWal(part, next[part]!, max);
        const got = s.readWalRaw(part, next[part]!, max);
        reads++;
        if (want.kind === 'gone') {
          expect(got).toMatchObject({ kind: 'gone', firstLogId: want.firstLogId, lastLogId: want.lastLogId });
          next[part] = want.firstLogId;
          continue;
        }
        if (got.kind !== 'entries') throw new Error(`partition ${part}: gone at ${next[part]}, readWal has entries`);
        expect(got.entries.map((e) => decodeWalEntry(e.bytes))).toEqual(want.entries);
        expect(got.lastLogId).toBe(want.lastLogId);
        next[part] = next[part]! + got.entries.length;
      }
    }
    expect(reads).toBeGreaterThan(100);
    // Every tail reads on to the end.
    for (let part = 1; part <= parts; part++) {
      const end = s.partitionState(part).lastLogId;
      next[part] = Math.max(next[part]!, s.partitionState(part).firstLogId);
      const got = s.readWalRaw(part, next[part]!, 10_000);
      const want = s.readWal(part, next[part]!, 10_000);
      if (got.kind !== 'entries' || want.kind !== 'entries') throw new Error('gone');
      expect(got.entries.map((e) => decodeWalEntry(e.bytes))).toEqual(want.entries);
      expect(next[part]! + got.entries.length - 1).toBe(end);
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
