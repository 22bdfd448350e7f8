/**
 * One space on the main thread: its SQLite file read through this thread's own connection, its
 * writes done by the storage writer thread (storage-worker.ts), its partitions' WALs read for
 * replication.
 *
 * A write is grouped by partition and encoded here (write-batch.ts), applied and committed there
 * (space-writer.ts, group commit), and resolves once its COMMIT returned; then `onCommit`
 * listeners hear which partitions got entries. Reads run here, on a connection that never writes
 * after the file is set up: in WAL mode they never wait for the writer and see only committed
 * data, so a read issued before a write resolved may not see it. A statement that reads in
 * order to decide what to write (UPDATE, INSERT IF NOT EXISTS, DELETE) goes through
 * `readThenWrite`, which lets every earlier write commit first and posts its own before any later
 * one: such statements stay serializable, as when reads and writes shared one connection.
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
import { checkWalEntries } from './integrity-check.ts';
import { partitionerOf } from './partition-of.ts';
import { openPartitionSnapshot } from './partition-snapshot.ts';
import { openSpaceReadView, type SpaceReadView } from './space-read-view.ts';
import { verifyWal, type SpaceIdentity } from './space-schema.ts';
import { prepareLive, prepareRowReads, RowDecoder, type LiveStatements, type RowReads } from './space-statements.ts';
import type { StorageWorkerClient } from './storage-worker-client.ts';
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
import { WalFeed, type RawWalRow } from './wal-feed.ts';
import type { Committed } from './worker-protocol.ts';
import { WriteGate } from './write-gate.ts';
import { buildWriteRequest, groupByPart, largestEntry, TERM, WriteTooLargeError, type WrittenEntry } from './write-batch.ts';

/** The key of a (source, part) position in `SqliteSpaceStore.positions`. */
const positionKey = (source: string, part: number): string => `${part} ${source}`;

export class SqliteSpaceStore implements SpaceStore {
  readonly spaceId: number;
  readonly partitionNum: number;
  private readonly live: LiveStatements;
  private readonly reads: RowReads;
  private readonly decode: RowDecoder;
  private readonly damage: DamageRegistry;
  private readonly gate: WriteGate;
  private readonly snapshots = new Set<PartitionSnapshot>();
  private readonly views = new Set<SpaceReadView>();
  private readonly commitListeners = new Set<(parts: readonly number[]) => void>();
  private readonly unsubscribe: () => void;
  /** Runs a function inside one read transaction: everything it reads is of one instant. */
  private readonly inRead: <T>(read: () => T) => T;
  /**
   * Replication positions as committed, by `positionKey` (null: none stored): read from the file
   * once, then replaced whenever a write carrying one resolves, which is the only way a position
   * changes. A secondary asks for one before every apply; this saves it a read transaction each.
   */
  private readonly positions = new Map<string, SyncPosition | null>();
  /** Each commit's WAL entries of every partition, read once for all the tails (wal-feed.ts). */
  private readonly feed: WalFeed;
  private closed = false;
  readonly partOf: (vid: Vid) => number;
  /**
   * Each partition's last log id and its ts as this thread last heard (index = part): set at open,
   * raised as writes resolve. Never ahead of what a read sees (a write resolves after its COMMIT).
   */
  private readonly tipLogId: Float64Array;
  private readonly tipTs: Float64Array;

