/**
 * The storage engine's contract: partitions of a space in SQLite, one WAL per partition.
 *
 * Rows and WAL entries of a partition commit in one SQLite transaction (DESIGN rule 1). WAL entries
 * are logical and full-image: an op carries the whole row it leaves behind, so applying an entry
 * twice, or applying it on another cluster with another partition count, gives the same rows.
 */
import type { Value } from '../../value/types.ts';
import type { Damage } from './damage.ts';
import type { SpaceReadView } from './space-read-view.ts';

/** A vertex id as stored: bigint in an INT64 space, string in a FIXED_STRING space. */
export type Vid = bigint | string;

/** Property values of one tag or edge row, by property name. */
export type Props = Readonly<Record<string, Value>>;

export type DataOp =
  /**
   * Insert or replace one tag of a vertex (full image, written with schema version `ver`).
   * `encodedProps`, where present, is `props` exactly as the value codec encodes them (an op read
   * from WAL bytes with `lazyProps`, wal-codec.ts): a writer copies it instead of encoding again.
   */
  | { readonly op: 'putTag'; readonly vid: Vid; readonly tagId: number; readonly ver: number; readonly props: Props; readonly encodedProps?: Buffer }
  /** Remove one tag of a vertex. */
  | { readonly op: 'deleteTag'; readonly vid: Vid; readonly tagId: number }
  /** Remove a vertex: every tag row of it (edges are separate ops). */
  | { readonly op: 'deleteVertex'; readonly vid: Vid }
  /** Insert or replace an edge (stored in src's partition). */
  | {
      readonly op: 'putEdge';
      readonly src: Vid;
      readonly etype: number;
      readonly rank: bigint;
      readonly dst: Vid;
      readonly ver: number;
      readonly props: Props;
      /** As for putTag. */
      readonly encodedProps?: Buffer;
    }
  | { readonly op: 'deleteEdge'; readonly src: Vid; readonly etype: number; readonly rank: bigint; readonly dst: Vid };

/** One WAL entry of a data partition. `logId` is contiguous per partition, from 1. */
export interface WalEntry {
  readonly logId: number;
  readonly term: number;
  /** Commit time on the primary, ms since the epoch. */
  readonly ts: number;
  readonly ops: readonly DataOp[];
}

export interface TagRow {
  readonly vid: Vid;
  readonly tagId: number;
  readonly ver: number;
  readonly props: Props;
  /** The stored props blob, where the row was read to be shipped rather than looked at (partition snapshots). */
  readonly encodedProps?: Buffer;
}

export interface EdgeRow {
  readonly src: Vid;
  readonly etype: number;
  readonly rank: bigint;
  readonly dst: Vid;
  readonly ver: number;
  readonly props: Props;
  /** As for TagRow. */
  readonly encodedProps?: Buffer;
}

/** The answer of `readWal`: entries, or "gone" when `from` is older than what retention kept. */
export type WalRead =
  | { readonly kind: 'entries'; readonly entries: readonly WalEntry[]; readonly lastLogId: number }
  | { readonly kind: 'gone'; readonly firstLogId: number; readonly lastLogId: number };

/** A WAL entry as stored: its checksummed encoding (wal-codec), shipped as is by replication. */
export interface RawWalEntry {
  readonly logId: number;
  readonly ts: number;
  readonly bytes: Buffer;
}

/** The answer of `readWalRaw`: encoded entries, or "gone" as for `readWal`. */
export type RawWalRead =
  | { readonly kind: 'entries'; readonly entries: readonly RawWalEntry[]; readonly lastLogId: number; readonly lastTs: number }
  | { readonly kind: 'gone'; readonly firstLogId: number; readonly lastLogId: number; readonly lastTs: number };

/** A consistent picture of one partition at `logId`: every row, and nothing written after it. */
export interface PartitionSnapshot {
  readonly logId: number;
  readonly ts: number;
  tags(): IterableIterator<TagRow>;
  edges(): IterableIterator<EdgeRow>;
  /** Release the read transaction that pins the picture. */
  close(): void;
}

export interface PartitionState {
  readonly part: number;
  /** Last log id written (0 when none); kept even after its entry expired. */
  readonly lastLogId: number;
  /** ts of the entry `lastLogId` (0 when none). */
  readonly lastTs: number;
  /** Oldest log id still retained (lastLogId + 1 when the WAL is empty). */
  readonly firstLogId: number;
}

/** Counts over a whole space, as a STATS job computes them. */
export interface SpaceCounts {
  readonly tags: ReadonlyMap<number, number>;
  readonly edges: ReadonlyMap<number, number>;
  readonly vertices: number;
  readonly edgeCount: number;
}

/**
 * A replication position kept on a secondary (src/engine/sync/DESIGN.md): how far the entries of
 * one source partition were applied to this space, stored in the same transaction as the rows.
 */
