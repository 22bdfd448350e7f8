/**
 * The meta WAL (partition 0) and the catalog it builds, in one SQLite file `meta.db`.
 *
 * Every catalog change is one row of `meta_wal`, committed on its own before the new catalog is
 * published, so an acknowledged change survives kill -9. Every `META_CHECKPOINT_EVERY` entries
 * the whole catalog is written to `meta_checkpoint` so that a restart replays only the tail.
 * The meta WAL is never purged for now: it holds schema and admin changes only, which stay small,
 * and the meta listener can then always resume from any position.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { apply } from '../../catalog/apply.ts';
import { emptyCatalog } from '../../catalog/empty.ts';
import { hashPassword } from '../../catalog/password.ts';
import type { Catalog, MetaEntry, MetaOp } from '../../catalog/types.ts';
import { limits } from '../../limits.ts';
import type { SyncPosition } from '../storage/types.ts';
import { decodeCatalog, decodeMetaEntry, encodeCatalog, encodeMetaEntry } from './meta-codec.ts';

/** Entries between two checkpoints: a restart replays at most this many. */
export const META_CHECKPOINT_EVERY = 1000;
/** Checkpoints kept; older ones are deleted once a newer one is durable. */
const CHECKPOINTS_KEPT = 2;
/** The term stamped on entries; there is one meta replica, so it never changes. */
const META_TERM = 1;
export type { SyncPosition };
export const ROOT_USER = 'root';

/**
 * The key of a position kept here (partition 0 of a source) for target space `spaceId`: positions
 * belong to the target space as much as to the source, so two target spaces receiving from one
 * source never share one, and a target space dropped and created again (a new id) starts from
 * nothing. DROP SPACE deletes them with the space (`commit` of `dropSpace`).
 */
export function spacePositionKey(spaceId: number, source: string): string {
  return `${spacePositionPrefix(spaceId)}${source}`;
}

const spacePositionPrefix = (spaceId: number): string => `space ${spaceId}:`;
export const ROOT_DEFAULT_PASSWORD = 'nebula';

export interface MetaStoreOptions {
  /** Folder that holds `meta.db`; created when missing. */
  readonly dataPath: string;
  /** `true` = SQLite synchronous=FULL (each commit fsync'd); `false` = NORMAL. */
  readonly fsync: boolean;
  /** How often to checkpoint; tests lower it. Defaults to META_CHECKPOINT_EVERY. */
  readonly checkpointEvery?: number;
}

interface WalRow {
  readonly log_id: number;
  readonly body: string;
}

export class MetaStore {
  readonly #db: Database.Database;
  readonly #checkpointEvery: number;
  #catalog: Catalog;
  #lastTs: number;
  readonly #insert: Database.Statement<[number, number, number, string]>;
  readonly #read: Database.Statement<[number, number], WalRow>;
  readonly #putPosition: Database.Statement<[string, number, number, number, number | null]>;
  readonly #getPosition: Database.Statement<[string, number], { applied_log_id: number; applied_ts: number; snapshot_log_id: number | null }>;
  readonly #clearPositions: Database.Statement<[string, string]>;
  readonly #listeners = new Set<(catalog: Catalog) => void>();
  /** This cluster's id, made once when the store was created: how replication names a source. */
  readonly clusterId: string;

