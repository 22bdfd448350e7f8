/**
 * The SQLite file of one space: its tables, its identity, and the recovery check on open.
 *
 * Rows are keyed by partition first, so a partition's snapshot is a range scan of the primary key;
 * in-edges have their own index on (dst, etype). Each row carries its checksum (`crc`,
 * row-checksum.ts). The WAL keeps one row per entry, its body being the checksummed encoding that
 * replication ships as is. `part_state` keeps each partition's last log id and its ts even after
 * retention deleted the entry itself.
 *
 * The file's format is SQLite's `user_version`: 0 = written before rows had checksums, 1 = rows
 * carry `crc`. Opening a format-0 file adds the column (NULL for the rows already there: those
 * read as "not verified") and moves it to format 1; a newer format than this code knows is refused.
 */
import { strict as assert } from 'node:assert';
import Database from 'better-sqlite3';

export type VidType = 'INT64' | 'FIXED_STRING';

export interface SpaceIdentity {
  readonly spaceId: number;
  readonly partitionNum: number;
  readonly vidType: VidType;
}

/** The format this code writes (`PRAGMA user_version`); see the opening comment. */
export const SPACE_FILE_FORMAT = 1;
/** The format of files written before rows carried checksums. */
const FORMAT_WITHOUT_ROW_CRC = 0;

/**
 * Pages SQLite may cache per connection (negative = KiB). Small on purpose. A reading connection
 * drops its whole cache whenever another connection committed (WAL mode), which under replication
 * is every few milliseconds, so a large cache there only costs the freeing and refilling. And at
 * the end of every write transaction SQLite truncates the writer's cache (`pcache1Truncate`), a
 * walk over its hash table that grows with the cache: with 64 MiB it was the writer thread's
 * hottest function under `perf` (13% of a commit-heavy microbenchmark). Pages not cached here
 * still come from the OS page cache. Measured in docs/performance.md: 4 MiB against 64 MiB cut the
 * primary's and the secondary's CPU per replicated row by about a seventh.
 */
const CACHE_KIB = 4 * 1024;

export function spaceFileName(spaceId: number): string {
  return `space-${spaceId}.db`;
}

