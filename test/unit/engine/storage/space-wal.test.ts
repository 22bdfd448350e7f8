// Pins the partition WALs: one entry per partition per write, contiguous log ids across writes, group commits and reopen, readWal ranges, and retention.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { limits } from '../../../../src/limits.ts';
import { purgeIntervalMs } from '../../../../src/engine/storage/storage-engine.ts';
import type { DataOp, SpaceStore, WalEntry } from '../../../../src/engine/storage/types.ts';
import { tempEngine, type TempEngine } from './temp-engine.ts';

let t: TempEngine;
afterEach(() => t.cleanup());

const tag = (vid: string, n = 0): DataOp => ({ op: 'putTag', vid, tagId: 1, ver: 0, props: { n: BigInt(n) } });

/** Every entry of every partition, checking each partition's log ids run 1, 2, 3, ... */
function allEntries(s: SpaceStore): Map<number, WalEntry[]> {
  const out = new Map<number, WalEntry[]>();
  for (let p = 1; p <= s.partitionNum; p++) {
    const read = s.readWal(p, 1, limits.walReadEntriesMax);
    if (read.kind !== 'entries') throw new Error(`partition ${p} gone`);
    expect(read.entries.map((e) => e.logId)).toEqual(read.entries.map((_, i) => i + 1));
    expect(read.lastLogId).toBe(read.entries.length);
    out.set(p, [...read.entries]);
  }
  return out;
}

