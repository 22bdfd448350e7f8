// Pins that reads see only committed writes and that read-then-write steps stay serializable although writes commit on the writer thread: concurrent increments lose nothing, a step sees every write asked for before it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataOp, SpaceStore } from '../../../../src/engine/storage/types.ts';
import { tempEngine, type TempEngine } from './temp-engine.ts';

let t: TempEngine;
beforeEach(() => {
  t = tempEngine();
});
afterEach(() => t.cleanup());

const counter = (vid: string, n: bigint): DataOp => ({ op: 'putTag', vid, tagId: 1, ver: 0, props: { n } });
const valueOf = (s: SpaceStore, vid: string): bigint => (s.getTag(vid, 1)?.props['n'] as bigint | undefined) ?? 0n;

/** A read-modify-write step: add one to `vid`'s counter. */
const increment = (s: SpaceStore, vid: string): Promise<bigint> =>
  s.readThenWrite(() => {
    const next = valueOf(s, vid) + 1n;
    return { ops: [counter(vid, next)], value: next };
  });

describe('read-then-write', () => {
  it('loses no increment when 100 of them run at once', async () => {
    const s = t.engine.openSpace(1, 3, 'FIXED_STRING');
    const seen = await Promise.all(Array.from({ length: 100 }, () => increment(s, 'c')));
    expect(valueOf(s, 'c')).toBe(100n);
    expect([...seen].sort((a, b) => Number(a - b))).toEqual(Array.from({ length: 100 }, (_, i) => BigInt(i + 1)));
  });

  it('sees every plain write asked for before it, and is seen by every one asked for after it', async () => {
    const s = t.engine.openSpace(1, 3, 'FIXED_STRING');
    const before = s.write([counter('c', 41n)]);
    const step = increment(s, 'c');
    const after = s.write([counter('d', 7n)]);
    await Promise.all([before, step, after]);
    expect(await step).toBe(42n);
    expect(valueOf(s, 'c')).toBe(42n);
    // The plain write asked for after the step was held behind it, not lost.
    expect(valueOf(s, 'd')).toBe(7n);
  });

  it('interleaves with a stream of plain writes without starving or reordering them', async () => {
    const s = t.engine.openSpace(1, 5, 'FIXED_STRING');
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 50; i++) {
      work.push(s.write([counter(`p${i}`, BigInt(i))]));
      if (i % 5 === 0) work.push(increment(s, 'c'));
      // The last write of a vid wins, in the order they were asked for.
      work.push(s.write([counter('last', BigInt(i))]));
    }
    await Promise.all(work);
    expect(valueOf(s, 'c')).toBe(10n);
    expect(valueOf(s, 'last')).toBe(49n);
    expect(s.counts().vertices).toBe(52);
  });

  it('answers its value without writing when it decides nothing changes, and fails alone when decide throws', async () => {
    const s = t.engine.openSpace(1, 3, 'FIXED_STRING');
    expect(await s.readThenWrite(() => ({ ops: [], value: 'nothing' }))).toBe('nothing');
    await expect(s.readThenWrite(() => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await increment(s, 'c')).toBe(1n);
    expect(s.partitionState(s.partOf('c')).lastLogId).toBe(1);
  });
});
