/**
 * The storage engine: one SQLite file per space under `dataPath`, opened on demand, and the timer
 * that enforces `wal_ttl`. Reads happen on the calling thread; writes, their fsyncs and the
 * retention deletes in the process's storage writer thread (storage-worker-client.ts).
 *
 * Opening an existing file runs `PRAGMA quick_check` first (DESIGN.md guarantee 7). A file that
 * fails it, or that SQLite calls corrupt, is not opened: a `DamagedSpaceStore` stands in for it,
 * every use of that space fails with the storage error, and the other spaces go on serving.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { silentLogger, type Logger } from '../../log.ts';
import type { Damage } from './damage.ts';
import { DamagedSpaceStore } from './damaged-space.ts';
import { isCorruption, quickCheck } from './integrity-check.ts';
import { partitionerOf } from './partition-of.ts';
import { ensureSchema, openSpaceDb, readIdentity, spaceFileName, type VidType } from './space-schema.ts';
import { SqliteSpaceStore } from './space-store.ts';
import { StorageWorkerClient } from './storage-worker-client.ts';
import type { SpaceStore, StorageEngine, StorageEngineOptions } from './types.ts';

/** Longest pause between retention sweeps; shorter when wal_ttl is short, never under a second. */
const PURGE_INTERVAL_MS_MAX = 60_000;
const PURGE_INTERVAL_MS_MIN = 1_000;

/** Numbers the engines of this process: a space's name in the shared writer thread includes it. */
let nextEngineId = 1;

export function purgeIntervalMs(walTtlSecs: number): number {
  return Math.max(PURGE_INTERVAL_MS_MIN, Math.min(PURGE_INTERVAL_MS_MAX, (walTtlSecs * 1000) / 4));
}

export interface StorageEngineExtras {
  /** Clock for WAL entry timestamps (tests pin it); defaults to `Date.now`. */
  readonly now?: () => number;
  /** Where damage found on disk is reported; silent by default. */
  readonly log?: Logger;
}

/** What a damaged file still says about its partitions' last log ids; empty when it says nothing. */
function salvageStates(file: string): Map<number, { lastLogId: number; lastTs: number }> {
  const states = new Map<number, { lastLogId: number; lastTs: number }>();
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      for (const r of db.prepare('SELECT part, last_log_id, last_ts FROM part_state').all() as { part: number; last_log_id: number; last_ts: number }[]) {
        states.set(r.part, { lastLogId: r.last_log_id, lastTs: r.last_ts });
      }
    } finally {
      db.close();
    }
  } catch {
    states.clear();
  }
  return states;
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
  const log = options.log ?? silentLogger;
  assert(walTtlSecs > 0, 'wal_ttl must be positive');
  mkdirSync(dataPath, { recursive: true });
  const spaces = new Map<number, SqliteSpaceStore | DamagedSpaceStore>();
  let closed = false;
  const client = StorageWorkerClient.shared();
  client.onLog((l) => log[l.level](l.message, l.fields));
  const engineId = nextEngineId++;
  /** The space's name in the writer thread, unique in the process. */
  const keyOf = (spaceId: number): string => `${engineId}/${spaceId}`;

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
    const existed = existsSync(file);
    let db: Database.Database | undefined;
    try {
      db = openSpaceDb(file, fsync);
      const problems = existed ? quickCheck(db) : [];
      if (problems.length > 0) {
        db.close();
        return refuseFile(spaceId, partitionNum, vidType, `quick_check failed: ${problems.join('; ')}`);
      }
      const identity = ensureSchema(db, { spaceId, partitionNum, vidType });
      const store = new SqliteSpaceStore(db, file, identity, { client, key: keyOf(spaceId), fsync }, now, log.child({ spaceId }));
      spaces.set(spaceId, store);
      return store;
    } catch (err) {
      db?.close();
      if (existed && isCorruption(err)) return refuseFile(spaceId, partitionNum, vidType, `unreadable file: ${(err as Error).message}`);
      throw err;
    }
  };

  /** Give up a damaged file: log it, and serve the storage error for the whole space. */
  const refuseFile = (spaceId: number, partitionNum: number, vidType: VidType, reason: string): SpaceStore => {
    const file = fileOf(spaceId);
    const damage: Damage = { spaceId, part: 0, subject: { kind: 'file' }, reason, refused: true, foundAt: now() };
    log.error('space file damaged: the space is refused, the others keep serving', { spaceId, file, reason });
    const store = new DamagedSpaceStore(damage, partitionNum, partitionerOf(vidType, partitionNum), salvageStates(file));
    spaces.set(spaceId, store);
    return store;
  };

  const space = (spaceId: number): SpaceStore | undefined => {
    const open = spaces.get(spaceId);
    if (open !== undefined || closed) return open;
    const file = fileOf(spaceId);
    if (!existsSync(file)) return undefined;
    let identity;
    try {
      const db = openSpaceDb(file, fsync);
      try {
        identity = readIdentity(db);
      } finally {
        db.close();
      }
    } catch (err) {
      // A file too damaged to say which space it holds: openSpace, given the catalog's answer, refuses it.
      if (isCorruption(err)) return undefined;
      throw err;
    }
    return identity && openSpace(spaceId, identity.partitionNum, identity.vidType);
  };

  const dropSpace = (spaceId: number): void => {
    if (spaces.get(spaceId) instanceof SqliteSpaceStore) client.call({ op: 'close', spaces: [keyOf(spaceId)] });
    spaces.get(spaceId)?.close();
    spaces.delete(spaceId);
    const file = fileOf(spaceId);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  };

  const open = (): boolean => [...spaces.values()].some((s) => s instanceof SqliteSpaceStore);

  /** Waits for the writer thread to delete (done in the order of the writes before it). */
  const purgeExpired = (nowMs: number = now()): number => (open() ? client.call({ op: 'purge', cutoffMs: nowMs - walTtlSecs * 1000 }) : 0);

  // The timer does not wait: the deletes queue behind the writes in the writer thread.
  const timer = setInterval(() => open() && client.purge(now() - walTtlSecs * 1000), purgeIntervalMs(walTtlSecs));
  timer.unref();

  return {
    openSpace,
    space,
    dropSpace,
    purgeExpired,
    damaged: () => [...spaces.values()].flatMap((s) => s.damaged()),
    close: () => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      // The writer's side first: it commits what it holds, then the files close.
      const keys = [...spaces].flatMap(([id, s]) => (s instanceof SqliteSpaceStore ? [keyOf(id)] : []));
      if (keys.length > 0) client.call({ op: 'close', spaces: keys });
      for (const s of spaces.values()) s.close();
      spaces.clear();
    },
  };
}
