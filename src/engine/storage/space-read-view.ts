/**
 * A consistent read of a whole space, for checks that look at every row (VERIFY SYNC).
 *
 * Like a partition snapshot it opens its own read-only connection and holds one read transaction:
 * in WAL mode SQLite keeps serving it the database as of its first read while the live connection
 * goes on committing, so writes never wait for it. The first read takes every partition's last
 * log id, and the positions a secondary stored are read in the same transaction, so rows, log
 * ids and positions all describe one instant.
 *
 * Rows come in pages of raw tuples, in primary-key order, each page one short synchronous read
 * (keyset pagination: the next page starts after the last key of the previous one). A caller can
 * then yield to the event loop between pages and a scan of millions of rows never blocks writes
 * for long. Tuples carry vids in a form that needs no BigInt and no string decoding per row:
 *
 *   tag:  [part, vidA, vidB, tagId, props]
 *   edge: [part, srcA, srcB, etype, rankHi, rankLo, dstA, dstB, props]
 *
 * where a FIXED_STRING vid is `vidA` = the string and `vidB` = 0, an INT64 vid (and a rank) is its
 * high 32 bits (signed) and its low 32 bits (unsigned); `props` is the stored props blob
 * (value-codec's `encodeProps` layout). A string costs less to read than a BLOB (no Buffer per row).
 */
import { strict as assert } from 'node:assert';
import Database from 'better-sqlite3';
import type { VidType } from './space-schema.ts';
import type { SyncPosition } from './types.ts';

/** A partition's last log id and its ts, as the view sees them. */
export interface PartitionTip {
  readonly part: number;
  readonly lastLogId: number;
  readonly lastTs: number;
}

/** Pages of one table; `next` answers an empty page once every row was read. */
export interface RowPager {
  next(maxRows: number): readonly unknown[][];
}

export interface SpaceReadView {
  readonly vidType: VidType;
  /** Every partition's tip as of the view, in partition order. */
  readonly tips: readonly PartitionTip[];
  /** The positions stored for `source` as of the view, by source partition. */
  syncPositions(source: string): ReadonlyMap<number, SyncPosition>;
  tags(): RowPager;
  edges(): RowPager;
  /** End the read transaction and close the connection; pagers stop working. */
  close(): void;
}

type Stmt = Database.Statement<unknown[], unknown[]>;

/** How a vid column is selected: bytes for strings, two halves for integers. */
const vidCols = (col: string, vidType: VidType): string =>
  vidType === 'INT64' ? `${col} >> 32, ${col} & 4294967295` : `${col}, 0`;

/**
 * The parameter a keyset comparison needs for a vid read back as (a, b): the exact column value,
 * so that SQLite can seek the primary key (a CAST in the comparison would make it scan).
 */
function vidParam(a: unknown, b: unknown, vidType: VidType): unknown {
  return vidType === 'INT64' ? int64Of(a as number, b as number) : a;
}

function int64Of(hi: number, lo: number): bigint {
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo >>> 0));
}

/** A pager over a keyset: `first` reads the first page, `after` the page after a key. */
function pager(first: Stmt, after: Stmt, keyOf: (row: unknown[]) => unknown[]): RowPager {
  let key: unknown[] | undefined;
  let done = false;
  return {
    next: (maxRows) => {
      if (done) return [];
      const rows = (key === undefined ? first.all(maxRows) : after.all(...key, maxRows)) as unknown[][];
      if (rows.length < maxRows) done = true;
      if (rows.length > 0) key = keyOf(rows[rows.length - 1]!);
      return rows;
    },
  };
}

export function openSpaceReadView(file: string, vidType: VidType, onClose: (view: SpaceReadView) => void): SpaceReadView {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const raw = (sql: string): Stmt => db.prepare<unknown[], unknown[]>(sql).raw(true);
  const tagSelect = `SELECT part, ${vidCols('vid', vidType)}, tag_id, props FROM tags`;
  const tagOrder = 'ORDER BY part, vid, tag_id LIMIT ?';
  const edgeSelect = `SELECT part, ${vidCols('src', vidType)}, etype, rank >> 32, rank & 4294967295, ${vidCols('dst', vidType)}, props FROM edges`;
  const edgeOrder = 'ORDER BY part, src, etype, rank, dst LIMIT ?';
  const stmts = {
    tagsFirst: raw(`${tagSelect} ${tagOrder}`),
    tagsAfter: raw(`${tagSelect} WHERE (part, vid, tag_id) > (?, ?, ?) ${tagOrder}`),
    edgesFirst: raw(`${edgeSelect} ${edgeOrder}`),
    edgesAfter: raw(`${edgeSelect} WHERE (part, src, etype, rank, dst) > (?, ?, ?, ?, ?) ${edgeOrder}`),
    positions: raw('SELECT part, applied_log_id, applied_ts, snapshot_log_id FROM sync_position WHERE source = ?'),
  };
  db.prepare('BEGIN').run();
  const tips = (raw('SELECT part, last_log_id, last_ts FROM part_state ORDER BY part').all() as number[][]).map(
    (r): PartitionTip => ({ part: r[0]!, lastLogId: r[1]!, lastTs: r[2]! }),
  );
  let closed = false;
  const open = (): void => assert(!closed, 'the read view is closed');

  const view: SpaceReadView = {
    vidType,
    tips,
    syncPositions: (source) => {
      open();
      const rows = stmts.positions.all(source) as (number | null)[][];
      return new Map(
        rows.map((r) => [
          r[0]!,
          { source, part: r[0]!, appliedLogId: r[1]!, appliedTs: r[2]!, snapshotLogId: r[3] ?? null },
        ]),
      );
    },
    tags: () => {
      open();
      return pager(stmts.tagsFirst, stmts.tagsAfter, (r) => [r[0], vidParam(r[1], r[2], vidType), r[3]]);
    },
    edges: () => {
      open();
      return pager(stmts.edgesFirst, stmts.edgesAfter, (r) => [
        r[0],
        vidParam(r[1], r[2], vidType),
        r[3],
        int64Of(r[4] as number, r[5] as number),
        vidParam(r[6], r[7], vidType),
      ]);
    },
    close: () => {
      if (closed) return;
      closed = true;
      db.prepare('COMMIT').run();
      db.close();
      onClose(view);
    },
  };
  return view;
}
