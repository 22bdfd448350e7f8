/**
 * One space: its SQLite file, its partitions' rows and WALs, and the group commit of its writes.
 *
 * Every read first commits a pending group (synchronously), so no caller ever sees a row that a
 * failed COMMIT could still take back. Writes apply at once inside the tick's transaction and
 * resolve after its COMMIT.
 */
import { strict as assert } from 'node:assert';
import type Database from 'better-sqlite3';
import { limits } from '../../limits.ts';
import { decodeWalEntry } from '../wal/wal-codec.ts';
import { GroupCommit } from './group-commit.ts';
import { partOfInt, partOfString } from './partition-of.ts';
import { openPartitionSnapshot } from './partition-snapshot.ts';
import { openSpaceReadView, type SpaceReadView } from './space-read-view.ts';
import { PartitionWriter, type WrittenEntry } from './partition-writer.ts';
import { verifyWal, type SpaceIdentity } from './space-schema.ts';
import {
  prepareLive,
  prepareRowReads,
  toEdgeRow,
  toEdgeRows,
  toTagRow,
  toTagRows,
  type LiveStatements,
  type RowReads,
} from './space-statements.ts';
import type {
  DataOp,
  EdgeRow,
  PartitionSnapshot,
  PartitionState,
  RawWalEntry,
  RawWalRead,
  SpaceCounts,
  SpaceStore,
  SyncPosition,
  TagRow,
  Vid,
  WalEntry,
  WalRead,
  WriteOptions,
} from './types.ts';