  /**
   * `db` is this thread's connection to `file` (set up already); `key` names the space in the
   * writer thread, which this opens there.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    private readonly identity: SpaceIdentity,
    private readonly writer: { readonly client: StorageWorkerClient; readonly key: string; readonly fsync: boolean },
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
    this.inRead = db.transaction((read: () => unknown) => read()) as <T>(read: () => T) => T;
    this.feed = new WalFeed((first, last) => this.live.walRowids.iterate(first, last) as Iterable<[number, number, number, Buffer]>);
    this.tipLogId = new Float64Array(n + 1);
    this.tipTs = new Float64Array(n + 1);
    for (const r of this.live.allStates.all() as number[][]) this.raiseTip(r[0]!, r[1]!, r[2]!);
    this.gate = new WriteGate();
    const { client, key, fsync } = writer;
    this.unsubscribe = client.subscribe(key, (c) => this.committed(c));
    client.open({ space: key, file, partitionNum: n, fsync });
  }

  write(ops: readonly DataOp[], options: WriteOptions = {}): Promise<readonly WrittenEntry[]> {
    if (this.closed) return Promise.reject(new Error(`space ${this.spaceId} is closed`));
    let groups: Map<number, DataOp[]>;
    try {
      groups = this.writableGroups(ops);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.gate.write(() => this.post(groups, options.position));
  }

  readThenWrite<T>(decide: () => { readonly ops: readonly DataOp[]; readonly value: T }): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`space ${this.spaceId} is closed`));
    return this.gate.readThenWrite(() => {
      const d = this.inRead(decide);
      if (d.ops.length === 0) return { send: undefined, value: d.value };
      const groups = this.writableGroups(d.ops);
      return { send: () => this.post(groups, undefined), value: d.value };
    });
  }

  /** `ops` by partition, vid types checked; throws for a refused partition before anything is sent. */
  private writableGroups(ops: readonly DataOp[]): Map<number, DataOp[]> {
    const groups = groupByPart(ops, this.partOf);
    for (const part of groups.keys()) this.damage.assertServes(part);
    return groups;
  }

  /** Encode the groups and send them to the writer thread; resolves with the entries once committed. */
  private async post(groups: ReadonlyMap<number, DataOp[]>, position: SyncPosition | undefined): Promise<readonly WrittenEntry[]> {
    const ts = this.now();
    const { client, key } = this.writer;
    const req = buildWriteRequest(client.writeId(), key, groups, ts, position);
    // A client's write is bounded; a sync's apply is not (it was bounded where it was written, and
    // refusing it here would stop its partition for good).
    if (position === undefined) {
      const largest = largestEntry(req);
      if (largest.bytes > limits.walEntryBytesMax) throw new WriteTooLargeError(largest.part, largest.bytes, limits.walEntryBytesMax);
    }
    const logIds = await client.write(req);
    if (position !== undefined) this.positions.set(positionKey(position.source, position.part), position);
    const written: WrittenEntry[] = [];
    let i = 0;
    for (const [part, partOps] of groups) {
      const logId = logIds[i++]!;
      this.raiseTip(part, logId, ts);
      written.push({ part, entry: { logId, term: TERM, ts, ops: partOps } });
    }
    return written;
  }

  private raiseTip(part: number, logId: number, ts: number): void {
    if (logId <= this.tipLogId[part]!) return;
    this.tipLogId[part] = logId;
    this.tipTs[part] = ts;
  }

  private committed(c: Committed): void {
    if (c.parts.length === 0 || this.closed) return;
    if (c.walRowids !== undefined) this.feed.committed(c.walRowids[0], c.walRowids[1]);
    for (const listener of this.commitListeners) listener(c.parts);
  }

  /**
   * The stored position of (source, part), as committed. A secondary reads it only after that
   * key's previous write resolved (applies of a key are serialized), so it sees that write.
   */
  syncPosition(source: string, part: number): SyncPosition | undefined {
    assert(!this.closed, `space ${this.spaceId} is closed`);
    const key = positionKey(source, part);
    let known = this.positions.get(key);
    if (known === undefined) {
      const r = this.live.getPosition.get(source, part) as [number, number, number | null] | undefined;
      known = r === undefined ? null : { source, part, appliedLogId: Number(r[0]), appliedTs: Number(r[1]), snapshotLogId: r[2] === null ? null : Number(r[2]) };
      this.positions.set(key, known);
    }
    return known ?? undefined;
  }