describe('writes and the WAL', () => {
  beforeEach(() => {
    t = tempEngine();
  });

  it('turns one write into one entry per touched partition, ops in order, edges by src', async () => {
    const s = t.engine.openSpace(1, 5, 'FIXED_STRING');
    const vids = Array.from({ length: 40 }, (_, i) => `v${i}`);
    const ops: DataOp[] = vids.map((v) => tag(v));
    ops.push({ op: 'putEdge', src: 'v1', etype: 9, rank: 0n, dst: 'v2', ver: 0, props: {} });
    ops.push({ op: 'deleteTag', vid: 'v1', tagId: 1 });
    const written = await s.write(ops);
    const parts = new Set(vids.map((v) => s.partOf(v)));
    expect(written.map((w) => w.part).sort()).toEqual([...parts].sort());
    for (const { part, entry } of written) {
      expect(entry).toMatchObject({ logId: 1, term: 1, ts: t.clock.now });
      expect(entry.ops).toEqual(ops.filter((o) => s.partOf(o.op === 'putEdge' || o.op === 'deleteEdge' ? o.src : o.vid) === part));
      expect(s.readWal(part, 1, 10)).toEqual({ kind: 'entries', entries: [entry], lastLogId: 1 });
    }
    expect(s.getTags('v1')).toEqual([]);
  });

  it('keeps every partition contiguous over many writes and across close/reopen', async () => {
    let s = t.engine.openSpace(1, 7, 'FIXED_STRING');
    for (let i = 0; i < 60; i++) await s.write([tag(`a${i}`, i), tag(`b${i % 5}`, i)]);
    const before = allEntries(s);
    s = t.reopen().openSpace(1, 7, 'FIXED_STRING');
    expect(allEntries(s)).toEqual(before);
    for (let i = 0; i < 30; i++) await s.write([tag(`c${i}`, i)]);
    const after = allEntries(s);
    const count = (m: Map<number, WalEntry[]>): number => [...m.values()].reduce((n, es) => n + es.length, 0);
    expect(count(after)).toBe(count(before) + 30);
  });

  it('refuses to open a space whose WAL has a gap or disagrees with the partition state', async () => {
    const s = t.engine.openSpace(1, 1, 'FIXED_STRING');
    for (let i = 0; i < 5; i++) await s.write([tag('v', i)]);
    t.engine.close();
    const db = new Database(join(t.dir, 'space-1.db'));
    db.prepare('DELETE FROM wal WHERE log_id = 3').run();
    db.close();
    t.reopen();
    expect(() => t.engine.openSpace(1, 1, 'FIXED_STRING')).toThrow(/gap/);
    const db2 = new Database(join(t.dir, 'space-1.db'));
    db2.prepare('DELETE FROM wal WHERE log_id <= 3').run();
    db2.prepare('UPDATE part_state SET last_log_id = 9').run();
    db2.close();
    expect(() => t.engine.openSpace(1, 1, 'FIXED_STRING')).toThrow(/state says 9/);
  });

  it('group-commits many writes of one tick: all resolve, then all are visible, log ids contiguous', async () => {
    const s = t.engine.openSpace(1, 3, 'FIXED_STRING');
    const writes = Array.from({ length: 200 }, (_, i) => s.write([tag(`g${i}`, i)]));
    const results = await Promise.all(writes);
    // Reads see what was committed: every write, once they all resolved.
    expect(s.counts().vertices).toBe(200);
    expect(results.every((r) => r.length === 1)).toBe(true);
    const entries = allEntries(s);
    expect([...entries.values()].reduce((n, es) => n + es.length, 0)).toBe(200);
    for (const [part, es] of entries) {
      const mine = results.flat().filter((w) => w.part === part).map((w) => w.entry.logId);
      expect(mine).toEqual(es.map((e) => e.logId));
    }
  });

  it('rejects only the failing write of a group, leaving no trace of it and no gap', async () => {
    const s = t.engine.openSpace(1, 3, 'FIXED_STRING');
    const [p1, p2] = [s.partOf('x1'), s.partOf('x2')];
    const badValue = { kind: 'nonsense' } as unknown as bigint;
    const first = s.write([tag('x1', 1), tag('x2', 1)]);
    const broken = s.write([tag('y1', 2), { op: 'putTag', vid: 'x2', tagId: 1, ver: 0, props: { n: badValue } }]);
    const third = s.write([tag('x1', 3), tag('x2', 3)]);
    await expect(broken).rejects.toThrow();
    await first;
    await third;
    expect(s.getTag('y1', 1)).toBeUndefined();
    expect(s.getTag('x1', 1)?.props).toEqual({ n: 3n });
    for (const p of new Set([p1, p2])) expect(s.partitionState(p).lastLogId).toBe(2);
    allEntries(s);
  });

  it('keeps each (source, part) position with the writes that carry one, as the file has it after a reopen', async () => {
    const s = t.engine.openSpace(1, 3, 'FIXED_STRING');
    const at = (part: number, appliedLogId: number, snapshotLogId: number | null = null) => ({ source: 'c/s', part, appliedLogId, appliedTs: 1000 + appliedLogId, snapshotLogId });
    expect(s.syncPosition('c/s', 1)).toBeUndefined();
    await s.write([tag('a', 1)], { position: at(1, 5) });
    await s.write([], { position: at(2, 7, 9) });
    expect(s.syncPosition('c/s', 1)).toEqual(at(1, 5));
    expect(s.syncPosition('c/s', 2)).toEqual(at(2, 7, 9));
    expect(s.syncPosition('other/s', 1)).toBeUndefined();
    // A write that fails leaves the position where the last committed one put it.
    const badValue = { kind: 'nonsense' } as unknown as bigint;
    await expect(s.write([{ op: 'putTag', vid: 'b', tagId: 1, ver: 0, props: { n: badValue } }], { position: at(1, 6) })).rejects.toThrow();
    expect(s.syncPosition('c/s', 1)).toEqual(at(1, 5));
    await s.write([tag('a', 2)], { position: at(1, 6) });
    expect(s.syncPosition('c/s', 1)).toEqual(at(1, 6));
    const again = t.reopen().space(1)!;
    expect(again.syncPosition('c/s', 1)).toEqual(at(1, 6));
    expect(again.syncPosition('c/s', 2)).toEqual(at(2, 7, 9));
  });

  it('reads ranges of the WAL from a log id, bounded by max and by the read limit', async () => {
    const s = t.engine.openSpace(1, 1, 'FIXED_STRING');
    await Promise.all(Array.from({ length: limits.walReadEntriesMax + 5 }, (_, i) => s.write([tag('same', i)])));
    const read = (from: number, max: number): number[] => {
      const r = s.readWal(1, from, max);
      return r.kind === 'entries' ? r.entries.map((e) => e.logId) : [];
    };
    expect(read(3, 4)).toEqual([3, 4, 5, 6]);
    expect(read(limits.walReadEntriesMax + 3, 100)).toEqual([limits.walReadEntriesMax + 3, limits.walReadEntriesMax + 4, limits.walReadEntriesMax + 5]);
    expect(read(limits.walReadEntriesMax + 6, 100)).toEqual([]);
    expect(read(1, 1_000_000)).toHaveLength(limits.walReadEntriesMax);
    expect(read(1, 0)).toEqual([]);
    const e = s.readWal(1, 5, 1);
    expect(e.kind === 'entries' && e.entries[0]?.ops).toEqual([tag('same', 4)]);
    // Each limit is its own statement (a few are kept): any number of distinct limits reads right.
    for (let max = 1; max <= 9; max++) {
      expect(read(10, max)).toEqual(Array.from({ length: max }, (_, i) => 10 + i));
      const raw = s.readWalRaw(1, 10, max);
      expect(raw.kind === 'entries' ? raw.entries.map((x) => x.logId) : []).toEqual(Array.from({ length: max }, (_, i) => 10 + i));
    }
  });
});

