// Pins TurnBatch: what is pushed in one turn of the event loop is flushed once, together, in
// order; a later turn is another flush; cleared items are never flushed.
import { describe, expect, it } from 'vitest';
import { TurnBatch } from '../../../../src/engine/sync/turn-batch.ts';

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('TurnBatch', () => {
  it('flushes one turn as one batch, in order, and the next turn as another', async () => {
    const flushed: number[][] = [];
    const batch = new TurnBatch<number>((items) => flushed.push(items));
    batch.push(1);
    batch.push(2);
    await Promise.resolve().then(() => batch.push(3));
    expect(flushed).toEqual([]);
    await nextTurn();
    batch.push(4);
    await nextTurn();
    expect(flushed).toEqual([[1, 2, 3], [4]]);
  });

  it('answers and forgets what was queued when cleared', async () => {
    const flushed: number[][] = [];
    const batch = new TurnBatch<number>((items) => flushed.push(items));
    batch.push(1);
    expect(batch.clear()).toEqual([1]);
    await nextTurn();
    expect(flushed).toEqual([]);
  });
});