  onCommit(listener: (parts: readonly number[]) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /** Every read starts here: this space must be open. */
  private sync(): void {
    assert(!this.closed, `space ${this.spaceId} is closed`);
  }

  /** `vid`'s partition, if it serves reads. */
  private readPart(vid: Vid): number {
    this.sync();
    const part = this.partOf(vid);
    this.damage.assertServes(part);
    return part;
  }

  reading<T>(read: () => T): T {
    this.sync();
    return this.inRead(read);
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
    return this.inRead(() => this.stateNow(part));
  }

  /** The state and the first retained log id; inside a read transaction, of its instant. */
  private stateNow(part: number): PartitionState {
    const state = this.live.stateOf.get(part) as [number, number];
    const first = (this.live.firstLogId.get(part) as [number | null])[0];
    return { part, lastLogId: state[0], lastTs: state[1], firstLogId: first ?? state[0] + 1 };
  }

  readWal(part: number, fromLogId: number, maxEntries: number): WalRead {
    this.sync();
    this.checkPart(part);
    return this.inRead(() => this.readWalNow(part, fromLogId, maxEntries));
  }

  private readWalNow(part: number, fromLogId: number, maxEntries: number): WalRead {
    const state = this.stateNow(part);
    this.damage.assertServes(part);
    const from = Math.max(1, fromLogId);
    if (from < state.firstLogId) return { kind: 'gone', firstLogId: state.firstLogId, lastLogId: state.lastLogId };
    const max = Math.max(0, Math.min(maxEntries, limits.walReadEntriesMax));
    const rows = this.live.walFrom(max).all(part, from) as [Buffer][];
    const entries: WalEntry[] = rows.map((r, i) => {
      const d = tryDecodeWalEntry(r[0]);
      if (!d.ok) throw this.walDamaged(part, from + i, d.reason);
      assert.equal(d.entry.logId, from + i, `partition ${part}: WAL entry ${from + i} missing`);
      return d.entry;
    });
    return { kind: 'entries', entries, lastLogId: state.lastLogId };
  }

  /**
   * Entries as stored, each one's CRC checked first: damaged bytes are never shipped. A WAL tail
   * calls this after every commit of its partition, so the common case is one query: entries
   * that start exactly at `fromLogId`, the tip being the later of the last one read and the tip
   * this thread heard of. Anything else (nothing there, or retention took `fromLogId`) reads the
   * partition's state in the same read transaction as the entries.
   */
  readWalRaw(part: number, fromLogId: number, maxEntries: number): RawWalRead {
    this.sync();
    this.checkPart(part);
    this.damage.assertServes(part);
    const from = Math.max(1, fromLogId);
    const max = Math.max(0, Math.min(maxEntries, limits.walReadEntriesMax));
    if (max > 0) {
      const rows = this.feed.take(part, from, max) ?? (this.live.walRawFrom(max).all(part, from) as RawWalRow[]);
      if (rows.length > 0 && Number(rows[0]![0]) === from) {
        const entries = this.rawEntries(part, from, rows);
        const last = entries[entries.length - 1]!;
        this.raiseTip(part, last.logId, last.ts);
        return { kind: 'entries', entries, lastLogId: this.tipLogId[part]!, lastTs: this.tipTs[part]! };
      }
    }
    return this.inRead(() => this.readWalRawNow(part, from, max));
  }

  private rawEntries(part: number, from: number, rows: readonly RawWalRow[]): RawWalEntry[] {
    return rows.map((r, i) => {
      assert.equal(Number(r[0]), from + i, `partition ${part}: WAL entry ${from + i} missing`);
      const damage = walEntryDamage(r[2]);
      if (damage !== undefined) throw this.walDamaged(part, from + i, damage);
      return { logId: Number(r[0]), ts: Number(r[1]), bytes: r[2] };
    });
  }

  private readWalRawNow(part: number, from: number, max: number): RawWalRead {
    const state = this.stateNow(part);
    if (from < state.firstLogId) return { kind: 'gone', firstLogId: state.firstLogId, lastLogId: state.lastLogId, lastTs: state.lastTs };
    const rows = this.live.walRawFrom(max).all(part, from) as RawWalRow[];
    return { kind: 'entries', entries: this.rawEntries(part, from, rows), lastLogId: state.lastLogId, lastTs: state.lastTs };
  }

  snapshot(part: number): PartitionSnapshot {
    this.sync();
    this.checkPart(part);
    this.damage.assertServes(part);
    const s = openPartitionSnapshot(this.file, this.identity.vidType, part, this.decode, (done) => this.snapshots.delete(done));
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
   * End open snapshots and views and close this thread's connection. The engine closes the
   * writer thread's side first (committing what it holds), see storage-engine.ts.
   */
  close(): void {
    if (this.closed) return;
    this.unsubscribe();
    for (const s of [...this.snapshots]) s.close();
    for (const v of [...this.views]) v.close();
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
