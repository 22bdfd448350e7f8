/**
 * Every SQL statement of a space, prepared once per connection, and the conversion of raw result
 * rows into `TagRow` / `EdgeRow`.
 *
 * Reads that return a vid of an INT64 space, or an edge rank, run with `safeIntegers` so that
 * int64 values come back as exact bigints; small integer columns are then narrowed with `Number`.
 * Statements return raw arrays rather than objects: cheaper to build, and the column order is
 * fixed right here.
 */
import type Database from 'better-sqlite3';
import { decodeProps } from '../wal/value-codec.ts';
import type { VidType } from './space-schema.ts';
import type { EdgeRow, TagRow, Vid } from './types.ts';

type Stmt = Database.Statement<unknown[], unknown[]>;

const TAG_COLS = 'vid, tag_id, ver, props';
const EDGE_COLS = 'src, etype, rank, dst, ver, props';

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

/** Statements of the live connection: writes, WAL and counts. */
export function prepareLive(db: Database.Database) {
  const raw = (sql: string): Stmt => db.prepare<unknown[], unknown[]>(sql).raw(true);
  return {
    begin: db.prepare('BEGIN'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    putTag: db.prepare('INSERT OR REPLACE INTO tags (part, vid, tag_id, ver, props) VALUES (?, ?, ?, ?, ?)'),
    deleteTag: db.prepare('DELETE FROM tags WHERE part = ? AND vid = ? AND tag_id = ?'),
    deleteVertex: db.prepare('DELETE FROM tags WHERE part = ? AND vid = ?'),
    putEdge: db.prepare(
      'INSERT OR REPLACE INTO edges (part, src, etype, rank, dst, ver, props) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    deleteEdge: db.prepare('DELETE FROM edges WHERE part = ? AND src = ? AND etype = ? AND rank = ? AND dst = ?'),
    insertWal: db.prepare('INSERT INTO wal (part, log_id, term, ts, body) VALUES (?, ?, ?, ?, ?)'),
    setState: db.prepare('UPDATE part_state SET last_log_id = ?, last_ts = ? WHERE part = ?'),
    putPosition: db.prepare(
      'INSERT OR REPLACE INTO sync_position (source, part, applied_log_id, applied_ts, snapshot_log_id) VALUES (?, ?, ?, ?, ?)',
    ),
    getPosition: db.prepare<unknown[], unknown[]>(
      'SELECT applied_log_id, applied_ts, snapshot_log_id FROM sync_position WHERE source = ? AND part = ?',
    ).raw(true),
    allStates: raw('SELECT part, last_log_id, last_ts FROM part_state ORDER BY part'),
    firstLogId: raw('SELECT MIN(log_id) FROM wal WHERE part = ?'),
    walFrom: raw('SELECT body FROM wal WHERE part = ? AND log_id >= ? ORDER BY log_id LIMIT ?'),
    walRawFrom: raw('SELECT log_id, ts, body FROM wal WHERE part = ? AND log_id >= ? ORDER BY log_id LIMIT ?'),
    firstKept: raw('SELECT log_id FROM wal WHERE part = ? AND ts >= ? ORDER BY log_id LIMIT 1'),
    purgeBefore: db.prepare('DELETE FROM wal WHERE part = ? AND log_id < ?'),
    tagCounts: raw('SELECT tag_id, COUNT(*) FROM tags GROUP BY tag_id'),
    edgeCounts: raw('SELECT etype, COUNT(*) FROM edges GROUP BY etype'),
    vertexCount: raw('SELECT COUNT(*) FROM (SELECT DISTINCT part, vid FROM tags)'),
  };
}

export type LiveStatements = ReturnType<typeof prepareLive>;

export function toTagRow(r: unknown[]): TagRow {
  return { vid: r[0] as Vid, tagId: Number(r[1]), ver: Number(r[2]), props: decodeProps(r[3] as Buffer) };
}

export function toEdgeRow(r: unknown[]): EdgeRow {
  return {
    src: r[0] as Vid,
    etype: Number(r[1]),
    rank: r[2] as bigint,
    dst: r[3] as Vid,
    ver: Number(r[4]),
    props: decodeProps(r[5] as Buffer),
  };
}

export function toTagRows(rows: unknown[][]): TagRow[] {
  return rows.map(toTagRow);
}

export function toEdgeRows(rows: unknown[][]): EdgeRow[] {
  return rows.map(toEdgeRow);
}
