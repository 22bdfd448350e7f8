/**
 * Every SQL statement of a space, prepared once per connection (reads on the main thread, writes
 * in the storage writer thread), and the conversion of raw result rows into `TagRow` / `EdgeRow`,
 * which verifies each row's checksum first (`RowDecoder`).
 *
 * Reads that return a vid of an INT64 space, or an edge rank, run with `safeIntegers` so that
 * int64 values come back as exact bigints; small integer columns are then narrowed with `Number`.
 * Statements return raw arrays rather than objects: cheaper to build, and the column order is
 * fixed right here.
 */
import type Database from 'better-sqlite3';
import { checkProps, decodeProps } from '../wal/value-codec.ts';
import { putEdgeWithEncodedProps, putTagWithEncodedProps } from '../wal/wal-codec.ts';
import { StorageDamagedError, type DamageSubject } from './damage.ts';
import { edgeRowCrc, tagRowCrc } from './row-checksum.ts';
import type { VidType } from './space-schema.ts';
import type { EdgeRow, TagRow, Vid } from './types.ts';

type Stmt = Database.Statement<unknown[], unknown[]>;

const TAG_COLS = 'part, vid, tag_id, ver, props, crc';
const EDGE_COLS = 'part, src, etype, rank, dst, ver, props, crc';

/** Statements that read rows; shared by the live connection and by snapshot connections. */
export function prepareRowReads(db: Database.Database, vidType: VidType) {
  const intVids = vidType === 'INT64';
  const tagRead = (sql: string): Stmt => db.prepare<unknown[], unknown[]>(sql).raw(true).safeIntegers(intVids);
  const edgeRead = (sql: string): Stmt => db.prepare<unknown[], unknown[]>(sql).raw(true).safeIntegers(true);
  return {
    tagsOfVid: tagRead(`SELECT ${TAG_COLS} FROM tags WHERE part = ? AND vid = ?`),
    tagOfVid: tagRead(`SELECT ${TAG_COLS} FROM tags WHERE part = ? AND vid = ? AND tag_id = ?`),
    tagsOfPart: tagRead(`SELECT ${TAG_COLS} FROM tags WHERE part = ?`),
    edge: edgeRead(`SELECT ${EDGE_COLS} FROM edges WHERE part = ? AND src = ? AND etype = ? AND rank = ? AND dst = ?`),
    outEdges: edgeRead(`SELECT ${EDGE_COLS} FROM edges WHERE part = ? AND src = ?`),
    outEdgesOfType: edgeRead(`SELECT ${EDGE_COLS} FROM edges WHERE part = ? AND src = ? AND etype = ?`),
    inEdges: edgeRead(`SELECT ${EDGE_COLS} FROM edges WHERE dst = ?`),
    inEdgesOfType: edgeRead(`SELECT ${EDGE_COLS} FROM edges WHERE dst = ? AND etype = ?`),
    edgesOfPart: edgeRead(`SELECT ${EDGE_COLS} FROM edges WHERE part = ?`),
    stateOfPart: db.prepare<unknown[], unknown[]>('SELECT last_log_id, last_ts FROM part_state WHERE part = ?').raw(true),
  };
}

export type RowReads = ReturnType<typeof prepareRowReads>;

/** Tag rows per multi-row INSERT: the long form, and the short one for what is left. */
export const TAG_ROWS_PER_INSERT = 32;
export const TAG_ROWS_PER_SHORT_INSERT = 8;

const putTagsSql = (rows: number): string =>
  `INSERT OR REPLACE INTO tags (part, vid, tag_id, ver, props, crc) VALUES ${Array(rows).fill('(?, ?, ?, ?, ?, ?)').join(', ')}`;

