/**
 * Which meta WAL entries are about one space's schema: the entries a meta listener carries for that
 * space, and so the only ones partition 0's LogId Lag counts (DESIGN section 2, "partition 0's lag
 * counts only those").
 *
 * The meta WAL is append-only and never purged, so the index reads each entry once: every call
 * first catches up from where the last one stopped, then answers from memory. SHOW SYNC STATUS
 * therefore stays cheap however long the meta WAL grows. Its memory grows with the number of
 * schema changes, as the catalog's own version history does, so it needs no bound of its own.
 */
import type { MetaEntry, MetaOp } from '../../../catalog/types.ts';
import { limits } from '../../../limits.ts';

/** The slice of the meta store the index reads. */
export interface MetaWalSource {
  readWal(fromLogId: number, max: number): readonly MetaEntry[];
  lastLogId(): number;
}

/** A schema entry of a space: its log id and commit time. */
export interface SchemaEntryMark {
  readonly logId: number;
  readonly ts: number;
}

/** What partition 0 still has to ship after `ackedLogId`. */
export interface SchemaBacklog {
  /** Schema entries of the space with a log id above the acknowledged one. */
  readonly count: number;
  /** ts of the oldest of them (0 when none). */
  readonly oldestTs: number;
  /** ts of the newest of them (0 when none). */
  readonly newestTs: number;
}

const NO_BACKLOG: SchemaBacklog = { count: 0, oldestTs: 0, newestTs: 0 };

/** The space a schema op changes, or undefined for ops that a meta listener does not carry. */
export function schemaSpaceOf(op: MetaOp): string | undefined {
  switch (op.op) {
    case 'createSchema':
    case 'alterSchema':
    case 'dropSchema':
    case 'syncSchema':
    case 'syncDropSchema':
      return op.space;
    default:
      return undefined;
  }
}

export class SchemaEntryIndex {
  readonly #source: MetaWalSource;
  /** Log id of the last entry read into the index. */
  #scannedLogId = 0;
  /** Per space name, its schema entries in log id order. */
  readonly #bySpace = new Map<string, SchemaEntryMark[]>();

  constructor(source: MetaWalSource) {
    this.#source = source;
  }

  /** The space's schema entries after `ackedLogId`: how many, and the ts of the oldest and newest. */
  backlog(space: string, ackedLogId: number): SchemaBacklog {
    this.#catchUp();
    const marks = this.#bySpace.get(space);
    if (marks === undefined) return NO_BACKLOG;
    const first = firstAbove(marks, ackedLogId);
    if (first === marks.length) return NO_BACKLOG;
    return { count: marks.length - first, oldestTs: marks[first]!.ts, newestTs: marks[marks.length - 1]!.ts };
  }

  #catchUp(): void {
    const last = this.#source.lastLogId();
    // Each read is bounded; the loop ends because every pass advances #scannedLogId or stops.
    while (this.#scannedLogId < last) {
      const entries = this.#source.readWal(this.#scannedLogId + 1, limits.walReadEntriesMax);
      if (entries.length === 0) break;
      for (const entry of entries) this.#take(entry);
      this.#scannedLogId = entries[entries.length - 1]!.logId;
    }
  }

  #take(entry: MetaEntry): void {
    const op = entry.op;
    // A space dropped and created again under the same name starts a new history: the old
    // space's schema entries are not the new one's to ship.
    if (op.op === 'dropSpace') {
      this.#bySpace.delete(op.name);
      return;
    }
    const space = schemaSpaceOf(op);
    if (space === undefined) return;
    let marks = this.#bySpace.get(space);
    if (marks === undefined) {
      marks = [];
      this.#bySpace.set(space, marks);
    }
    marks.push({ logId: entry.logId, ts: entry.ts });
  }
}

/** Index of the first mark with logId > `logId` (marks.length when none): binary search. */
function firstAbove(marks: readonly SchemaEntryMark[], logId: number): number {
  let lo = 0;
  let hi = marks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (marks[mid]!.logId <= logId) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
