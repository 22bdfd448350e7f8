// Pins the meta store: root/nebula on first open, durable commits, reopen (with and without checkpoints) rebuilding the same catalog, and WAL reads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../../../src/catalog/password.ts';
import type { MetaOp } from '../../../../src/catalog/types.ts';
import { MetaStore, spacePositionKey } from '../../../../src/engine/meta/meta-store.ts';
import { ageProp, createSpace } from '../../catalog/fixtures.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'meta-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const ops: readonly MetaOp[] = [
  { op: 'addHosts', hosts: ['127.0.0.1:9779'] },
  createSpace('s'),
  { op: 'createSchema', space: 's', kind: 'TAG', name: 'player', props: [ageProp] },
  { op: 'alterSchema', space: 's', kind: 'TAG', name: 'player', props: [] },
  { op: 'grantRole', space: 's', user: 'root', role: 'GOD' },
  { op: 'addJob', space: 's', command: 'STATS', time: 5 },
  { op: 'finishJob', id: 1, status: 'FINISHED', time: 6, stats: { tags: {}, edges: {}, vertices: 0, edgeCount: 0 } },
];

function commitAll(store: MetaStore, times = 1): void {
  for (let i = 0; i < times; i += 1) for (const op of ops) store.commit(op, 1000 + i);
}

describe('MetaStore', () => {
  it('creates root with password nebula on first open, stored only as a hash', () => {
    const store = MetaStore.open({ dataPath: dir, fsync: false });
    const root = store.catalog().users.root;
    expect(store.lastLogId()).toBe(1);
    expect(root.passwordHash).not.toBe('nebula');
    expect(root.passwordHash).not.toContain('nebula');
    expect(verifyPassword('nebula', root.passwordHash)).toBe(true);
    store.close();
    const again = MetaStore.open({ dataPath: join(dir), fsync: true });
    expect(again.lastLogId()).toBe(1);
    expect(again.catalog().users.root.passwordHash).toBe(root.passwordHash);
    again.close();
  });

  it('commits entries with contiguous logIds and answers the new catalog', () => {
    const store = MetaStore.open({ dataPath: dir, fsync: false });
    const cat = store.commit(createSpace('s'), 1234);
    expect(cat.logId).toBe(2);
    expect(store.catalog()).toBe(cat);
    expect(store.lastTs()).toBe(1234);
    expect(cat.spaces.s.id).toBe(1);
    store.close();
  });

  it('reopens to a deep-equal catalog without a checkpoint', () => {
    const store = MetaStore.open({ dataPath: dir, fsync: false });
    commitAll(store);
    const before = store.catalog();
    store.close();
    const again = MetaStore.open({ dataPath: dir, fsync: false });
    expect(again.catalog()).toStrictEqual(before);
    expect(again.lastTs()).toBe(1000);
    again.close();
  });

  it('reopens to a deep-equal catalog from a checkpoint plus the tail after it', () => {
    const store = MetaStore.open({ dataPath: dir, fsync: false, checkpointEvery: 5 });
    commitAll(store, 3);
    const before = store.catalog();
    store.close();
    const db = new Database(join(dir, 'meta.db'));
    const checkpoints = db.prepare('SELECT log_id FROM meta_checkpoint ORDER BY log_id').pluck().all();
    db.close();
    expect(checkpoints).toEqual([15, 20]);
    const again = MetaStore.open({ dataPath: dir, fsync: false, checkpointEvery: 5 });
    expect(again.lastLogId()).toBe(22);
    expect(again.catalog()).toStrictEqual(before);
    again.commit({ op: 'dropSpace', name: 's' }, 9);
    expect(again.catalog().spaces.s).toBeUndefined();
    again.close();
  });

  it('refuses to open a WAL with a gap rather than serve a wrong catalog', () => {
    const store = MetaStore.open({ dataPath: dir, fsync: false });
    commitAll(store);
    store.close();
    const db = new Database(join(dir, 'meta.db'));
    db.prepare('DELETE FROM meta_wal WHERE log_id = 3').run();
    db.close();
    expect(() => MetaStore.open({ dataPath: dir, fsync: false })).toThrow(/gap/);
  });

  it('reads the WAL from a logId, inclusive, bounded by max', () => {
    const store = MetaStore.open({ dataPath: dir, fsync: false });
    commitAll(store);
    const all = store.readWal(1, 100);
    expect(all.map((e) => e.logId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(all[1].op).toEqual(ops[0]);
    expect(all[3].op).toStrictEqual(ops[2]);
    expect(store.readWal(4, 2).map((e) => e.logId)).toEqual([4, 5]);
    expect(store.readWal(9, 10)).toEqual([]);
    expect(store.readWal(0, 0)).toEqual([]);
    store.close();
  });

  it('drops the sync positions of a space with it, and a space created again starts with none', () => {
    const store = MetaStore.open({ dataPath: dir, fsync: false });
    store.commit(createSpace('t'), 1);
    store.commit(createSpace('u'), 1);
    const t = store.catalog().spaces['t']!.id;
    const u = store.catalog().spaces['u']!.id;
    const at = (spaceId: number) => ({ source: spacePositionKey(spaceId, 'c/s'), part: 0, appliedLogId: 7, appliedTs: 70, snapshotLogId: null });
    store.setSyncPosition(at(t));
    store.setSyncPosition(at(u));
    store.commit({ op: 'dropSpace', name: 't' }, 2);
    expect(store.syncPosition(spacePositionKey(t, 'c/s'), 0)).toBeUndefined();
    expect(store.syncPositionCount(t)).toBe(0);
    expect(store.syncPosition(spacePositionKey(u, 'c/s'), 0)).toMatchObject({ appliedLogId: 7 });
    store.commit(createSpace('t'), 3);
    const again = store.catalog().spaces['t']!.id;
    expect(again).not.toBe(t);
    expect(store.syncPositionCount(again)).toBe(0);
    store.close();
  });
});