/** Statements of the writer thread's connection (space-writer.ts): rows, WAL, states, positions. */
export function prepareWrites(db: Database.Database) {
  const raw = (sql: string): Stmt => db.prepare<unknown[], unknown[]>(sql).raw(true);
  return {
    /** Many tag rows per run: one statement execution binds them all (rows apply in order). */
    putTagsLong: db.prepare(putTagsSql(TAG_ROWS_PER_INSERT)),
    putTagsShort: db.prepare(putTagsSql(TAG_ROWS_PER_SHORT_INSERT)),
    begin: db.prepare('BEGIN'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    putTag: db.prepare('INSERT OR REPLACE INTO tags (part, vid, tag_id, ver, props, crc) VALUES (?, ?, ?, ?, ?, ?)'),
    deleteTag: db.prepare('DELETE FROM tags WHERE part = ? AND vid = ? AND tag_id = ?'),
    deleteVertex: db.prepare('DELETE FROM tags WHERE part = ? AND vid = ?'),
    putEdge: db.prepare(
      'INSERT OR REPLACE INTO edges (part, src, etype, rank, dst, ver, props, crc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    deleteEdge: db.prepare('DELETE FROM edges WHERE part = ? AND src = ? AND etype = ? AND rank = ? AND dst = ?'),
    insertWal: db.prepare('INSERT INTO wal (part, log_id, term, ts, body) VALUES (?, ?, ?, ?, ?)'),
    setState: db.prepare('UPDATE part_state SET last_log_id = ?, last_ts = ? WHERE part = ?'),
    putPosition: db.prepare(
      'INSERT OR REPLACE INTO sync_position (source, part, applied_log_id, applied_ts, snapshot_log_id) VALUES (?, ?, ?, ?, ?)',
    ),
    allStates: raw('SELECT part, last_log_id, last_ts FROM part_state ORDER BY part'),
    stateOf: raw('SELECT last_log_id, last_ts FROM part_state WHERE part = ?'),
    firstKept: raw('SELECT log_id FROM wal WHERE part = ? AND ts >= ? ORDER BY log_id LIMIT 1'),
    purgeBefore: db.prepare('DELETE FROM wal WHERE part = ? AND log_id < ?'),
  };
}

export type WriteStatements = ReturnType<typeof prepareWrites>;

/** Distinct limits whose statements `byLimit` keeps; others are prepared for one use. */
const LIMITS_KEPT = 4;

/**
 * A statement whose LIMIT is written into its SQL, one per limit, kept. A `LIMIT ?` would make
 * SQLite prepare the statement again at every run (the bound limit may change its plan, so binding
 * it expires the statement), and a WAL tail runs its read after every commit.
 */
export function byLimit(make: (limit: number) => Stmt): (limit: number) => Stmt {
  const kept = new Map<number, Stmt>();
  return (limit) => {
    if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`a row limit must be a non-negative integer, not ${limit}`);
    const stmt = kept.get(limit) ?? make(limit);
    if (!kept.has(limit) && kept.size < LIMITS_KEPT) kept.set(limit, stmt);
    return stmt;
  };
}

/** Statements of the main thread's connection, which only reads: states, WAL, positions, counts. */
export function prepareLive(db: Database.Database) {
  const raw = (sql: string): Stmt => db.prepare<unknown[], unknown[]>(sql).raw(true);
  return {
    begin: db.prepare('BEGIN'),
    commit: db.prepare('COMMIT'),
    getPosition: db.prepare<unknown[], unknown[]>(
      'SELECT applied_log_id, applied_ts, snapshot_log_id FROM sync_position WHERE source = ? AND part = ?',
    ).raw(true),
    stateOf: raw('SELECT last_log_id, last_ts FROM part_state WHERE part = ?'),
    allStates: raw('SELECT part, last_log_id, last_ts FROM part_state ORDER BY part'),
    firstLogId: raw('SELECT MIN(log_id) FROM wal WHERE part = ?'),
    walFrom: byLimit((n) => raw(`SELECT body FROM wal WHERE part = ? AND log_id >= ? ORDER BY log_id LIMIT ${n}`)),
    walRawFrom: byLimit((n) => raw(`SELECT log_id, ts, body FROM wal WHERE part = ? AND log_id >= ? ORDER BY log_id LIMIT ${n}`)),
    /** The rows of a span of rowids, every partition's: what one group commit (or a few) wrote. */
    walRowids: raw('SELECT part, log_id, ts, body FROM wal WHERE rowid BETWEEN ? AND ? ORDER BY rowid'),
    tagCounts: raw('SELECT tag_id, COUNT(*) FROM tags GROUP BY tag_id'),
    edgeCounts: raw('SELECT etype, COUNT(*) FROM edges GROUP BY etype'),
    vertexCount: raw('SELECT COUNT(*) FROM (SELECT DISTINCT part, vid FROM tags)'),
  };
}

export type LiveStatements = ReturnType<typeof prepareLive>;

/** Record a damaged row and answer the error to throw (the store's `DamageRegistry`). */
export type RowDamage = (part: number, subject: DamageSubject, reason: string) => StorageDamagedError;

export const CHECKSUM_MISMATCH = 'checksum mismatch';

/**
 * Raw rows (columns as in TAG_COLS / EDGE_COLS) to rows, each verified against its checksum before
 * its props are decoded. A row without a checksum (written before rows had one) is not verified;
 * a row that does not decode is damaged whether it has one or not. `guard` runs first for each
 * row's partition and throws when that partition is refused.
 */
export class RowDecoder {
  constructor(
    private readonly damaged: RowDamage,
    private readonly guard: (part: number) => void = () => undefined,
  ) {}

  readonly tag = (r: unknown[]): TagRow => this.tagRow(r, false);
  readonly edge = (r: unknown[]): EdgeRow => this.edgeRow(r, false);
  /**
   * As `tag` and `edge`, the props left as stored (`encodedProps`; `props` decodes them if asked):
   * for rows that are shipped, not looked at. Their shape is checked as a decode checks it.
   */
  readonly tagEncoded = (r: unknown[]): TagRow => this.tagRow(r, true);
  readonly edgeEncoded = (r: unknown[]): EdgeRow => this.edgeRow(r, true);

  private tagRow(r: unknown[], encoded: boolean): TagRow {
    const part = Number(r[0]);
    const vid = r[1] as Vid;
    const tagId = Number(r[2]);
    const ver = Number(r[3]);
    const blob = r[4] as Buffer;
    const subject = (): DamageSubject => ({ kind: 'tag', vid, tagId });
    this.guard(part);
    const crc = r[5];
    try {
      if (crc !== null && tagRowCrc(part, vid, tagId, ver, blob) !== Number(crc)) throw this.damaged(part, subject(), CHECKSUM_MISMATCH);
      if (!encoded) return { vid, tagId, ver, props: decodeProps(blob) };
      checkProps(blob);
      return putTagWithEncodedProps(vid, tagId, ver, blob);
    } catch (err) {
      throw this.unreadable(err, part, subject());
    }
  }

  private edgeRow(r: unknown[], encoded: boolean): EdgeRow {
    const part = Number(r[0]);
    const src = r[1] as Vid;
    const etype = Number(r[2]);
    const rank = r[3] as bigint;
    const dst = r[4] as Vid;
    const ver = Number(r[5]);
    const blob = r[6] as Buffer;
    const subject = (): DamageSubject => ({ kind: 'edge', src, etype, rank, dst });
    this.guard(part);
    const crc = r[7];
    try {
      if (crc !== null && edgeRowCrc(part, src, etype, rank, dst, ver, blob) !== Number(crc)) {
        throw this.damaged(part, subject(), CHECKSUM_MISMATCH);
      }
      if (!encoded) return { src, etype, rank, dst, ver, props: decodeProps(blob) };
      checkProps(blob);
      return putEdgeWithEncodedProps(src, etype, rank, dst, ver, blob);
    } catch (err) {
      throw this.unreadable(err, part, subject());
    }
  }

  readonly tags = (rows: unknown[][]): TagRow[] => rows.map(this.tag);
  readonly edges = (rows: unknown[][]): EdgeRow[] => rows.map(this.edge);

  /** A row that failed to verify or decode, as the damage error (which it may already be). */
  private unreadable(err: unknown, part: number, subject: DamageSubject): StorageDamagedError {
    if (err instanceof StorageDamagedError) return err;
    return this.damaged(part, subject, `unreadable row (${(err as Error).message})`);
  }
}
