/**
 * The write side of one space, in the storage writer thread: its own SQLite connection, the last
 * log id of every partition, and group commit.
 *
 * Every write that reaches the thread while a group is open joins its transaction (BEGIN on the
 * first, COMMIT from `setImmediate`, so one fsync per group however many writes it holds). A
 * write becomes, per partition, the entry `{logId: last + 1, term: 1, ts}` (its body was encoded
 * on the main thread, write-batch.ts), written to the `wal` table next to the rows it changes and
 * the partition's new state, with the replication position that came with it. A write that
 * throws halfway fails alone and leaves no trace: the group is rolled back and started again
 * without it, its other writes applied anew, each in a SAVEPOINT from then on. (Writes do not
 * throw in practice: they were encoded and checked on the main thread. A SAVEPOINT per write
 * on the common path cost about a sixth of this thread's time.) Only after COMMIT returned
 * (fsync'd with synchronous=FULL) are the outcomes reported (`onCommitted`); a failed COMMIT rolls
 * the whole group back, restores the cached log ids and fails every write of it.
 */
import type Database from 'better-sqlite3';
import { entryWithBody } from '../wal/wal-codec.ts';
import { prepareWrites, TAG_ROWS_PER_INSERT, TAG_ROWS_PER_SHORT_INSERT, type WriteStatements } from './space-statements.ts';
import type { SyncPosition } from './types.ts';
import { GROUP_SLOTS, OP_SLOTS, OpKind, TERM, type WriteRequest } from './write-batch.ts';
import { serializeError, type WriteOutcome } from './worker-protocol.ts';

export class SpaceWriter {
  /** Last log id / its ts per partition, index = part (slot 0 unused). */
  private readonly lastLogId: Float64Array;
  private readonly lastTs: Float64Array;
  private readonly groupLogId: Float64Array;
  private readonly groupTs: Float64Array;
  private readonly s: WriteStatements;
  /** `apply` inside a SAVEPOINT: how a group is replayed after a write of it failed. */
  private readonly applyIsolated: (req: WriteRequest) => number[];
  private open = false;
  /** The writes applied in the open group, in order, for a replay. */
  private requests: WriteRequest[] = [];
  private outcomes: WriteOutcome[] = [];
  private parts = new Set<number>();
  /** The first and last rowid of the `wal` rows inserted in the open group (0: none yet). */
  private firstWalRowid = 0;
  private lastWalRowid = 0;
  private readonly tick = (): void => this.flush();
  /** Parameters of the multi-row tag INSERTs, reused. */
  private readonly longArgs: unknown[] = new Array(6 * TAG_ROWS_PER_INSERT);
  private readonly shortArgs: unknown[] = new Array(6 * TAG_ROWS_PER_SHORT_INSERT);

  constructor(
    private readonly db: Database.Database,
    partitionNum: number,
    private readonly onCommitted: (outcomes: readonly WriteOutcome[], parts: readonly number[], walRowids: readonly [number, number] | undefined) => void,
  ) {
    this.s = prepareWrites(db);
    this.lastLogId = new Float64Array(partitionNum + 1);
    this.lastTs = new Float64Array(partitionNum + 1);
    this.groupLogId = new Float64Array(partitionNum + 1);
    this.groupTs = new Float64Array(partitionNum + 1);
    for (const r of this.s.allStates.all() as number[][]) {
      this.lastLogId[r[0]!] = r[1]!;
      this.lastTs[r[0]!] = r[2]!;
    }
    // Inside the group's BEGIN, better-sqlite3 runs this as a SAVEPOINT.
    this.applyIsolated = db.transaction((req: WriteRequest) => this.apply(req));
  }

  private apply(req: WriteRequest): number[] {
    const logIds = this.applyGroups(req);
    const p: SyncPosition | undefined = req.position;
    if (p !== undefined) this.s.putPosition.run(p.source, p.part, p.appliedLogId, p.appliedTs, p.snapshotLogId);
    return logIds;
  }

