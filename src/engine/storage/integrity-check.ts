/**
 * The checks a space's file passes when it opens (DESIGN.md guarantee 7): SQLite's own structure
 * (`PRAGMA quick_check`), then the CRC of every WAL entry still retained. Rows are not read here:
 * a big space would take too long to open, and every row is verified when it is read anyway.
 *
 * Both checks only report; what to refuse is the storage engine's decision.
 */
import type Database from 'better-sqlite3';
import { walEntryDamage } from '../wal/wal-codec.ts';

/** Problems `quick_check` may list before it stops: enough to say what broke, bounded for the log. */
export const QUICK_CHECK_PROBLEMS_MAX = 20;

/** SQLite's words for a file it cannot read as a database: damage, not a bug or a full disk. */
export function isCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/**
 * What `PRAGMA quick_check` found wrong; empty when the file's structure is sound. A check that
 * SQLite itself breaks off as corrupt answers that error's message.
 */
export function quickCheck(db: Database.Database): readonly string[] {
  let rows: { quick_check: string }[];
  try {
    rows = db.pragma(`quick_check(${QUICK_CHECK_PROBLEMS_MAX})`) as { quick_check: string }[];
  } catch (err) {
    if (isCorruption(err)) return [(err as Error).message];
    throw err;
  }
  const problems = rows.map((r) => r.quick_check);
  return problems.length === 1 && problems[0] === 'ok' ? [] : problems;
}

/** The first retained WAL entry of a partition whose CRC fails. */
export interface WalDamage {
  readonly part: number;
  readonly logId: number;
  readonly reason: string;
}

/**
 * The first damaged WAL entry of each partition that has one, checking every retained entry's
 * CRC (no decoding). Rows are streamed, so a large WAL never sits in memory at once.
 */
export function checkWalEntries(db: Database.Database): readonly WalDamage[] {
  const scan = db.prepare<unknown[], unknown[]>('SELECT part, log_id, body FROM wal ORDER BY part, log_id').raw(true);
  const found: WalDamage[] = [];
  for (const [part, logId, body] of scan.iterate() as IterableIterator<[number, number, unknown]>) {
    if (found.at(-1)?.part === part) continue;
    const reason = Buffer.isBuffer(body) ? walEntryDamage(body) : 'WAL entry is not a blob';
    if (reason !== undefined) found.push({ part, logId, reason });
  }
  return found;
}
