// Pins partition snapshots: the rows as of their logId and nothing written afterwards, while writes go on meanwhile.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataOp, SpaceStore } from '../../../../src/engine/storage/types.ts';
import { encodeProps } from '../../../../src/engine/wal/value-codec.ts';
import { tempEngine, type TempEngine } from './temp-engine.ts';

let t: TempEngine;
let s: SpaceStore;
beforeEach(() => {
  t = tempEngine();
  s = t.engine.openSpace(1, 1, 'INT64');
});
afterEach(() => t.cleanup());

const tag = (vid: bigint, n: number): DataOp => ({ op: 'putTag', vid, tagId: 1, ver: 0, props: { n: BigInt(n) } });
const edge = (src: bigint, dst: bigint, rank: bigint): DataOp => ({ op: 'putEdge', src, etype: 4, rank, dst, ver: 0, props: {} });

describe('snapshot', () => {
  it('shows the partition as of its logId while later writes commit and stay invisible to it', async () => {
    for (let i = 0; i < 50; i++) await s.write([tag(BigInt(i), i), edge(BigInt(i), BigInt(i + 1), BigInt(-i))]);
    const snap = s.snapshot(1);
    expect(snap.logId).toBe(50);
    expect(snap.logId).toBe(s.partitionState(1).lastLogId);
    expect(snap.ts).toBe(t.clock.now);

    // Change, delete and add rows after the picture was taken; the writes must not wait for it.
    await s.write([tag(0n, 999), { op: 'deleteVertex', vid: 1n }, tag(1000n, 1), edge(0n, 9n, 9n), { op: 'deleteEdge', src: 2n, etype: 4, rank: -2n, dst: 3n }]);
    expect(s.partitionState(1).lastLogId).toBe(51);

    const tags = [...snap.tags()];
    expect(tags).toHaveLength(50);
    expect(tags.find((r) => r.vid === 0n)?.props).toEqual({ n: 0n });
    // Rows to ship carry their props as stored, so a snapshot never decodes and encodes them again.
    expect(tags.find((r) => r.vid === 0n)?.encodedProps).toEqual(encodeProps({ n: 0n }));
    expect(tags.some((r) => r.vid === 1n)).toBe(true);
    expect(tags.some((r) => r.vid === 1000n)).toBe(false);
    const edges = [...snap.edges()];
    expect(edges).toHaveLength(50);
    expect(edges.some((e) => e.src === 2n && e.rank === -2n)).toBe(true);
    expect(edges.some((e) => e.rank === 9n)).toBe(false);
    snap.close();

    const fresh = s.snapshot(1);
    expect(fresh.logId).toBe(51);
    expect([...fresh.tags()]).toHaveLength(50);
    expect([...fresh.edges()]).toHaveLength(50);
    fresh.close();
  });

  it('iterates lazily, and close() ends an iteration left halfway', async () => {
    await s.write(Array.from({ length: 100 }, (_, i) => tag(BigInt(i), i)));
    const snap = s.snapshot(1);
    const it1 = snap.tags();
    const it2 = snap.edges();
    expect(it1.next().done).toBe(false);
    expect(it2.next().done).toBe(true);
    snap.close();
    snap.close();
    await s.write([tag(500n, 1)]);
    expect(s.getTag(500n, 1)).toBeDefined();
  });

  it('includes every write acknowledged before it was taken, at the log id it reports', async () => {
    await s.write([tag(7n, 7)]);
    const pending = s.write([tag(8n, 8)]);
    const snap = s.snapshot(1);
    // A write not yet acknowledged is in it or not, but always consistently with its log id.
    const vids = [...snap.tags()].map((r) => r.vid);
    expect(vids).toEqual(snap.logId === 1 ? [7n] : [7n, 8n]);
    snap.close();
    await pending;
  });

  it('is closed by closing the engine', async () => {
    await s.write([tag(1n, 1)]);
    const snap = s.snapshot(1);
    t.engine.close();
    expect(() => snap.tags().next()).toThrow(/closed/);
  });
});
