/**
 * The primary's record of every change each space's tags and edges went through, as the
 * full-image SchemaChanges its meta tail ships (Meta.TailMetaWal). The meta link carries only
 * these: users, roles, hosts, other spaces and password hashes never leave the primary.
 *
 * The log replays the meta WAL from log id 1 into a shadow catalog, once, in bounded steps that
 * the tails drive (`catchUp`), and then follows new commits the same way. The meta WAL is never
 * purged, so any position can be served. Memory grows with the number of schema changes, as the
 * catalog's own version history does; a dropped space's changes are let go.
 *
 * @example
 *   const log = new SchemaChangeLog(metaStore);
 *   log.catchUp(TAIL_READ_ENTRIES_MAX);
 *   log.changes(spaceId, 1, log.logId); // SchemaChangeMsg[] in log id order
 */
import { apply } from '../../../catalog/apply.ts';
import { emptyCatalog } from '../../../catalog/empty.ts';
import type { Catalog, MetaEntry } from '../../../catalog/types.ts';
import type { SchemaChangeMsg } from '../wire.ts';
import { schemaChangeOf } from './schema-changes.ts';

/** The slice of the meta store the log reads. */
export interface MetaWalReader {
  readWal(fromLogId: number, max: number): readonly MetaEntry[];
  lastLogId(): number;
}

export class SchemaChangeLog {
  readonly #wal: MetaWalReader;
  #shadow: Catalog = emptyCatalog();
  #ts = 0;
  /** Per space id, its changes in log id order (one entry makes at most one change). */
  readonly #bySpaceId = new Map<number, SchemaChangeMsg[]>();

  constructor(wal: MetaWalReader) {
    this.#wal = wal;
  }

  /** Log id of the last entry replayed: changes up to here are known. */
  get logId(): number {
    return this.#shadow.logId;
  }

  /** ts of entry `logId` (0 before the first). */
  get ts(): number {
    return this.#ts;
  }

  /** Replay at most `maxEntries` more entries of the meta WAL; answers how far the log is now. */
  catchUp(maxEntries: number): number {
    const end = this.#wal.lastLogId();
    if (this.#shadow.logId >= end || maxEntries <= 0) return this.#shadow.logId;
    for (const entry of this.#wal.readWal(this.#shadow.logId + 1, maxEntries)) {
      // The WAL is contiguous from 1; anything else is a broken invariant, not a peer's mistake.
      if (entry.logId !== this.#shadow.logId + 1) throw new Error(`meta WAL entry ${entry.logId} after ${this.#shadow.logId}`);
      this.#take(entry);
    }
    return this.#shadow.logId;
  }

  /** The changes of space `spaceId` with a log id in [from, to], oldest first. */
  changes(spaceId: number, from: number, to: number): SchemaChangeMsg[] {
    const list = this.#bySpaceId.get(spaceId);
    if (list === undefined || from > to) return [];
    const out: SchemaChangeMsg[] = [];
    for (let i = firstAtOrAbove(list, from); i < list.length && Number(list[i]!.log_id) <= to; i++) out.push(list[i]!);
    return out;
  }

  #take(entry: MetaEntry): void {
    const before = this.#shadow;
    const after = apply(before, entry);
    this.#shadow = after;
    this.#ts = entry.ts;
    if (entry.op.op === 'dropSpace') {
      const gone = Object.hasOwn(before.spaces, entry.op.name) ? before.spaces[entry.op.name] : undefined;
      if (gone !== undefined) this.#bySpaceId.delete(gone.id);
      return;
    }
    const found = schemaChangeOf(before, after, entry);
    if (found === undefined) return;
    let list = this.#bySpaceId.get(found.spaceId);
    if (list === undefined) {
      list = [];
      this.#bySpaceId.set(found.spaceId, list);
    }
    list.push(found.change);
  }
}

/** Index of the first change with log id >= `logId` (list.length when none): binary search. */
function firstAtOrAbove(list: readonly SchemaChangeMsg[], logId: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (Number(list[mid]!.log_id) < logId) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