export interface SyncPosition {
  /** `sourceKey(source)`: "<cluster id>/<space name>". */
  readonly source: string;
  readonly part: number;
  readonly appliedLogId: number;
  readonly appliedTs: number;
  /** Set while a snapshot at that log id is being applied; null otherwise. */
  readonly snapshotLogId: number | null;
}

export interface WriteOptions {
  /** Store this position with the rows, atomically (DESIGN rule 3). */
  readonly position?: SyncPosition;
}

/**
 * One space's partitions. Reads are synchronous and see committed data; writes resolve once
 * durable. Every row read
 * verifies the row's checksum, and every read, write, tail or snapshot of a refused partition
 * (see `damaged`) throws `StorageDamagedError` (damage.ts); `partitionState` and `syncPosition`
 * are bookkeeping and still answer.
 */
export interface SpaceStore {
  readonly spaceId: number;
  readonly partitionNum: number;
  /** NebulaGraph's vid -> partition mapping (protocol.md section 7), 1-based. */
  partOf(vid: Vid): number;

  /**
   * Run `read` (synchronous) inside one read transaction: every read it makes sees one instant,
   * and SQLite looks for other connections' commits once, not at each read (after each one found,
   * it drops its page cache, which makes a point read several times dearer while a sync applies).
   */
  reading<T>(read: () => T): T;
  getTags(vid: Vid): readonly TagRow[];
  getTag(vid: Vid, tagId: number): TagRow | undefined;
  getEdge(src: Vid, etype: number, rank: bigint, dst: Vid): EdgeRow | undefined;
  /** Edges stored with `src = vid`, optionally of these types. */
  outEdges(vid: Vid, etypes?: readonly number[]): readonly EdgeRow[];
  /** Edges with `dst = vid`, optionally of these types. */
  inEdges(vid: Vid, etypes?: readonly number[]): readonly EdgeRow[];
  counts(): SpaceCounts;

  /**
   * Append `ops`: grouped by partition (edges by src), each partition's group becomes one WAL
   * entry committed with its rows. Resolves with the entries once they are durable; reads see
   * them from then on (not before). Writes that reach the writer thread together share one
   * transaction and one fsync (group commit).
   */
  write(ops: readonly DataOp[], options?: WriteOptions): Promise<readonly { part: number; entry: WalEntry }[]>;

  /**
   * Read, then write what the reads decided, as one step (UPDATE, INSERT IF NOT EXISTS, DELETE):
   * `decide` runs once every write asked for earlier has committed, reads synchronously (in one
   * read transaction, as `reading`) and answers the ops to write with a value; no other write
   * comes between its reads and its ops.
   * Resolves with the value once the ops are durable.
   */
  readThenWrite<T>(decide: () => { readonly ops: readonly DataOp[]; readonly value: T }): Promise<T>;

  /** The stored replication position of `source`'s partition `part`, or undefined. */
  syncPosition(source: string, part: number): SyncPosition | undefined;

  /**
   * Call `listener` with the partitions that got new WAL entries, after each group COMMIT (so a
   * WAL tail never reads what could still roll back). Answers an unsubscribe.
   */
  onCommit(listener: (parts: readonly number[]) => void): () => void;

  /** Replication read side. */
  partitionState(part: number): PartitionState;
  readWal(part: number, fromLogId: number, maxEntries: number): WalRead;
  /**
   * Like readWal, without decoding: the entries' stored encodings, for shipping. Contiguity and
   * each entry's CRC are checked (a damaged entry refuses the partition and throws); the receiver
   * checks the CRC again when it decodes.
   */
  readWalRaw(part: number, fromLogId: number, maxEntries: number): RawWalRead;
  snapshot(part: number): PartitionSnapshot;

  /**
   * Damage found in this space (storage DESIGN.md guarantee 7): partitions refused since open (a
   * damaged WAL entry) or the whole file (failed `quick_check`), and rows found damaged on read.
   */
  damaged(): readonly Damage[];

  /** A consistent read of the whole space (rows, tips and positions at one instant): space-read-view.ts. */
  readView(): SpaceReadView;
}

export interface StorageEngineOptions {
  /** Folder that holds one SQLite file per space. */
  readonly dataPath: string;
  /** Seconds a WAL entry is kept (`--wal_ttl`). */
  readonly walTtlSecs: number;
  /** `true` = fsync every group commit (SQLite synchronous=FULL); `false` = NORMAL. */
  readonly fsync: boolean;
}

export interface StorageEngine {
  openSpace(spaceId: number, partitionNum: number, vidType: 'INT64' | 'FIXED_STRING'): SpaceStore;
  /** The space if it was opened or exists on disk. */
  space(spaceId: number): SpaceStore | undefined;
  dropSpace(spaceId: number): void;
  /** Delete WAL entries older than `wal_ttl`; returns how many went. Runs on a timer too. */
  purgeExpired(nowMs?: number): number;
  /** The damage of every open space (`SpaceStore.damaged`), for status pages. */
  damaged(): readonly Damage[];
  close(): void;
}