/** Open (creating if needed) with the journal and sync settings the engine relies on. */
export function openSpaceDb(file: string, fsync: boolean): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${fsync ? 'FULL' : 'NORMAL'}`);
  db.pragma(`cache_size = -${CACHE_KIB}`);
  db.pragma('temp_store = MEMORY');
  return db;
}

/** Create the tables of a new space, or check that an existing file is the space asked for. */
export function ensureSchema(db: Database.Database, want: SpaceIdentity): SpaceIdentity {
  const vidCol = want.vidType === 'INT64' ? 'INTEGER' : 'TEXT';
  const format = db.pragma('user_version', { simple: true }) as number;
  assert(format <= SPACE_FILE_FORMAT, `space file format ${format} is newer than this version reads (${SPACE_FILE_FORMAT})`);
  db.exec(`
    CREATE TABLE IF NOT EXISTS space_info (
      id INTEGER PRIMARY KEY CHECK (id = 1), space_id INTEGER NOT NULL,
      partition_num INTEGER NOT NULL, vid_type TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS tags (
      part INTEGER NOT NULL, vid ${vidCol} NOT NULL, tag_id INTEGER NOT NULL, ver INTEGER NOT NULL,
      props BLOB NOT NULL, crc INTEGER, PRIMARY KEY (part, vid, tag_id)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS edges (
      part INTEGER NOT NULL, src ${vidCol} NOT NULL, etype INTEGER NOT NULL, rank INTEGER NOT NULL,
      dst ${vidCol} NOT NULL, ver INTEGER NOT NULL, props BLOB NOT NULL, crc INTEGER,
      PRIMARY KEY (part, src, etype, rank, dst)) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS edges_in ON edges (dst, etype);
    CREATE TABLE IF NOT EXISTS wal (
      part INTEGER NOT NULL, log_id INTEGER NOT NULL, term INTEGER NOT NULL, ts INTEGER NOT NULL,
      body BLOB NOT NULL, PRIMARY KEY (part, log_id));
    CREATE TABLE IF NOT EXISTS part_state (
      part INTEGER PRIMARY KEY, last_log_id INTEGER NOT NULL, last_ts INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS sync_position (
      source TEXT NOT NULL, part INTEGER NOT NULL, applied_log_id INTEGER NOT NULL,
      applied_ts INTEGER NOT NULL, snapshot_log_id INTEGER, PRIMARY KEY (source, part));
  `);
  if (format === FORMAT_WITHOUT_ROW_CRC) addRowChecksums(db);
  const row = db.prepare('SELECT space_id, partition_num, vid_type FROM space_info WHERE id = 1').get() as
    | { space_id: number; partition_num: number; vid_type: VidType }
    | undefined;
  if (row === undefined) {
    db.transaction(() => {
      db.prepare('INSERT INTO space_info (id, space_id, partition_num, vid_type) VALUES (1, ?, ?, ?)').run(
        want.spaceId,
        want.partitionNum,
        want.vidType,
      );
      const init = db.prepare('INSERT OR IGNORE INTO part_state (part, last_log_id, last_ts) VALUES (?, 0, 0)');
      for (let p = 1; p <= want.partitionNum; p++) init.run(p);
    })();
    return want;
  }
  const have: SpaceIdentity = { spaceId: row.space_id, partitionNum: row.partition_num, vidType: row.vid_type };
  assert.deepEqual(have, want, `space file holds space ${JSON.stringify(have)}, not ${JSON.stringify(want)}`);
  return have;
}

/**
 * Format 0 -> 1 (a new file is format 0 until here too): a `crc` column on both row tables, NULL
 * for every row already stored (read as "not verified"; rewriting a row gives it a checksum). No
 * row is read or rewritten, so opening a big old space stays instant.
 */
function addRowChecksums(db: Database.Database): void {
  db.transaction(() => {
    for (const table of ['tags', 'edges']) {
      const cols = db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[];
      if (!cols.includes('crc')) db.exec(`ALTER TABLE ${table} ADD COLUMN crc INTEGER`);
    }
    db.pragma(`user_version = ${SPACE_FILE_FORMAT}`);
  })();
}

/** What an existing file says it holds, or undefined when it has no identity row. */
export function readIdentity(db: Database.Database): SpaceIdentity | undefined {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'space_info'").get();
  if (table === undefined) return undefined;
  const row = db.prepare('SELECT space_id, partition_num, vid_type FROM space_info WHERE id = 1').get() as
    | { space_id: number; partition_num: number; vid_type: VidType }
    | undefined;
  return row && { spaceId: row.space_id, partitionNum: row.partition_num, vidType: row.vid_type };
}

/**
 * After a crash SQLite has already rolled back whatever was not committed; this checks what must
 * hold on top: each partition's retained WAL is one contiguous run of log ids that ends at the
 * partition's recorded last log id. Anything else means data and log disagree, so it asserts.
 */
export function verifyWal(db: Database.Database, partitionNum: number): void {
  const runs = db
    .prepare('SELECT part, MIN(log_id) AS lo, MAX(log_id) AS hi, COUNT(*) AS n FROM wal GROUP BY part')
    .all() as { part: number; lo: number; hi: number; n: number }[];
  const states = db.prepare('SELECT part, last_log_id FROM part_state').all() as { part: number; last_log_id: number }[];
  const last = new Map(states.map((s) => [s.part, s.last_log_id]));
  assert.equal(states.length, partitionNum, `part_state has ${states.length} partitions, expected ${partitionNum}`);
  for (const r of runs) {
    assert(r.part >= 1 && r.part <= partitionNum, `WAL entries for partition ${r.part} outside 1..${partitionNum}`);
    assert.equal(r.n, r.hi - r.lo + 1, `partition ${r.part}: WAL has a gap between log ids ${r.lo} and ${r.hi}`);
    assert.equal(r.hi, last.get(r.part), `partition ${r.part}: WAL ends at ${r.hi}, state says ${last.get(r.part)}`);
  }
}
