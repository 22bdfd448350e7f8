// Pins what reads return after writes: tag and edge rows in string and INT64 spaces, full-image replace, deletes, in/out edges, counts, reopen and drop, and reads of one instant.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataOp, SpaceStore } from '../../../../src/engine/storage/types.ts';
import { encodeProps } from '../../../../src/engine/wal/value-codec.ts';
import { tempEngine, type TempEngine } from './temp-engine.ts';

let t: TempEngine;
beforeEach(() => {
  t = tempEngine();
});
afterEach(() => t.cleanup());

const putTag = (vid: string | bigint, tagId: number, props: Record<string, unknown>, ver = 0): DataOp =>
  ({ op: 'putTag', vid, tagId, ver, props }) as DataOp;
const putEdge = (src: string | bigint, etype: number, dst: string | bigint, rank = 0n, props = {}): DataOp =>
  ({ op: 'putEdge', src, etype, rank, dst, ver: 0, props }) as DataOp;

describe.each([
  { vidType: 'FIXED_STRING' as const, a: 'player100', b: 'player101', c: 'team204' },
  { vidType: 'INT64' as const, a: 100n, b: -101n, c: 2n ** 62n + 7n },
])('a $vidType space', ({ vidType, a, b, c }) => {
  let s: SpaceStore;
  beforeEach(() => {
    s = t.engine.openSpace(1, 10, vidType);
  });

  it('reads back the tags it wrote, with their schema version and exact value types', async () => {
    await s.write([putTag(a, 2, { name: 'Tim', age: 42n, h: 1.5 }, 3), putTag(a, 5, {}), putTag(b, 2, { name: 'Tony', age: null })]);
    expect(s.getTag(a, 2)).toEqual({ vid: a, tagId: 2, ver: 3, props: { name: 'Tim', age: 42n, h: 1.5 } });
    expect(s.getTags(a).map((r) => r.tagId).sort()).toEqual([2, 5]);
    expect(s.getTag(b, 2)?.props).toEqual({ name: 'Tony', age: null });
    expect(s.getTag(c, 2)).toBeUndefined();
    expect(s.getTags(c)).toEqual([]);
  });

  it('stores every row of a long write in order: a vid put twice in one write keeps its last image', async () => {
    const vid = (i: number): string | bigint => (vidType === 'INT64' ? BigInt(i) : `v${i}`);
    // 77 puts into one partition: runs of 32, 8 and single rows, with tags and a repeat mixed in.
    const ops: DataOp[] = Array.from({ length: 77 }, (_, i) => putTag(vid(i === 70 ? 3 : i), 2, { n: BigInt(i) }));
    ops.splice(40, 0, putTag(vid(1000), 5, { x: 'between' }));
    const one = t.engine.openSpace(2, 1, vidType);
    await one.write(ops);
    expect(one.getTag(vid(3), 2)?.props).toEqual({ n: 70n });
    for (const i of [0, 31, 32, 39, 40, 47, 48, 69, 71, 76]) expect(one.getTag(vid(i), 2)?.props).toEqual({ n: BigInt(i) });
    expect(one.getTag(vid(1000), 5)?.props).toEqual({ x: 'between' });
    expect(one.counts().vertices).toBe(77);
  });

  it('replaces a whole row on a second put, dropping props the new image lacks', async () => {
    await s.write([putTag(a, 2, { name: 'Tim', age: 42n })]);
    await s.write([putTag(a, 2, { name: 'Timmy' }, 1)]);
    expect(s.getTag(a, 2)).toEqual({ vid: a, tagId: 2, ver: 1, props: { name: 'Timmy' } });
    await s.write([putEdge(a, 7, b, 0n, { w: 1n, x: 'y' })]);
    await s.write([putEdge(a, 7, b, 0n, { w: 2n })]);
    expect(s.getEdge(a, 7, 0n, b)?.props).toEqual({ w: 2n });
  });

  it('deletes one tag, or every tag of a vertex while leaving its edges', async () => {
    await s.write([putTag(a, 2, {}), putTag(a, 3, {}), putTag(b, 2, {}), putEdge(a, 7, b)]);
    await s.write([{ op: 'deleteTag', vid: a, tagId: 3 }]);
    expect(s.getTags(a).map((r) => r.tagId)).toEqual([2]);
    await s.write([{ op: 'deleteVertex', vid: a }]);
    expect(s.getTags(a)).toEqual([]);
    expect(s.getTags(b)).toHaveLength(1);
    expect(s.outEdges(a)).toHaveLength(1);
    await s.write([{ op: 'deleteEdge', src: a, etype: 7, rank: 0n, dst: b }]);
    expect(s.outEdges(a)).toEqual([]);
    expect(s.getEdge(a, 7, 0n, b)).toBeUndefined();
  });

  it('answers out-edges by src and in-edges by dst, filtered by type, ranks kept as bigint', async () => {
    const bigRank = -(2n ** 63n);
    await s.write([putEdge(a, 7, b, 0n), putEdge(a, 7, b, bigRank), putEdge(a, 8, c), putEdge(c, 7, b, 5n), putEdge(b, 7, a)]);
    expect(s.outEdges(a)).toHaveLength(3);
    expect(s.outEdges(a, [8]).map((e) => e.dst)).toEqual([c]);
    expect(s.outEdges(a, [7]).map((e) => e.rank).sort()).toEqual([bigRank, 0n]);
    expect(s.outEdges(a, [9])).toEqual([]);
    const inB = s.inEdges(b, [7]);
    expect(inB.map((e) => `${e.src}@${e.rank}`).sort()).toEqual([`${a}@${bigRank}`, `${a}@0`, `${c}@5`].sort());
    expect(s.inEdges(c)).toEqual([{ src: a, etype: 8, rank: 0n, dst: c, ver: 0, props: {} }]);
    expect(s.inEdges(a, [8])).toEqual([]);
    expect(typeof s.getEdge(a, 7, bigRank, b)?.rank).toBe('bigint');
  });

  it('counts tag rows per tag, edges per type, vertices with at least one tag, and all edges', async () => {
    await s.write([putTag(a, 2, {}), putTag(a, 3, {}), putTag(b, 2, {}), putEdge(a, 7, b), putEdge(a, 7, c), putEdge(b, 8, c)]);
    const n = s.counts();
    expect(n.tags).toEqual(new Map([[2, 2], [3, 1]]));
    expect(n.edges).toEqual(new Map([[7, 2], [8, 1]]));
    expect(n.vertices).toBe(2);
    expect(n.edgeCount).toBe(3);
  });

  it('refuses a vid of the other type without writing anything', async () => {
    const wrong = typeof a === 'string' ? 5n : 'five';
    await expect(s.write([putTag(a, 2, {}), putTag(wrong, 2, {})])).rejects.toThrow(/vid/);
    expect(s.getTags(a)).toEqual([]);
    expect(s.partitionState(s.partOf(a)).lastLogId).toBe(0);
  });

  it('keeps its rows across close and reopen, and finds an unopened space on disk', async () => {
    await s.write([putTag(a, 2, { name: 'Tim' }), putEdge(a, 7, b)]);
    const again = t.reopen().space(1);
    expect(again?.partitionNum).toBe(10);
    expect(again?.getTag(a, 2)?.props).toEqual({ name: 'Tim' });
    expect(again?.outEdges(a)).toHaveLength(1);
    expect(t.engine.space(2)).toBeUndefined();
  });
});

