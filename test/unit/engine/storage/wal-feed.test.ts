// Pins the WAL feed's rules (wal-feed.ts): it hands a tail rows only from exactly its next log id,
// contiguous and at most what it asked; it reads what was committed since its last read, once;
// and it stays within its bounds (the newest WAL_FEED_ROWS_MAX rowids of a span, about
// WAL_FEED_BYTES_MAX bytes), leaving the rest to each tail's own read.
import { describe, expect, it } from 'vitest';
import { WAL_FEED_BYTES_MAX, WAL_FEED_ROWS_MAX, WalFeed, type WalRowidRead } from '../../../../src/engine/storage/wal-feed.ts';

/** A `wal` table as rowid -> [part, log id, ts, bytes], and the reads the feed made of it. */
function table() {
  const rows = new Map<number, [number, number, number, Buffer]>();
  const reads: [number, number][] = [];
  const read: WalRowidRead = function* (first, last) {
    reads.push([first, last]);
    for (let r = first; r <= last; r++) {
      const row = rows.get(r);
      if (row !== undefined) yield row;
    }
  };
  return { rows, reads, read };
}

const bytes = (n: number, fill = 1): Buffer => Buffer.alloc(n, fill);

describe('WalFeed', () => {
  it("hands each partition's rows from exactly its next log id, contiguous, at most as many as asked", () => {
    const t = table();
    const feed = new WalFeed(t.read);
    // Two commits: log ids 5, 6 of partition 1 and 9 of partition 2, at rowids 10..12.
    t.rows.set(10, [1, 5, 100, bytes(3, 5)]);
    t.rows.set(11, [2, 9, 100, bytes(3, 9)]);
    feed.committed(10, 11);
    t.rows.set(12, [1, 6, 101, bytes(3, 6)]);
    feed.committed(12, 12);
    expect(feed.take(1, 5, 10)).toEqual([
      [5, 100, bytes(3, 5)],
      [6, 101, bytes(3, 6)],
    ]);
    expect(feed.take(1, 5, 1)).toEqual([[5, 100, bytes(3, 5)]]);
    expect(feed.take(1, 6, 10)).toEqual([[6, 101, bytes(3, 6)]]);
    expect(feed.take(2, 9, 10)).toEqual([[9, 100, bytes(3, 9)]]);
    // Not held: before, past, or a partition without rows. The tail reads for itself then.
    expect(feed.take(1, 4, 10)).toBeUndefined();
    expect(feed.take(1, 7, 10)).toBeUndefined();
    expect(feed.take(3, 1, 10)).toBeUndefined();
    // One read for both commits, however many tails asked.
    expect(t.reads).toEqual([[10, 12]]);
  });

  it('reads only what was committed since its last read, and replaces what it held', () => {
    const t = table();
    const feed = new WalFeed(t.read);
    t.rows.set(1, [1, 1, 100, bytes(3)]);
    feed.committed(1, 1);
    expect(feed.take(1, 1, 10)).toHaveLength(1);
    t.rows.set(2, [1, 2, 101, bytes(3)]);
    feed.committed(2, 2);
    expect(feed.take(1, 2, 10)).toEqual([[2, 101, bytes(3)]]);
    // Log id 1 went with the read before: a tail still there reads its partition itself.
    expect(feed.take(1, 1, 10)).toBeUndefined();
    expect(t.reads).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('starts the span again when rowids start again below it (retention emptied the table)', () => {
    const t = table();
    const feed = new WalFeed(t.read);
    feed.committed(500, 514);
    feed.committed(1, 15);
    t.rows.set(1, [1, 40, 100, bytes(3)]);
    expect(feed.take(1, 40, 10)).toEqual([[40, 100, bytes(3)]]);
    expect(t.reads).toEqual([[1, 15]]);
  });

  it(`reads at most the newest ${WAL_FEED_ROWS_MAX} rowids of a span`, () => {
    const t = table();
    const feed = new WalFeed(t.read);
    feed.committed(1, 10);
    feed.committed(11, WAL_FEED_ROWS_MAX + 100);
    feed.take(1, 1, 10);
    expect(t.reads).toEqual([[101, WAL_FEED_ROWS_MAX + 100]]);
  });

  it(`holds about ${WAL_FEED_BYTES_MAX} bytes at most: rows past them are left to the tails' own reads`, () => {
    const t = table();
    const feed = new WalFeed(t.read);
    const big = WAL_FEED_BYTES_MAX / 4;
    for (let r = 1; r <= 8; r++) t.rows.set(r, [1, r, 100, bytes(big)]);
    feed.committed(1, 8);
    const held = feed.take(1, 1, 100)!;
    expect(held.map((row) => row[0])).toEqual([1, 2, 3, 4]);
    expect(feed.take(1, 5, 100)).toBeUndefined();
  });
});
