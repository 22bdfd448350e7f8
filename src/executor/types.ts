/**
 * What an executor gets and gives back.
 *
 * An executor is one function per statement kind: (statement, context) -> DataSet | nothing, or a
 * coded error. It checks permissions first, reads the catalog snapshot it was handed, changes the
 * catalog only through `meta.commit(op)` and data only through `SpaceStore.write(ops)`. It never
 * touches SQLite and never formats tables.
 */
import type { Catalog, HostRole, MetaOp } from '../catalog/types.ts';
import type { NgError, Result } from '../errors.ts';
import type { StorageEngine } from '../engine/storage/types.ts';
import type { SyncPeers } from '../engine/sync/drainer-probe.ts';
import type { VerifyRuntime } from '../engine/sync/verify/verify-types.ts';
import type { Statement, StatementKind, StatementOf } from '../parser/ast.ts';
import type { DataSet } from '../value/types.ts';

/** A client's session: who it is and which space it uses. `space` is changed by USE. */
export interface Session {
  readonly id: bigint;
  readonly user: string;
  space?: string;
}

/** Whether a host (or a partition's synchronization) was heard from lately. */
export type HostStatus = 'ONLINE' | 'OFFLINE';

/** A row of SHOW HOSTS <role>: a registered host and whether it was heard from lately. */
export interface HostInfo {
  readonly host: string;
  readonly port: number;
  readonly role: HostRole;
  readonly status: HostStatus;
  readonly gitInfoSha: string;
  readonly version: string;
}

/** One row of SHOW SYNC STATUS / SHOW DRAINER SYNC STATUS (DESIGN section 4). */
export interface SyncStatusRow {
  readonly part: number;
  readonly status: HostStatus;
  readonly logIdLag: number;
  readonly timeLatencyMs: number;
}

/** Which process saw a failure SHOW SYNC ERRORS lists (docs/status.md). */
export type SyncErrorSide = 'PRIMARY' | 'LISTENER' | 'DRAINER' | 'SECONDARY';

/** One row of SHOW SYNC ERRORS: why a partition does not sync, or did not lately. */
export interface SyncErrorRow {
  readonly part: number;
  readonly side: SyncErrorSide;
  readonly code: number;
  readonly message: string;
  /** Times in a row (1 for a condition that holds now, such as a silent listener). */
  readonly count: number;
  /** ms since the epoch; undefined when not known. */
  readonly firstMs: number | undefined;
  readonly lastMs: number | undefined;
}

/**
 * The runtime picture of synchronization that only live processes know (heartbeats, acknowledged
 * positions). The cluster fills it from its meta service; the catalog alone cannot.
 */
export interface SyncRuntime {
  /** Status of the listener that serves `part` of `space` (0 = meta listener). */
  listenerStatus(space: string, part: number): HostStatus;
  drainerStatus(host: string, port: number): HostStatus;
  syncStatus(space: string): readonly SyncStatusRow[];
  drainerSyncStatus(space: string): readonly SyncStatusRow[];
  /** SHOW SYNC ERRORS: both sides' reasons for `space` (primary side, secondary side, or both in a chain). */
  syncErrors(space: string): readonly SyncErrorRow[];
}

/** The meta service as an executor sees it. */
export interface MetaService {
  /** The current catalog snapshot. */
  catalog(): Catalog;
  /** Log `op` in the meta WAL (durably) and apply it; answers the new snapshot. */
  commit(op: MetaOp): Catalog;
  /** Hosts of one role with liveness, for SHOW HOSTS. */
  hosts(role: HostRole): readonly HostInfo[];
}

export interface ExecConfig {
  readonly enableAuthorize: boolean;
  /** Address the cluster's own services answer on, e.g. for SHOW HOSTS GRAPH/META. */
  readonly localIp: string;
  readonly graphPort: number;
  readonly metaPort: number;
  readonly storagePort: number;
}

export interface ExecContext {
  readonly session: Session;
  readonly meta: MetaService;
  readonly storage: StorageEngine;
  readonly sync: SyncRuntime;
  /** VERIFY SYNC; only a running cluster has one. */
  readonly verify?: VerifyRuntime;
  /** Drainers asked by the sync statements' cycle checks; only a running cluster has them. */
  readonly peers?: SyncPeers;
  readonly config: ExecConfig;
  /**
   * Hashes a password for the catalog (scrypt off the event loop, bounded); fails with a busy error
   * when too much hashing is waiting. Injected so tests can use a cheap one.
   */
  readonly hashPassword: (password: string) => Promise<Result<string>>;
  readonly verifyPassword: (password: string, hash: string) => Promise<Result<boolean>>;
  /** Milliseconds since the epoch; injected so golden tests are repeatable. */
  readonly now: () => number;
}

/** What a statement leaves: a table, or nothing (DDL, USE, INSERT). */
export type ExecOutput = DataSet | undefined;

export type Executor<K extends StatementKind> = (
  stmt: StatementOf<K>,
  ctx: ExecContext,
) => Result<ExecOutput> | Promise<Result<ExecOutput>>;

export type ExecutorTable = { readonly [K in StatementKind]: Executor<K> };

export type { NgError, Statement };
