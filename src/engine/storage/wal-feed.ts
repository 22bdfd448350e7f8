/**
 * The WAL feed of one space, on the main thread: after a commit, every partition's WAL tail asks
 * for the entry it just got, which would be one query each, 15 after every commit of a
 * 15-partition space. The feed answers them from one. The writer thread tells which `wal` rowids
 * a group inserted (`Committed.walRowids`, worker-protocol.ts); the first tail read after that
 * reads those rows of every partition at once and keeps them by partition until the next commit's
 * read replaces them.
 *
 * A tail takes feed rows only when they start exactly at its next log id; anything else (a tail
 * behind, rows past the bounds below) answers undefined and the tail reads its partition as
 * before. The rows come from the file like any other read; the store CRC-checks each one it hands
 * out (space-store.ts). Bounded: one read covers at most WAL_FEED_ROWS_MAX rowids (the newest of a
 * wider span) and holds at most about WAL_FEED_BYTES_MAX bytes of entries.
 */

/** Rowids one read covers, at most: a wider span keeps only its newest rows. */
export const WAL_FEED_ROWS_MAX = 4096;
/** Entry bytes one read holds, at most (it stops at the row that reaches it). */
export const WAL_FEED_BYTES_MAX = 8 * 1024 * 1024;

/** A WAL row as the tails read it: log id, ts, stored bytes. */
export type RawWalRow = [number, number, Buffer];

/** The `wal` rows with rowids first..last, every partition's, in rowid order: part, log id, ts, bytes. */
export type WalRowidRead = (first: number, last: number) => Iterable<[number, number, number, Buffer]>;

export class WalFeed {
  /** Rowids committed since the last read (first, last), if any. */
  private span: [number, number] | undefined;
  /** What the last read found, by partition, in log order. */
  private rows = new Map<number, RawWalRow[]>();

  constructor(private readonly read: WalRowidRead) {}

  /** A group committed the `wal` rows with rowids first..last. */
  committed(first: number, last: number): void {
    const span = this.span;
    // Rowids start again below the span only when retention emptied the table: the old rows are gone.
    if (span === undefined || first <= span[1]) this.span = [first, last];
    else span[1] = last;
    const s = this.span!;
    s[0] = Math.max(s[0], s[1] - WAL_FEED_ROWS_MAX + 1);
  }

  /**
   * `part`'s rows from log id `from`, contiguous, at most `max`, reading what was committed since
   * the last read first; undefined when the feed does not hold `from`.
   */
  take(part: number, from: number, max: number): RawWalRow[] | undefined {
    if (this.span !== undefined) this.refresh(this.span);
    const rows = this.rows.get(part);
    if (rows === undefined || rows.length === 0) return undefined;
    const i = from - rows[0]![0];
    if (i < 0 || i >= rows.length || rows[i]![0] !== from) return undefined;
    let n = 1;
    while (n < max && i + n < rows.length && rows[i + n]![0] === from + n) n++;
    return rows.slice(i, i + n);
  }

  private refresh([first, last]: [number, number]): void {
    this.span = undefined;
    const byPart = new Map<number, RawWalRow[]>();
    let bytes = 0;
    for (const r of this.read(first, last)) {
      const part = Number(r[0]);
      const row: RawWalRow = [Number(r[1]), Number(r[2]), r[3]];
      const rows = byPart.get(part);
      if (rows === undefined) byPart.set(part, [row]);
      else rows.push(row);
      bytes += r[3].length;
      if (bytes >= WAL_FEED_BYTES_MAX) break;
    }
    this.rows = byPart;
  }
}
