// Pins TurnSlicer: pieces of synchronous work run in the order handed over, at most a slice of
// them per turn of the event loop, so that I/O arriving meanwhile (a read on the secondary) is
// served between slices; results and errors reach each caller.
import { describe, expect, it } from 'vitest';
import { TurnSlicer } from '../../../../src/engine/sync/turn-slicer.ts';

/** A clock that moves only when a piece says it worked. */
function fakeClock() {
  let t = 0;
  return { now: () => t, work: (ms: number) => (t += ms) };
}

describe('TurnSlicer', () => {
  it('runs pieces at once while the turn has room, in order', async () => {
    const clock = fakeClock();
    const slicer = new TurnSlicer(5, clock.now);
    const ran: number[] = [];
    const done = [1, 2, 3].map((i) => slicer.run(() => (ran.push(i), clock.work(1), i * 10)));
    expect(ran).toEqual([1, 2, 3]);
    expect(await Promise.all(done)).toEqual([10, 20, 30]);
  });

  it('lets a turn of the event loop pass once pieces took the slice, then goes on in order', async () => {
    const clock = fakeClock();
    const slicer = new TurnSlicer(2, clock.now);
    const events: string[] = [];
    // Something that needs the event loop (a read's I/O callback would be the same).
    const between = new Promise<void>((resolve) => setImmediate(() => (events.push('io'), resolve())));
    const done = [1, 2, 3, 4, 5].map((i) => slicer.run(() => (events.push(`piece ${i}`), clock.work(1))));
    expect(events).toEqual(['piece 1', 'piece 2']);
    expect(slicer.pending).toBe(3);
    await Promise.all([...done, between]);
    expect(events.indexOf('io')).toBeGreaterThan(events.indexOf('piece 2'));
    expect(events.indexOf('io')).toBeLessThan(events.indexOf('piece 3'));
    expect(events.filter((e) => e !== 'io')).toEqual(['piece 1', 'piece 2', 'piece 3', 'piece 4', 'piece 5']);
    expect(slicer.pending).toBe(0);
  });

  it('hands each caller what its piece threw or answered, a promise answered included, and keeps going', async () => {
    const clock = fakeClock();
    const slicer = new TurnSlicer(1, clock.now);
    const first = slicer.run(() => {
      clock.work(5);
      throw new Error('bad batch');
    });
    const second = slicer.run(() => Promise.resolve('written'));
    const third = slicer.run(() => {
      throw new Error('also bad');
    });
    await expect(first).rejects.toThrow('bad batch');
    await expect(second).resolves.toBe('written');
    await expect(third).rejects.toThrow('also bad');
  });
});
