/**
 * Bit rot on demand, for the integrity tests: one byte changed in a stored row, in a WAL entry, in
 * the file's bytes on disk, or a whole page of a table overwritten. Only for files no process has
 * open (stop the engine or cluster first).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';

/** `bytes` with one bit of the byte at `at` (default: the middle one) flipped. */
export function flipped(bytes: Buffer, at = Math.floor(bytes.length / 2)): Buffer {
  const out = Buffer.from(bytes);
  out[at] = out[at]! ^ 0x01;
  return out;
}

/** Change one byte of a blob column of the rows `where` selects, through SQLite; answers how many rows. */
export function flipBlob(file: string, table: string, column: string, where: string, ...params: unknown[]): number {
  const db = new Database(file);
  try {
    const select = db.prepare(`SELECT ${column} AS blob FROM ${table} WHERE ${where}`);
    const update = db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${where} AND ${column} = ?`);
    let n = 0;
    for (const r of select.all(...params) as { blob: Buffer }[]) n += update.run(flipped(r.blob), ...params, r.blob).changes;
    return n;
  } finally {
    db.close();
  }
}

/**
 * Flip one bit of the first occurrence of `needle` inside the pages of `table`, in the file's own
 * bytes: what a failing disk does, below SQLite. Answers the file offset changed.
 */
export function flipOnDisk(file: string, table: string, needle: string): number {
  const db = new Database(file);
  let pages: number[];
  let pageSize: number;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    pageSize = db.pragma('page_size', { simple: true }) as number;
    pages = (db.prepare('SELECT pageno FROM dbstat WHERE name = ?').all(table) as { pageno: number }[]).map((r) => r.pageno);
  } finally {
    db.close();
  }
  const bytes = readFileSync(file);
  const want = Buffer.from(needle, 'utf8');
  for (const page of pages) {
    const start = (page - 1) * pageSize;
    const at = bytes.subarray(start, start + pageSize).indexOf(want);
    if (at < 0) continue;
    const offset = start + at + Math.floor(want.length / 2);
    bytes[offset] = bytes[offset]! ^ 0x01;
    writeFileSync(file, bytes);
    return offset;
  }
  throw new Error(`"${needle}" not found in the pages of ${table}`);
}

/** Overwrite every byte of one page of `table` (a leaf, when it has several) with garbage. */
export function smashPage(file: string, table: string): void {
  const db = new Database(file);
  let page: number;
  let pageSize: number;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    pageSize = db.pragma('page_size', { simple: true }) as number;
    const rows = db.prepare("SELECT pageno FROM dbstat WHERE name = ? ORDER BY pagetype = 'leaf' DESC").all(table) as { pageno: number }[];
    page = rows[0]!.pageno;
  } finally {
    db.close();
  }
  const bytes = readFileSync(file);
  bytes.fill(0xa5, (page - 1) * pageSize, page * pageSize);
  writeFileSync(file, bytes);
}