  /** Apply `req` in the open group (opening one if needed); its outcome is reported at COMMIT. */
  write(req: WriteRequest): void {
    this.enter();
    try {
      this.recordApplied(req, this.apply(req));
    } catch (err) {
      this.replayWithout(req, err);
    }
  }

  private recordApplied(req: WriteRequest, logIds: number[]): void {
    this.requests.push(req);
    for (let g = 0; g < req.groups.length; g += GROUP_SLOTS) this.parts.add(req.groups[g]!);
    this.outcomes.push({ id: req.id, logIds });
  }

  /** `failed` threw halfway: roll the group back and apply its other writes again, isolated. */
  private replayWithout(failed: WriteRequest, err: unknown): void {
    this.s.rollback.run();
    this.lastLogId.set(this.groupLogId);
    this.lastTs.set(this.groupTs);
    this.s.begin.run();
    const earlier = this.requests;
    const failures = this.outcomes.filter((o) => 'error' in o);
    this.requests = [];
    this.outcomes = [...failures, { id: failed.id, error: serializeError(err) }];
    this.parts = new Set();
    this.firstWalRowid = this.lastWalRowid = 0;
    for (const req of earlier) {
      try {
        this.recordApplied(req, this.applyIsolated(req));
      } catch (again) {
        this.restoreTips(req);
        this.outcomes.push({ id: req.id, error: serializeError(again) });
      }
    }
  }

  /** Put back the cached log ids of `req`'s partitions as they are in the database (after a SAVEPOINT undid it). */
  private restoreTips(req: WriteRequest): void {
    for (let g = 0; g < req.groups.length; g += GROUP_SLOTS) {
      const part = req.groups[g]!;
      const row = this.s.stateOf.get(part) as [number, number];
      this.lastLogId[part] = row[0];
      this.lastTs[part] = row[1];
    }
  }

  private enter(): void {
    if (this.open) return;
    this.s.begin.run();
    this.open = true;
    this.firstWalRowid = this.lastWalRowid = 0;
    this.groupLogId.set(this.lastLogId);
    this.groupTs.set(this.lastTs);
    setImmediate(this.tick);
  }

  /** Commit the open group now, if any, and report its outcomes. */
  flush(): void {
    if (!this.open) return;
    this.open = false;
    let outcomes = this.outcomes;
    let parts = [...this.parts];
    let walRowids: readonly [number, number] | undefined = this.firstWalRowid > 0 ? [this.firstWalRowid, this.lastWalRowid] : undefined;
    this.outcomes = [];
    this.requests = [];
    this.parts = new Set();
    try {
      this.s.commit.run();
    } catch (err) {
      try {
        this.s.rollback.run();
      } catch {
        // A failed COMMIT may already have rolled back; there is nothing left to undo then.
      }
      this.lastLogId.set(this.groupLogId);
      this.lastTs.set(this.groupTs);
      const error = serializeError(err);
      outcomes = outcomes.map((o) => ({ id: o.id, error: 'error' in o ? o.error : error }));
      parts = [];
      walRowids = undefined;
    }
    this.onCommitted(outcomes, parts, walRowids);
  }

  /**
   * Delete every entry older than `cutoffMs`, always a prefix of each partition's WAL so that what
   * stays is contiguous. Returns how many entries went.
   */
  purgeOlderThan(cutoffMs: number): number {
    this.flush();
    let purged = 0;
    this.db.transaction(() => {
      for (let part = 1; part < this.lastLogId.length; part++) {
        const kept = this.s.firstKept.get(part, cutoffMs) as [number] | undefined;
        const below = kept === undefined ? this.lastLogId[part]! + 1 : kept[0];
        purged += this.s.purgeBefore.run(part, below).changes;
      }
    })();
    return purged;
  }

  close(): void {
    this.flush();
    this.db.close();
  }

