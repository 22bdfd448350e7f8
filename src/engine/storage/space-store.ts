/**
 * One space: its SQLite file, its partitions' rows and WALs, and the group commit of its writes.
 *
 * Every read first commits a pending group (synchronously), so no caller ever sees a row that a
 * failed COMMIT could still take back. Writes apply at once inside the tick's transaction and
 * resolve after its COMMIT.
 *
 * Integrity (DESIGN.md guarantee 7): opening checks every retained WAL entry's CRC and refuses a
 * partition with a damaged one for reads, writes, tails and snapshots; every row read verifies
 * the row's checksum. Damage is thrown as `StorageDamagedError` and kept in `damaged()`.
 */
import { strict as assert } from 'node:assert';
import type Database from 'better-sqlite3';
import { limits } from '../../limits.ts';
import { silentLogger, type Logger } from '../../log.ts';
import { tryDecodeWalEntry, walEntryDamage } from '../wal/wal-codec.ts';
import { DamageRegistry, type Damage, type StorageDamagedError } from './damage.ts';
import { GroupCommit } from './group-commit.ts';
import { checkWalEntries } from './integrity-check.ts';
import { partitionerOf } from './partition-of.ts';
import { openPartitionSnapshot } from './partition-snapshot.ts';
import { PartitionWriter, type WrittenEntry } from './partition-writer.ts';
import { verifyWal, type SpaceIdentity } from './space-schema.ts';
import { prepareLive, prepareRowReads, RowDecoder, type LiveStatements, type RowReads } from './space-statements.ts';
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
  private readonly decode: RowDecoder;
  private readonly damage: DamageRegistry;
  private readonly writer: PartitionWriter;
  private readonly group: GroupCommit;
  private readonly snapshots = new Set<PartitionSnapshot>();
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
    log: Logger = silentLogger,
  ) {
    this.spaceId = identity.spaceId;
    this.partitionNum = identity.partitionNum;
    const n = identity.partitionNum;
    this.partOf = partitionerOf(identity.vidType, n);
    verifyWal(db, n);
    this.damage = new DamageRegistry(log, now);
    for (const d of checkWalEntries(db)) this.walDamaged(d.part, d.logId, d.reason);
    this.live = prepareLive(db);
    this.reads = prepareRowReads(db, identity.vidType);
    this.decode = new RowDecoder(
      (part, subject, reason) => this.damage.report({ spaceId: this.spaceId, part, subject, reason, refused: false }),
      (part) => this.damage.assertServes(part),
    );
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
      for (const part of groups.keys()) this.damage.assertServes(part);
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

  /** Commit what is pending, then answer `vid`'s partition if it serves reads. */
  private readPart(vid: Vid): number {
    this.sync();
    const part = this.partOf(vid);
    this.damage.assertServes(part);
    return part;
  }

  getTags(vid: Vid): readonly TagRow[] {
    return this.decode.tags(this.reads.tagsOfVid.all(this.readPart(vid), vid) as unknown[][]);
  }

  getTag(vid: Vid, tagId: number): TagRow | undefined {
    const r = this.reads.tagOfVid.get(this.readPart(vid), vid, tagId) as unknown[] | undefined;
    return r && this.decode.tag(r);
  }

  getEdge(src: Vid, etype: number, rank: bigint, dst: Vid): EdgeRow | undefined {
    const r = this.reads.edge.get(this.readPart(src), src, etype, rank, dst) as unknown[] | undefined;
    return r && this.decode.edge(r);
  }

  outEdges(vid: Vid, etypes?: readonly number[]): readonly EdgeRow[] {
    const part = this.readPart(vid);
    if (etypes === undefined) return this.decode.edges(this.reads.outEdges.all(part, vid) as unknown[][]);
    return etypes.flatMap((t) => this.decode.edges(this.reads.outEdgesOfType.all(part, vid, t) as unknown[][]));
  }

  /** In-edges live in their src's partitions: each row is checked against its own partition. */
  inEdges(vid: Vid, etypes?: readonly number[]): readonly EdgeRow[] {
    this.sync();
    this.partOf(vid);
    if (etypes === undefined) return this.decode.edges(this.reads.inEdges.all(vid) as unknown[][]);
    return etypes.flatMap((t) => this.decode.edges(this.reads.inEdgesOfType.all(vid, t) as unknown[][]));
  }

  /**
   * Counts for a STATS job: SQL counts, which read no row's bytes (verifying every row here would
   * make STATS about ten times slower, all of it on the event loop; a scrub reads the partitions'
   * snapshots instead). A refused partition fails it, as every read of that partition does.
   */
  counts(): SpaceCounts {
    this.sync();
    this.damage.assertNoneRefused();
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

  /** Every damage this space knows of: refused partitions, and rows found damaged on read. */
  damaged(): readonly Damage[] {
    return this.damage.list();
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
    this.damage.assertServes(part);
    const from = Math.max(1, fromLogId);
    if (from < state.firstLogId) return { kind: 'gone', firstLogId: state.firstLogId, lastLogId: state.lastLogId };
    const max = Math.max(0, Math.min(maxEntries, limits.walReadEntriesMax));
    const rows = this.live.walFrom.all(part, from, max) as [Buffer][];
    const entries: WalEntry[] = rows.map((r, i) => {
      const d = tryDecodeWalEntry(r[0]);
      if (!d.ok) throw this.walDamaged(part, from + i, d.reason);
      assert.equal(d.entry.logId, from + i, `partition ${part}: WAL entry ${from + i} missing`);
      return d.entry;
    });
    return { kind: 'entries', entries, lastLogId: state.lastLogId };
  }

  /** Entries as stored, each one's CRC checked first: damaged bytes are never shipped. */
  readWalRaw(part: number, fromLogId: number, maxEntries: number): RawWalRead {
    const state = this.partitionState(part);
    this.damage.assertServes(part);
    const from = Math.max(1, fromLogId);
    if (from < state.firstLogId) return { kind: 'gone', firstLogId: state.firstLogId, lastLogId: state.lastLogId, lastTs: state.lastTs };
    const max = Math.max(0, Math.min(maxEntries, limits.walReadEntriesMax));
    const rows = this.live.walRawFrom.all(part, from, max) as [number, number, Buffer][];
    const entries: RawWalEntry[] = rows.map((r, i) => {
      assert.equal(Number(r[0]), from + i, `partition ${part}: WAL entry ${from + i} missing`);
      const damage = walEntryDamage(r[2]);
      if (damage !== undefined) throw this.walDamaged(part, from + i, damage);
      return { logId: Number(r[0]), ts: Number(r[1]), bytes: r[2] };
    });
    return { kind: 'entries', entries, lastLogId: state.lastLogId, lastTs: state.lastTs };
  }

  snapshot(part: number): PartitionSnapshot {
    this.sync();
    this.checkPart(part);
    this.damage.assertServes(part);
    const s = openPartitionSnapshot(this.file, this.identity.vidType, part, this.decode, (done) => this.snapshots.delete(done));
    this.snapshots.add(s);
    return s;
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
    this.closed = true;
    this.db.close();
  }

  /** A damaged WAL entry refuses its partition from now on; answers the error to throw. */
  private walDamaged(part: number, logId: number, reason: string): StorageDamagedError {
    return this.damage.report({ spaceId: this.spaceId, part, subject: { kind: 'wal', logId }, reason, refused: true });
  }

  private checkPart(part: number): void {
    assert(Number.isInteger(part) && part >= 1 && part <= this.partitionNum, `no partition ${part} in space ${this.spaceId}`);
  }
}