  private constructor(db: Database.Database, checkpointEvery: number) {
    this.#db = db;
    this.#putPosition = db.prepare(
      'INSERT OR REPLACE INTO sync_position (source, part, applied_log_id, applied_ts, snapshot_log_id) VALUES (?, ?, ?, ?, ?)',
    );
    this.#getPosition = db.prepare('SELECT applied_log_id, applied_ts, snapshot_log_id FROM sync_position WHERE source = ? AND part = ?');
    this.#clearPositions = db.prepare('DELETE FROM sync_position WHERE substr(source, 1, length(?)) = ?');
    db.prepare('INSERT OR IGNORE INTO cluster_info (id, cluster_id) VALUES (1, ?)').run(randomUUID());
    this.clusterId = (db.prepare('SELECT cluster_id FROM cluster_info WHERE id = 1').get() as { cluster_id: string }).cluster_id;
    this.#checkpointEvery = checkpointEvery;
    this.#insert = db.prepare('INSERT INTO meta_wal (log_id, term, ts, body) VALUES (?, ?, ?, ?)');
    this.#read = db.prepare<[number, number], WalRow>(
      'SELECT log_id, body FROM meta_wal WHERE log_id >= ? ORDER BY log_id LIMIT ?',
    );
    const loaded = this.#load();
    this.#catalog = loaded.catalog;
    this.#lastTs = loaded.lastTs;
  }

  /**
   * Open (or create) the store in `dataPath` and rebuild the catalog: newest checkpoint, then the
   * entries after it. A brand-new store logs user root with password `nebula`, as NebulaGraph has.
   *
   * @example
   * const store = MetaStore.open({ dataPath: '/data/meta', fsync: true });
   */
  static open(options: MetaStoreOptions): MetaStore {
    mkdirSync(options.dataPath, { recursive: true });
    const db = new Database(join(options.dataPath, 'meta.db'));
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.fsync ? 'FULL' : 'NORMAL'}`);
    db.exec(`
      CREATE TABLE IF NOT EXISTS meta_wal (
        log_id INTEGER PRIMARY KEY, term INTEGER NOT NULL, ts INTEGER NOT NULL, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS meta_checkpoint (log_id INTEGER PRIMARY KEY, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS cluster_info (id INTEGER PRIMARY KEY CHECK (id = 1), cluster_id TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS sync_position (
        source TEXT NOT NULL, part INTEGER NOT NULL, applied_log_id INTEGER NOT NULL,
        applied_ts INTEGER NOT NULL, snapshot_log_id INTEGER, PRIMARY KEY (source, part));
    `);
    const store = new MetaStore(db, options.checkpointEvery ?? META_CHECKPOINT_EVERY);
    if (store.lastLogId() === 0) {
      store.commit({ op: 'putUser', name: ROOT_USER, passwordHash: hashPassword(ROOT_DEFAULT_PASSWORD) }, Date.now());
    }
    return store;
  }

  #load(): { catalog: Catalog; lastTs: number } {
    const checkpoint = this.#db
      .prepare<[], { log_id: number; body: string }>('SELECT log_id, body FROM meta_checkpoint ORDER BY log_id DESC LIMIT 1')
      .get();
    let catalog = checkpoint === undefined ? emptyCatalog() : decodeCatalog(checkpoint.body);
    assert.equal(catalog.logId, checkpoint?.log_id ?? 0, 'meta checkpoint row and catalog disagree on logId');
    const tail = this.#db
      .prepare<[number], { log_id: number; body: string }>('SELECT log_id, body FROM meta_wal WHERE log_id > ? ORDER BY log_id')
      .iterate(catalog.logId);
    for (const row of tail) {
      const entry = decodeMetaEntry(row.body);
      // A gap would mean a lost change: refuse to start rather than serve a wrong catalog.
      assert.equal(row.log_id, catalog.logId + 1, `meta WAL gap after logId ${catalog.logId}`);
      assert.equal(entry.logId, row.log_id, 'meta WAL row and entry disagree on logId');
      catalog = apply(catalog, entry);
    }
    const last = this.#db.prepare<[number], { ts: number }>('SELECT ts FROM meta_wal WHERE log_id = ?').get(catalog.logId);
    const lastTs = last?.ts ?? 0;
    return { catalog, lastTs };
  }

  /**
   * Log `op` as entry lastLogId+1 (durably, in its own transaction), apply it and return the new
   * catalog. `now` is the commit time in ms stored as the entry's ts. With `position`, the
   * replication position is stored in the same transaction (a secondary applying schema changes).
   */
  commit(op: MetaOp, now: number, position?: SyncPosition): Catalog {
    const entry: MetaEntry = { logId: this.#catalog.logId + 1, term: META_TERM, ts: now, op };
    // Apply first: it is pure, so nothing is logged that the catalog could not take.
    const next = apply(this.#catalog, entry);
    const dropped = op.op === 'dropSpace' && Object.hasOwn(this.#catalog.spaces, op.name) ? this.#catalog.spaces[op.name]!.id : undefined;
    if (position === undefined && dropped === undefined) {
      this.#insert.run(entry.logId, entry.term, entry.ts, encodeMetaEntry(entry));
    } else {
      this.#db.transaction(() => {
        this.#insert.run(entry.logId, entry.term, entry.ts, encodeMetaEntry(entry));
        if (position !== undefined) this.#writePosition(position);
        // A dropped target space's positions go with it, in the same transaction.
        if (dropped !== undefined) this.#clearPositions.run(spacePositionPrefix(dropped), spacePositionPrefix(dropped));
      })();
    }
    this.#catalog = next;
    this.#lastTs = now;
    if (entry.logId % this.#checkpointEvery === 0) this.#checkpoint(next);
    for (const listener of this.#listeners) listener(next);
    return next;
  }

  /** How many positions are stored for target space `spaceId` (DROP SPACE leaves none). */
  syncPositionCount(spaceId: number): number {
    const prefix = spacePositionPrefix(spaceId);
    const row = this.#db.prepare<[string, string], { n: number }>('SELECT count(*) AS n FROM sync_position WHERE substr(source, 1, length(?)) = ?').get(prefix, prefix);
    return row?.n ?? 0;
  }

  /** Store a replication position that comes with no catalog change. */
  setSyncPosition(position: SyncPosition): void {
    this.#writePosition(position);
  }

  /** The stored position of `source`'s partition `part` (0 = schema), or undefined when none. */
  syncPosition(source: string, part: number): SyncPosition | undefined {
    const row = this.#getPosition.get(source, part);
    if (row === undefined) return undefined;
    return { source, part, appliedLogId: row.applied_log_id, appliedTs: row.applied_ts, snapshotLogId: row.snapshot_log_id };
  }

  #writePosition(p: SyncPosition): void {
    this.#putPosition.run(p.source, p.part, p.appliedLogId, p.appliedTs, p.snapshotLogId);
  }

  /** Call `listener` after every commit (the meta WAL tail for listeners); answers an unsubscribe. */
  onCommit(listener: (catalog: Catalog) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #checkpoint(catalog: Catalog): void {
    this.#db.transaction(() => {
      this.#db.prepare('INSERT OR REPLACE INTO meta_checkpoint (log_id, body) VALUES (?, ?)').run(catalog.logId, encodeCatalog(catalog));
      this.#db
        .prepare(
          'DELETE FROM meta_checkpoint WHERE log_id NOT IN (SELECT log_id FROM meta_checkpoint ORDER BY log_id DESC LIMIT ?)',
        )
        .run(CHECKPOINTS_KEPT);
    })();
  }

  /** Entries with logId >= `fromLogId`, oldest first, at most `max` (and at most limits.walReadEntriesMax). */
  readWal(fromLogId: number, max: number): readonly MetaEntry[] {
    const count = Math.max(0, Math.min(max, limits.walReadEntriesMax));
    if (count === 0) return [];
    return this.#read.all(Math.max(1, fromLogId), count).map((row) => decodeMetaEntry(row.body));
  }

  /** Log id of the last entry (0 when none). */
  lastLogId(): number {
    return this.#catalog.logId;
  }

  /** ts of the last entry (0 when none): what partition 0's time latency is measured against. */
  lastTs(): number {
    return this.#lastTs;
  }

  /** The current catalog snapshot; immutable, so callers may keep it. */
  catalog(): Catalog {
    return this.#catalog;
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