export class SqliteSpaceStore implements SpaceStore {
  readonly spaceId: number;
  readonly partitionNum: number;
  private readonly live: LiveStatements;
  private readonly reads: RowReads;
  private readonly writer: PartitionWriter;
  private readonly group: GroupCommit;
  private readonly snapshots = new Set<PartitionSnapshot>();
  private readonly views = new Set<SpaceReadView>();
  private readonly commitListeners = new Set<(parts: readonly number[]) => void>();
  /** Partitions that got WAL entries in the open group. */
  private groupParts = new Set<number>();
  private closed = false;
  readonly partOf: (vid: Vid) => number;

  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    private readonly identity: SpaceIdentity,
    private readonly now: () => number = Date.now,
  ) {
    this.spaceId = identity.spaceId;
    this.partitionNum = identity.partitionNum;
    const n = identity.partitionNum;
    this.partOf =
      identity.vidType === 'INT64'
        ? (vid) => (typeof vid === 'bigint' ? partOfInt(vid, n) : assert.fail(`vid ${String(vid)} is not an INT64`))
        : (vid) => (typeof vid === 'string' ? partOfString(vid, n) : assert.fail(`vid ${vid} is not a string`));
    verifyWal(db, n);
    this.live = prepareLive(db);
    this.reads = prepareRowReads(db, identity.vidType);
    this.writer = new PartitionWriter(db, this.live, n, this.partOf);
    this.group = new GroupCommit(this.live, {
      onBegin: () => this.writer.markGroup(),
      onRollback: () => {
        this.writer.rollbackGroup();
        this.groupParts = new Set();
      },
      onCommitted: () => this.notifyCommitted(),
    });
  }

  write(ops: readonly DataOp[], options: WriteOptions = {}): Promise<readonly WrittenEntry[]> {
    if (this.closed) return Promise.reject(new Error(`space ${this.spaceId} is closed`));
    let written: WrittenEntry[];
    try {
      const groups = this.writer.groupByPart(ops);
      if (groups.size === 0 && options.position === undefined) {
        return this.group.pending ? this.group.join([]) : Promise.resolve([]);
      }
      this.group.enter();
      written = this.writer.apply(groups, this.now(), options.position);
      for (const w of written) this.groupParts.add(w.part);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.group.join(written);
  }

  /**
   * Unlike the row reads, this does not force the pending group to commit: a secondary reads the
   * position of one (source, part) only after that key's previous write resolved (applies of a key
   * are serialized), so what it sees here is committed or belongs to another key's pending write,
   * and forcing a COMMIT (an fsync) per apply would undo group commit.
   */
  syncPosition(source: string, part: number): SyncPosition | undefined {
    assert(!this.closed, `space ${this.spaceId} is closed`);
    const r = this.live.getPosition.get(source, part) as [number, number, number | null] | undefined;
    return r && { source, part, appliedLogId: Number(r[0]), appliedTs: Number(r[1]), snapshotLogId: r[2] === null ? null : Number(r[2]) };
  }

  onCommit(listener: (parts: readonly number[]) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  private notifyCommitted(): void {
    if (this.groupParts.size === 0) return;
    const parts = [...this.groupParts];
    this.groupParts = new Set();
    for (const listener of this.commitListeners) listener(parts);
  }

  /** Commit the pending group now; every read starts here. */
  private sync(): void {
    assert(!this.closed, `space ${this.spaceId} is closed`);
    this.group.flush();
  }

  getTags(vid: Vid): readonly TagRow[] {
    this.sync();
    return toTagRows(this.reads.tagsOfVid.all(this.partOf(vid), vid) as unknown[][]);
  }

  getTag(vid: Vid, tagId: number): TagRow | undefined {
    this.sync();
    const r = this.reads.tagOfVid.get(this.partOf(vid), vid, tagId) as unknown[] | undefined;
    return r && toTagRow(r);
  }

  getEdge(src: Vid, etype: number, rank: bigint, dst: Vid): EdgeRow | undefined {
    this.sync();
    const r = this.reads.edge.get(this.partOf(src), src, etype, rank, dst) as unknown[] | undefined;
    return r && toEdgeRow(r);
  }

  outEdges(vid: Vid, etypes?: readonly number[]): readonly EdgeRow[] {
    this.sync();
    const part = this.partOf(vid);
    if (etypes === undefined) return toEdgeRows(this.reads.outEdges.all(part, vid) as unknown[][]);
    return etypes.flatMap((t) => toEdgeRows(this.reads.outEdgesOfType.all(part, vid, t) as unknown[][]));
  }

  inEdges(vid: Vid, etypes?: readonly number[]): readonly EdgeRow[] {
    this.sync();
    this.partOf(vid);
    if (etypes === undefined) return toEdgeRows(this.reads.inEdges.all(vid) as unknown[][]);
    return etypes.flatMap((t) => toEdgeRows(this.reads.inEdgesOfType.all(vid, t) as unknown[][]));
  }

  counts(): SpaceCounts {
    this.sync();
    const tally = (rows: unknown[][]): Map<number, number> => new Map(rows.map((r) => [Number(r[0]), Number(r[1])]));
    const edges = tally(this.live.edgeCounts.all() as unknown[][]);
    let edgeCount = 0;
    for (const n of edges.values()) edgeCount += n;
    return {
      tags: tally(this.live.tagCounts.all() as unknown[][]),
      edges,
      vertices: Number((this.live.vertexCount.get() as unknown[])[0]),
      edgeCount,
    };
  }

  partitionState(part: number): PartitionState {
    this.sync();
    this.checkPart(part);
    const lastLogId = this.writer.lastLogId[part]!;
    const first = (this.live.firstLogId.get(part) as [number | null])[0];
    return { part, lastLogId, lastTs: this.writer.lastTs[part]!, firstLogId: first ?? lastLogId + 1 };
  }

  readWal(part: number, fromLogId: number, maxEntries: number): WalRead {
    const state = this.partitionState(part);
    const from = Math.max(1, fromLogId);
    if (from < state.firstLogId) return { kind: 'gone', firstLogId: state.firstLogId, lastLogId: state.lastLogId };
    const max = Math.max(0, Math.min(maxEntries, limits.walReadEntriesMax));
    const rows = this.live.walFrom.all(part, from, max) as [Buffer][];
    const entries: WalEntry[] = rows.map((r, i) => {
      const e = decodeWalEntry(r[0]);
      assert.equal(e.logId, from + i, `partition ${part}: WAL entry ${from + i} missing`);
      return e;
    });
    return { kind: 'entries', entries, lastLogId: state.lastLogId };
  }

  readWalRaw(part: number, fromLogId: number, maxEntries: number): RawWalRead {
    const state = this.partitionState(part);
    const from = Math.max(1, fromLogId);
    if (from < state.firstLogId) return { kind: 'gone', firstLogId: state.firstLogId, lastLogId: state.lastLogId, lastTs: state.lastTs };
    const max = Math.max(0, Math.min(maxEntries, limits.walReadEntriesMax));
    const rows = this.live.walRawFrom.all(part, from, max) as [number, number, Buffer][];
    const entries: RawWalEntry[] = rows.map((r, i) => {
      assert.equal(Number(r[0]), from + i, `partition ${part}: WAL entry ${from + i} missing`);
      return { logId: Number(r[0]), ts: Number(r[1]), bytes: r[2] };
    });
    return { kind: 'entries', entries, lastLogId: state.lastLogId, lastTs: state.lastTs };
  }

  snapshot(part: number): PartitionSnapshot {
    this.sync();
    this.checkPart(part);
    const s = openPartitionSnapshot(this.file, this.identity.vidType, part, (done) => this.snapshots.delete(done));
    this.snapshots.add(s);
    return s;
  }

  readView(): SpaceReadView {
    this.sync();
    const view = openSpaceReadView(this.file, this.identity.vidType, (done) => this.views.delete(done));
    this.views.add(view);
    return view;
  }

  /**
   * Delete every entry older than `cutoffMs`, always a prefix of each partition's WAL so that what
   * stays is contiguous. Returns how many entries went.
   */
  purgeOlderThan(cutoffMs: number): number {
    this.sync();
    let purged = 0;
    const tx = this.db.transaction(() => {
      for (let part = 1; part <= this.partitionNum; part++) {
        const kept = this.live.firstKept.get(part, cutoffMs) as [number] | undefined;
        const below = kept === undefined ? this.writer.lastLogId[part]! + 1 : kept[0];
        purged += this.live.purgeBefore.run(part, below).changes;
      }
    });
    tx();
    return purged;
  }

  /** Commit what is pending, end open snapshots, close the file. */
  close(): void {
    if (this.closed) return;
    this.group.flush();
    for (const s of [...this.snapshots]) s.close();
    for (const v of [...this.views]) v.close();
    this.closed = true;
    this.db.close();
  }

  private checkPart(part: number): void {
    assert(Number.isInteger(part) && part >= 1 && part <= this.partitionNum, `no partition ${part} in space ${this.spaceId}`);
  }
}
