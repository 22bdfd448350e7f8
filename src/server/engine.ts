/**
 * A cluster's engine without its network services: the meta store and catalog, the storage
 * engine, liveness and progress, the sync and verify runtimes, password work, and an executor
 * context per session. `Cluster.start` wires its graph, meta and storage services around one;
 * the public API (`createEngine`) hands one to embedding programs, which run statements with
 * `execute(session, text)`. One wiring, two users.
 *
 * @example
 *   const engine = openEngine({ dataPath: '/tmp/a' });
 *   await engine.execute({ user: 'root' }, 'ADD HOSTS 127.0.0.1:9779');
 *   engine.close();
 */
import { mkdirSync } from 'node:fs';
import type { Engine, EngineOptions, EngineSession, ExecResult } from '../api/engine-types.ts';
import type { Catalog } from '../catalog/types.ts';
import { Liveness } from '../engine/meta/liveness.ts';
import { createMetaService, type ClusterMetaService } from '../engine/meta/meta-service.ts';
import { MetaStore } from '../engine/meta/meta-store.ts';
import { ProgressRegistry } from '../engine/meta/progress.ts';
import { createStorageEngine } from '../engine/storage/storage-engine.ts';
import type { StorageEngine } from '../engine/storage/types.ts';
import { knockingOf } from '../engine/sync/apply/knocking.ts';
import { createSyncPeers } from '../engine/sync/drainer-probe.ts';
import { createSyncRuntime } from '../engine/sync/status/sync-runtime.ts';
import { createVerifyRuntime } from '../engine/sync/verify/primary-verify.ts';
import type { VerifyRuntime } from '../engine/sync/verify/verify-types.ts';
import { Errors, fail, ok, type NgError, type Result } from '../errors.ts';
import { executeStatements } from '../executor/index.ts';
import { ROOT_USER } from '../executor/permissions.ts';
import type { ExecConfig, ExecContext, Session, SyncRuntime, SyncStatusRow } from '../executor/types.ts';
import { silentLogger, type Logger } from '../log.ts';
import type { Statement } from '../parser/ast.ts';
import { parse } from '../parser/parse.ts';
import { Authenticator } from './authenticator.ts';
import { BUSY, PasswordWork } from './password-work.ts';
import { clientFor } from './rpc/proto.ts';
import type { TlsOptions } from './rpc/tls.ts';

/** The defaults of `EngineOptions` (the cluster command's flag defaults). */
export const ENGINE_DEFAULTS = {
  enableAuthorize: false,
  walTtlSecs: 14_400,
  fsync: true,
  heartbeatIntervalSecs: 10,
  localIp: '127.0.0.1',
} as const;

/** What only a cluster sets: the credentials of its internal links (VERIFY SYNC dials drainers). */
export interface EngineCoreOptions extends EngineOptions {
  readonly tls?: TlsOptions | undefined;
}

/** The engine's own service addresses (SHOW HOSTS GRAPH/META/STORAGE); a cluster sets them once bound. */
export interface EngineAddress {
  localIp: string;
  graphPort: number;
  metaPort: number;
  storagePort: number;
}

/** The engine with the parts a cluster wires into its services. */
export interface EngineCore extends Engine {
  readonly log: Logger;
  readonly enableAuthorize: boolean;
  readonly metaStore: MetaStore;
  readonly meta: ClusterMetaService;
  readonly storage: StorageEngine;
  readonly liveness: Liveness;
  readonly progress: ProgressRegistry;
  readonly sync: SyncRuntime;
  readonly verify: VerifyRuntime;
  readonly self: EngineAddress;
  readonly now: () => number;
  contextFor(session: Session): ExecContext;
  /** Undefined when `user` from `ip` may have a session; else the refusal (backoff, bad password). */
  checkLogin(user: string, password: string, ip: string): Promise<NgError | undefined>;
  userExists(user: string): boolean;
}

