/**
 * nebula-sync as a library: `import { ... } from 'nebula-sync'`.
 *
 * This file is the whole public API. What it exports is promised: a change to it shows in the
 * API report (api/nebula-sync.api.d.ts, `npm run api:update`) and goes with a version change.
 * Everything else under src/ is internal and free to change from one version to the next, even
 * when a deep import happens to reach it; the package's `exports` map does not offer deep paths.
 *
 * - Parse: `parse`, `splitStatements`, `isSyncStatement`.
 * - Run statements against an engine in this process: `createEngine` -> `engine.execute(session, text)`.
 * - Run the roles in this process: `createCluster`, `createListener`, `createDrainer`, each with
 *   `start()`, `close()` (drain), `destroy()`, `status()`, `onStatus()` and `onLog()`.
 * - Serve or call NebulaGraph's graph protocol: `serveGraph`, `executionResponse`, `GraphClient`.
 * - Plain data: the catalog snapshot (`Catalog`), the status rows (`SyncStatusRow`), tables
 *   (`DataSet`, `Value`), coded errors (`NgError`, `ErrorCode`, `MetaCode`).
 *
 * docs/embedding.md tells how the parts fit; docs/api/ is the reference generated from these
 * comments; examples/embed.mjs and examples/gateway/ use nothing but this file.
 *
 * @example
 * ```ts
 * import { createCluster, parse } from 'nebula-sync';
 * parse('SHOW SYNC STATUS'); // { ok: true, statements: [{ kind: 'ShowSyncStatus' }] }
 * const cluster = createCluster({ dataPath: '/tmp/primary', graphPort: false });
 * await cluster.start();
 * await cluster.engine.execute({ user: 'root' }, 'SHOW HOSTS META');
 * await cluster.close();
 * ```
 *
 * @packageDocumentation
 */

// ---------- parsing ----------
export { parse } from './parser/parse.ts';
export { splitStatements } from './parser/split.ts';
export { isSyncStatement, SYNC_STATEMENT_KINDS } from './api/sync-statements.ts';
export type { ParseResult, Statement, StatementKind, StatementOf } from './parser/ast.ts';

// ---------- the engine: statements in, DataSets or coded errors out ----------
export { createEngine } from './api/engine.ts';
export type { Engine, EngineOptions, EngineSession, ExecResult } from './api/engine-types.ts';

// ---------- the roles, in-process ----------
export { createCluster, ClusterRole } from './api/cluster-role.ts';
export type { ClusterRoleOptions, ClusterPorts, ClusterStatus, InternalTlsOptions } from './api/cluster-role.ts';
export { createListener, createDrainer, ListenerRole, DrainerRole } from './api/sync-roles.ts';
export type { ListenerRoleOptions, DrainerRoleOptions, ListenerStatus, SyncRoleStatus } from './api/sync-roles.ts';
export type { Role } from './api/role.ts';
export type { RoleState, LogRecord, Unsubscribe } from './api/role.ts';
export type { Logger, LogLevel } from './log.ts';

// ---------- the graph protocol ----------
export { serveGraph, executionResponse } from './api/graph.ts';
export type { GraphService, GraphServiceOptions } from './api/graph.ts';
export { verifyClientVersion } from './server/client-version.ts';
export type { GraphHandler, ExecutionResponse, AuthResult, Peer } from './server/graph-handler.ts';
export { GraphClient, GraphClientError } from './client/graph-client.ts';
export type { GraphClientOptions } from './client/graph-client.ts';

// ---------- plain data ----------
export type { Catalog, SpaceDesc, SchemaDesc, ListenerSyncDesc, HostAddr, RoleName } from './catalog/types.ts';
export type { SyncStatusRow, HostStatus } from './executor/types.ts';
export type { DataSet, Value } from './value/types.ts';
export { ErrorCode, MetaCode } from './errors.ts';
export type { NgError, Result, ErrorCodeValue } from './errors.ts';
