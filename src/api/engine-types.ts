/**
 * The engine as an embedding program sees it: the public face of what a cluster runs behind its
 * graph port (catalog, storage, sync runtime, executor with its permission checks). Plain types
 * only, so that the published declarations of the public API stay free of internals.
 */
import type { Catalog } from '../catalog/types.ts';
import type { Result } from '../errors.ts';
import type { SyncStatusRow } from '../executor/types.ts';
import type { Logger } from '../log.ts';
import type { Statement } from '../parser/ast.ts';
import type { DataSet } from '../value/types.ts';

/** How to open an engine: only `dataPath` is required. */
export interface EngineOptions {
  /** Folder for the catalog, the partitions and their WALs; created when missing, reopened when not. */
  readonly dataPath: string;
  /** Check passwords at `authenticate` and roles at every statement (NebulaGraph's `enable_authorize`). Default false. */
  readonly enableAuthorize?: boolean;
  /** Seconds a WAL entry is kept (`--wal_ttl`). Default 14400. */
  readonly walTtlSecs?: number;
  /** fsync every group commit (power-loss safe); false still survives kill -9. Default true. */
  readonly fsync?: boolean;
  /** Heartbeat interval of the processes that report to this engine; a host is ONLINE while heard within 5 of them. Default 10. */
  readonly heartbeatIntervalSecs?: number;
  /** The address this engine's services answer on, as SHOW HOSTS prints it. Default `127.0.0.1`. */
  readonly localIp?: string;
  /** Structured log lines; silent by default. */
  readonly log?: Logger;
}

/**
 * Who runs a statement and in which space. The host authenticates the user (or calls
 * `Engine.authenticate`); the engine trusts `user` and checks its roles when `enableAuthorize` is
 * on. `space` is the current space: `USE` changes it on this object.
 */
export interface EngineSession {
  readonly user: string;
  space?: string;
}

/** A statement's answer: a table, nothing (DDL, USE, INSERT), or a coded error (`NgError`). */
export type ExecResult = Result<DataSet | undefined>;

/** A cluster's engine, in-process. Not safe to share one `dataPath` between two engines or processes. */
export interface Engine {
  readonly dataPath: string;
  /**
   * Checks `user`'s password (with the failed-login backoff, per `ip`) and answers a session for
   * `execute`. With `enableAuthorize` off, every name is accepted, as in NebulaGraph.
   */
  authenticate(user: string, password: string, ip?: string): Promise<Result<EngineSession>>;
  /** Parses `text` (one or more statements separated by `;`) and runs it; the last statement's output is the answer. */
  execute(session: EngineSession, text: string): Promise<ExecResult>;
  /** Runs already parsed statements in order; the first error stops the rest. */
  run(session: EngineSession, statements: readonly Statement[]): Promise<ExecResult>;
  /** The current catalog snapshot (immutable; a later change makes a new one). */
  catalog(): Catalog;
  /** The rows of SHOW SYNC STATUS for a primary space (partition 0 is the meta listener). */
  syncStatus(space: string): readonly SyncStatusRow[];
  /** The rows of SHOW DRAINER SYNC STATUS for a target space on a secondary. */
  drainerSyncStatus(space: string): readonly SyncStatusRow[];
  /** Flushes and closes the stores. Further calls fail. */
  close(): void;
}