/** Opens the stores under `options.dataPath` (creating the folder) and wires the engine. */
export function openEngine(options: EngineCoreOptions): EngineCore {
  const log = options.log ?? silentLogger;
  const enableAuthorize = options.enableAuthorize ?? ENGINE_DEFAULTS.enableAuthorize;
  const fsync = options.fsync ?? ENGINE_DEFAULTS.fsync;
  mkdirSync(options.dataPath, { recursive: true });
  const now = () => Date.now();
  const metaStore = MetaStore.open({ dataPath: options.dataPath, fsync });
  let storage: StorageEngine;
  try {
    storage = createStorageEngine({
      dataPath: options.dataPath,
      walTtlSecs: options.walTtlSecs ?? ENGINE_DEFAULTS.walTtlSecs,
      fsync,
      log: log.child({ component: 'storage' }),
    });
    for (const space of Object.values(metaStore.catalog().spaces)) {
      storage.openSpace(space.id, space.partitionNum, space.vidType.kind);
    }
  } catch (cause) {
    metaStore.close();
    throw cause;
  }
  const liveness = new Liveness({ heartbeatIntervalSecs: options.heartbeatIntervalSecs ?? ENGINE_DEFAULTS.heartbeatIntervalSecs });
  const progress = new ProgressRegistry();
  const self: EngineAddress = { localIp: options.localIp ?? ENGINE_DEFAULTS.localIp, graphPort: 0, metaPort: 0, storagePort: 0 };
  const meta = createMetaService({ store: metaStore, liveness, self, now });
  const sync = createSyncRuntime({ metaStore, meta, storage, liveness, progress, now });
  const verify = createVerifyRuntime({
    metaStore,
    storage,
    log: log.child({ component: 'verify' }),
    connect: (address) => clientFor('Drainer', address, options.tls),
  });
  // What the sync statements' cycle checks ask: drainers, and the sources this cluster refused.
  const peers = createSyncPeers({
    clusterId: metaStore.clusterId,
    connect: (address) => clientFor('Drainer', address, options.tls),
    knocking: (space) => knockingOf(metaStore).sources(space, now()),
  });
  const config = (): ExecConfig => ({ enableAuthorize, ...self });
  // Every password hash a client can cause runs off the event loop, a few at a time.
  const passwords = new PasswordWork();
  const contextFor = (session: Session): ExecContext => ({
    session,
    meta,
    storage,
    sync,
    verify,
    peers,
    config: config(),
    hashPassword: async (password) => {
      const hash = await passwords.hash(password, session.user === ROOT_USER);
      return hash === BUSY ? fail(Errors.passwordBusy()) : ok(hash);
    },
    verifyPassword: async (password, stored) => {
      const verdict = await passwords.verify(password, stored, session.user === ROOT_USER);
      return verdict === BUSY ? fail(Errors.passwordBusy()) : ok(verdict);
    },
    now,
  });
  const authenticator = new Authenticator({
    enableAuthorize,
    passwordHashOf: (user) => (Object.hasOwn(meta.catalog().users, user) ? meta.catalog().users[user]!.passwordHash : undefined),
    work: passwords,
  });
  const checkLogin = (user: string, password: string, ip: string) => authenticator.check(user, password, ip);

  const run = async (session: EngineSession, statements: readonly Statement[]): Promise<ExecResult> => {
    // The executor's session view; USE changes its space, which is copied back to the caller's.
    const view: Session = { id: 0n, user: session.user, space: session.space };
    try {
      return await executeStatements(statements, contextFor(view));
    } catch (cause) {
      // A throw is a bug in an executor, not a user mistake: the caller gets it as a coded error.
      log.error('statement failed unexpectedly', { cause });
      return fail(Errors.executionPlain(`Internal error: ${(cause as Error).message}`));
    } finally {
      if (view.space !== session.space) session.space = view.space;
    }
  };

  let closed = false;
  return {
    dataPath: options.dataPath,
    log,
    enableAuthorize,
    metaStore,
    meta,
    storage,
    liveness,
    progress,
    sync,
    verify,
    self,
    now,
    contextFor,
    checkLogin,
    userExists: (user) => user === ROOT_USER || Object.hasOwn(meta.catalog().users, user),
    authenticate: async (user, password, ip = '127.0.0.1') => {
      const refused = await checkLogin(user, password, ip);
      return refused === undefined ? ok({ user }) : fail(refused);
    },
    execute: async (session, text) => {
      const parsed = parse(text);
      return parsed.ok ? run(session, parsed.statements) : fail(parsed.error);
    },
    run,
    catalog: () => metaStore.catalog(),
    syncStatus: (space) => sync.syncStatus(space),
    drainerSyncStatus: (space) => sync.drainerSyncStatus(space),
    close: () => {
      if (closed) return;
      closed = true;
      storage.close();
      metaStore.close();
    },
  };
}
