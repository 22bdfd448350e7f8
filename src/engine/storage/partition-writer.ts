/**
 * Turns one `write(ops)` into WAL entries and row changes inside the open group transaction.
 *
 * Ops are grouped by partition (tag and vertex ops by vid, edge ops by src), keeping their order
 * within a partition; each group becomes the entry `{logId: last + 1, term: 1, ts: now, ops}`,
 * written to the `wal` table next to the rows it changes and the partition's new state. The last
 * log id of every partition is cached in memory so a write needs no SELECT; the cache is rolled
 * back together with SQLite (per write on failure, per group if its COMMIT fails).
 */
import { strict as assert } from 'node:assert';
import type Database from 'better-sqlite3';
import { encodeWalEntryWithRows, type RowSpan } from '../wal/wal-codec.ts';
import { rowCrcOfImage } from './row-checksum.ts';
import type { LiveStatements } from './space-statements.ts';
import type { DataOp, SyncPosition, Vid, WalEntry } from './types.ts';

/** The only term a single-replica partition ever has. */
export const TERM = 1;

export interface WrittenEntry {
  readonly part: number;
  readonly entry: WalEntry;
}

export class PartitionWriter {
  /** Last log id / its ts per partition, index = part (slot 0 unused). */
  readonly lastLogId: Float64Array;
  readonly lastTs: Float64Array;
  private readonly groupLogId: Float64Array;
  private readonly groupTs: Float64Array;
  private readonly applyTx: (groups: Map<number, DataOp[]>, ts: number, position: SyncPosition | undefined) => WrittenEntry[];

  constructor(
    db: Database.Database,
    private readonly s: LiveStatements,
    partitionNum: number,
    private readonly partOf: (vid: Vid) => number,
  ) {
    this.lastLogId = new Float64Array(partitionNum + 1);
    this.lastTs = new Float64Array(partitionNum + 1);
    this.groupLogId = new Float64Array(partitionNum + 1);
    this.groupTs = new Float64Array(partitionNum + 1);
    for (const r of s.allStates.all() as number[][]) {
      this.lastLogId[r[0]!] = r[1]!;
      this.lastTs[r[0]!] = r[2]!;
    }
    // Inside the group's BEGIN, better-sqlite3 runs this as a SAVEPOINT: a write that throws halfway
    // leaves no trace, and the other writes of the group are unaffected.
    this.applyTx = db.transaction((groups: Map<number, DataOp[]>, ts: number, position: SyncPosition | undefined) => {
      const written = this.applyGroups(groups, ts);
      if (position !== undefined) {
        this.s.putPosition.run(position.source, position.part, position.appliedLogId, position.appliedTs, position.snapshotLogId);
      }
      return written;
    });
  }

  /** Remember the state at the start of a group, to restore if its COMMIT fails. */
  markGroup(): void {
    this.groupLogId.set(this.lastLogId);
    this.groupTs.set(this.lastTs);
  }

  rollbackGroup(): void {
    this.lastLogId.set(this.groupLogId);
    this.lastTs.set(this.groupTs);
  }

  /** Group `ops` by partition, in first-seen order, checking vid types before anything is applied. */
  groupByPart(ops: readonly DataOp[]): Map<number, DataOp[]> {
    const groups = new Map<number, DataOp[]>();
    for (const op of ops) {
      const part = this.partOf(op.op === 'putEdge' || op.op === 'deleteEdge' ? op.src : op.vid);
      if (op.op === 'putEdge' || op.op === 'deleteEdge') {
        if (typeof op.rank !== 'bigint') assert.fail('an edge rank must be a bigint');
        this.partOf(op.dst);
      }
      const g = groups.get(part);
      if (g === undefined) groups.set(part, [op]);
      else g.push(op);
    }
    return groups;
  }

  /**
   * Apply a grouped write in the open transaction, with the replication position that comes with
   * it (a secondary applying a source's entries); on a throw nothing of it remains.
   */
  apply(groups: Map<number, DataOp[]>, ts: number, position?: SyncPosition): WrittenEntry[] {
    const parts = [...groups.keys()];
    const before = parts.map((p) => [this.lastLogId[p]!, this.lastTs[p]!] as const);
    try {
      return this.applyTx(groups, ts, position);
    } catch (err) {
      parts.forEach((p, i) => {
        this.lastLogId[p] = before[i]![0];
        this.lastTs[p] = before[i]![1];
      });
      throw err;
    }
  }

  private applyGroups(groups: Map<number, DataOp[]>, ts: number): WrittenEntry[] {
    const out: WrittenEntry[] = [];
    for (const [part, ops] of groups) {
      const entry: WalEntry = { logId: this.lastLogId[part]! + 1, term: TERM, ts, ops };
      const encoded = encodeWalEntryWithRows(entry);
      this.s.insertWal.run(part, entry.logId, TERM, ts, encoded.bytes);
      for (let i = 0; i < ops.length; i++) this.applyOp(part, ops[i]!, encoded.rows[i]);
      this.s.setState.run(entry.logId, ts, part);
      this.lastLogId[part] = entry.logId;
      this.lastTs[part] = ts;
      out.push({ part, entry });
    }
    return out;
  }

  /**
   * Apply one op; `row` is its row inside the WAL entry: the props blob stored as is, and the image
   * the row's checksum covers.
   */
  private applyOp(part: number, op: DataOp, row: RowSpan | undefined): void {
    const s = this.s;
    switch (op.op) {
      case 'putTag':
        s.putTag.run(part, op.vid, op.tagId, op.ver, row!.props, rowCrcOfImage(part, row!.image));
        return;
      case 'deleteTag':
        s.deleteTag.run(part, op.vid, op.tagId);
        return;
      case 'deleteVertex':
        s.deleteVertex.run(part, op.vid);
        return;
      case 'putEdge':
        s.putEdge.run(part, op.src, op.etype, op.rank, op.dst, op.ver, row!.props, rowCrcOfImage(part, row!.image));
        return;
      case 'deleteEdge':
        s.deleteEdge.run(part, op.src, op.etype, op.rank, op.dst);
        return;
    }
  }
}
