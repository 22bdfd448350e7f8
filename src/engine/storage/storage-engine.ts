/**
 * The storage engine: one SQLite file per space under `dataPath`, opened on demand, and the timer
 * that enforces `wal_ttl`.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSchema, openSpaceDb, readIdentity, spaceFileName, type VidType } from './space-schema.ts';
import { SqliteSpaceStore } from './space-store.ts';
import type { SpaceStore, StorageEngine, StorageEngineOptions } from './types.ts';

/** Longest pause between retention sweeps; shorter when wal_ttl is short, never under a second. */
const PURGE_INTERVAL_MS_MAX = 60_000;
const PURGE_INTERVAL_MS_MIN = 1_000;

export function purgeIntervalMs(walTtlSecs: number): number {
  return Math.max(PURGE_INTERVAL_MS_MIN, Math.min(PURGE_INTERVAL_MS_MAX, (walTtlSecs * 1000) / 4));
}

export interface StorageEngineExtras {
  /** Clock for WAL entry timestamps (tests pin it); defaults to `Date.now`. */
  readonly now?: () => number;
}

/**
 * @example
 * const engine = createStorageEngine({ dataPath: '/data', walTtlSecs: 14400, fsync: true });
 * const space = engine.openSpace(1, 15, 'FIXED_STRING');
 * await space.write([{ op: 'putTag', vid: 'v1', tagId: 2, ver: 0, props: { name: 'a' } }]);
 */
export function createStorageEngine(options: StorageEngineOptions & StorageEngineExtras): StorageEngine {
  const { dataPath, walTtlSecs, fsync } = options;
  const now = options.now ?? Date.now;
  assert(walTtlSecs > 0, 'wal_ttl must be positive');
  mkdirSync(dataPath, { recursive: true });
  const spaces = new Map<number, SqliteSpaceStore>();
  let closed = false;

  const fileOf = (spaceId: number): string => join(dataPath, spaceFileName(spaceId));

  const openSpace = (spaceId: number, partitionNum: number, vidType: VidType): SpaceStore => {
    assert(!closed, 'storage engine is closed');
    const open = spaces.get(spaceId);
    if (open !== undefined) {
      assert.equal(open.partitionNum, partitionNum, `space ${spaceId} has ${open.partitionNum} partitions`);
      return open;
    }
    assert(Number.isInteger(partitionNum) && partitionNum >= 1, 'partition_num must be a positive integer');
    const file = fileOf(spaceId);
    const db = openSpaceDb(file, fsync);
    try {
      const identity = ensureSchema(db, { spaceId, partitionNum, vidType });
      const store = new SqliteSpaceStore(db, file, identity, now);
      spaces.set(spaceId, store);
      return store;
    } catch (err) {
      db.close();
      throw err;
    }
  };

  const space = (spaceId: number): SpaceStore | undefined => {
    const open = spaces.get(spaceId);
    if (open !== undefined || closed) return open;
    const file = fileOf(spaceId);
    if (!existsSync(file)) return undefined;
    const db = openSpaceDb(file, fsync);
    let identity;
    try {
      identity = readIdentity(db);
    } finally {
      db.close();
    }
    return identity && openSpace(spaceId, identity.partitionNum, identity.vidType);
  };

  const dropSpace = (spaceId: number): void => {
    spaces.get(spaceId)?.close();
    spaces.delete(spaceId);
    const file = fileOf(spaceId);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  };

  const purgeExpired = (nowMs: number = now()): number => {
    const cutoff = nowMs - walTtlSecs * 1000;
    let purged = 0;
    for (const s of spaces.values()) purged += s.purgeOlderThan(cutoff);
    return purged;
  };

  const timer = setInterval(() => purgeExpired(), purgeIntervalMs(walTtlSecs));
  timer.unref();

  return {
    openSpace,
    space,
    dropSpace,
    purgeExpired,
    close: () => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      for (const s of spaces.values()) s.close();
      spaces.clear();
    },
  };
}