describe('dropSpace', () => {
  it('closes the space and deletes its files', async () => {
    const s = t.engine.openSpace(3, 4, 'FIXED_STRING');
    await s.write([putTag('v', 1, {})]);
    t.engine.dropSpace(3);
    expect(existsSync(join(t.dir, 'space-3.db'))).toBe(false);
    expect(t.engine.space(3)).toBeUndefined();
    expect(t.engine.openSpace(3, 4, 'FIXED_STRING').getTags('v')).toEqual([]);
  });
});

describe('reading (what FETCH and GO run their reads in)', () => {
  it('sees one instant: a row another connection commits meanwhile shows only after it', async () => {
    const s = t.engine.openSpace(4, 4, 'FIXED_STRING');
    await s.write([putTag('a', 1, { n: 1n })]);
    const other = new Database(join(t.dir, 'space-4.db'));
    try {
      const insert = other.prepare('INSERT INTO tags (part, vid, tag_id, ver, props, crc) VALUES (?, ?, 1, 0, ?, NULL)');
      const seen = s.reading(() => {
        const before = [s.getTag('a', 1)?.props, s.getTag('b', 1)];
        insert.run(s.partOf('b'), 'b', encodeProps({ n: 2n }));
        return [...before, s.getTag('b', 1)];
      });
      expect(seen).toEqual([{ n: 1n }, undefined, undefined]);
      expect(s.getTag('b', 1)?.props).toEqual({ n: 2n });
      // Without it, each read is its own instant.
      insert.run(s.partOf('c'), 'c', encodeProps({ n: 3n }));
      expect(s.getTag('c', 1)?.props).toEqual({ n: 3n });
    } finally {
      other.close();
    }
  });

  it('answers what the function answers, and ends its transaction when it throws', async () => {
    const s = t.engine.openSpace(5, 4, 'FIXED_STRING');
    await s.write([putTag('a', 1, { n: 1n })]);
    expect(s.reading(() => s.getTag('a', 1)?.props)).toEqual({ n: 1n });
    expect(() => s.reading(() => { throw new Error('boom'); })).toThrow('boom');
    await s.write([putTag('a', 1, { n: 2n })]);
    expect(s.getTag('a', 1)?.props).toEqual({ n: 2n });
  });
});