describe('retention', () => {
  beforeEach(() => {
    t = tempEngine({ walTtlSecs: 10 });
  });

  it('purges entries older than wal_ttl as a prefix; older reads are gone, the state stays', async () => {
    const s = t.engine.openSpace(1, 1, 'FIXED_STRING');
    const t0 = t.clock.now;
    for (let i = 0; i < 5; i++) await s.write([tag('v', i)]);
    t.clock.now = t0 + 8_000;
    for (let i = 5; i < 8; i++) await s.write([tag('v', i)]);
    expect(t.engine.purgeExpired(t0 + 9_000)).toBe(0);
    expect(t.engine.purgeExpired(t0 + 15_000)).toBe(5);
    expect(s.partitionState(1)).toEqual({ part: 1, lastLogId: 8, lastTs: t0 + 8_000, firstLogId: 6 });
    expect(s.readWal(1, 3, 10)).toEqual({ kind: 'gone', firstLogId: 6, lastLogId: 8 });
    const r = s.readWal(1, 6, 10);
    expect(r.kind === 'entries' && r.entries.map((e) => e.logId)).toEqual([6, 7, 8]);

    expect(t.engine.purgeExpired(t0 + 60_000)).toBe(3);
    expect(s.partitionState(1)).toEqual({ part: 1, lastLogId: 8, lastTs: t0 + 8_000, firstLogId: 9 });
    expect(s.readWal(1, 9, 10)).toEqual({ kind: 'entries', entries: [], lastLogId: 8 });
    expect(s.readWal(1, 8, 10).kind).toBe('gone');
  });

  it('continues the log after a full purge and a reopen', async () => {
    let s = t.engine.openSpace(1, 2, 'FIXED_STRING');
    for (let i = 0; i < 4; i++) await s.write([tag('v', i)]);
    const part = s.partOf('v');
    t.engine.purgeExpired(t.clock.now + 60_000);
    s = t.reopen().openSpace(1, 2, 'FIXED_STRING');
    const [{ entry }] = await s.write([tag('v', 9)]);
    expect(entry?.logId).toBe(5);
    expect(s.partitionState(part)).toMatchObject({ lastLogId: 5, firstLogId: 5 });
    expect(s.getTag('v', 1)?.props).toEqual({ n: 9n });
  });

  it('sweeps every 60 s, or every wal_ttl/4 when shorter, but not more than once a second', () => {
    expect(purgeIntervalMs(14400)).toBe(60_000);
    expect(purgeIntervalMs(100)).toBe(25_000);
    expect(purgeIntervalMs(1)).toBe(1_000);
  });
});