  private applyGroups(req: WriteRequest): number[] {
    const { groups, bodies, ts, ops } = req;
    const view = Buffer.from(bodies.buffer, bodies.byteOffset, bodies.byteLength);
    const logIds: number[] = [];
    let key = 0;
    let rank = 0;
    for (let g = 0; g < groups.length; g += GROUP_SLOTS) {
      const part = groups[g]!;
      const logId = this.lastLogId[part]! + 1;
      const rowid = Number(this.s.insertWal.run(part, logId, TERM, ts, entryWithBody(logId, TERM, ts, view.subarray(groups[g + 1]!, groups[g + 2]!))).lastInsertRowid);
      if (this.firstWalRowid === 0) this.firstWalRowid = rowid;
      this.lastWalRowid = rowid;
      const end = (groups[g + 3]! + groups[g + 4]!) * OP_SLOTS;
      for (let o = groups[g + 3]! * OP_SLOTS; o < end; ) {
        // A run of tag puts goes in as multi-row INSERTs.
        let n = 0;
        while (o + n * OP_SLOTS < end && ops[o + n * OP_SLOTS] === OpKind.putTag) n++;
        if (n > 1) {
          this.putTags(req, view, part, o, n, key);
          key += n;
          o += n * OP_SLOTS;
          continue;
        }
        const k = this.applyOp(req, view, part, o, key, rank);
        key += k;
        if (k === 2) rank++;
        o += OP_SLOTS;
      }
      this.s.setState.run(logId, ts, part);
      this.lastLogId[part] = logId;
      this.lastTs[part] = ts;
      logIds.push(logId);
    }
    return logIds;
  }

  /** `n` tag puts from op slot `o` (keys from `key`), in order: long INSERTs, short ones, then single rows. */
  private putTags(req: WriteRequest, view: Buffer, part: number, o: number, n: number, key: number): void {
    const { ops, keys } = req;
    const fill = (args: unknown[], rows: number): unknown[] => {
      for (let j = 0; j < rows; j++, o += OP_SLOTS) {
        const a = 6 * j;
        args[a] = part;
        args[a + 1] = keys[key++];
        args[a + 2] = ops[o + 4];
        args[a + 3] = ops[o + 5];
        args[a + 4] = view.subarray(ops[o + 1]!, ops[o + 2]!);
        args[a + 5] = ops[o + 3]! >>> 0;
      }
      return args;
    };
    let left = n;
    for (; left >= TAG_ROWS_PER_INSERT; left -= TAG_ROWS_PER_INSERT) this.s.putTagsLong.run(fill(this.longArgs, TAG_ROWS_PER_INSERT));
    for (; left >= TAG_ROWS_PER_SHORT_INSERT; left -= TAG_ROWS_PER_SHORT_INSERT) this.s.putTagsShort.run(fill(this.shortArgs, TAG_ROWS_PER_SHORT_INSERT));
    for (; left > 0; left--) this.s.putTag.run(...fill(this.shortArgs, 1).slice(0, 6));
  }

  /** Apply the op at `o`; answers how many keys it used (1 for tag ops, 2 for edge ops). */
  private applyOp(req: WriteRequest, view: Buffer, part: number, o: number, key: number, rank: number): number {
    const { ops, keys, ranks } = req;
    const s = this.s;
    const props = (): Buffer => view.subarray(ops[o + 1]!, ops[o + 2]!);
    const crc = ops[o + 3]! >>> 0;
    switch (ops[o]) {
      case OpKind.putTag:
        s.putTag.run(part, keys[key], ops[o + 4], ops[o + 5], props(), crc);
        return 1;
      case OpKind.deleteTag:
        s.deleteTag.run(part, keys[key], ops[o + 4]);
        return 1;
      case OpKind.deleteVertex:
        s.deleteVertex.run(part, keys[key]);
        return 1;
      case OpKind.putEdge:
        s.putEdge.run(part, keys[key], ops[o + 4], ranks[rank], keys[key + 1], ops[o + 5], props(), crc);
        return 2;
      case OpKind.deleteEdge:
        s.deleteEdge.run(part, keys[key], ops[o + 4], ranks[rank], keys[key + 1]);
        return 2;
      default:
        throw new Error(`unknown op kind ${ops[o]}`);
    }
  }
}
