/**
 * An in-process cluster for executor and golden tests: the real meta store, storage engine,
 * parser and executor over a temporary folder, without the network.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPasswordAsync, verifyPasswordAsync } from '../../src/catalog/password.ts';
import { createStorageEngine } from '../../src/engine/storage/storage-engine.ts';
import { Liveness } from '../../src/engine/meta/liveness.ts';
import { MetaStore } from '../../src/engine/meta/meta-store.ts';
import { createMetaService } from '../../src/engine/meta/meta-service.ts';
import { ProgressRegistry } from '../../src/engine/meta/progress.ts';
import { createSyncRuntime } from '../../src/engine/sync/status/sync-runtime.ts';
import { fail, ok, type Result } from '../../src/errors.ts';
import { executeStatements } from '../../src/executor/index.ts';
import type { ExecConfig, ExecContext, ExecOutput, Session, SyncRuntime } from '../../src/executor/types.ts';
import { parse } from '../../src/parser/parse.ts';

export interface HarnessOptions {
  readonly enableAuthorize?: boolean;
  /** Fixed clock for repeatable output; defaults to Date.now. */
  readonly now?: () => number;
  /**
   * 'live': the cluster's real status runtime over this harness's meta store and storage (no
   * listener or drainer ever heartbeats or reports); default 'idle': every status empty/OFFLINE.
   */
  readonly sync?: 'idle' | 'live';
}

export interface Harness {
  readonly dir: string;
  readonly ctx: (session: Session) => ExecContext;
  /** A new session for `user` (default root), optionally already in `space`. */
  readonly session: (user?: string, space?: string) => Session;
  /** Parse and run `text` in `session` (default: one root session shared by calls). */
  readonly run: (text: string, session?: Session) => Promise<Result<ExecOutput>>;
  readonly close: () => void;
}

const idleSync: SyncRuntime = {
  listenerStatus: () => 'OFFLINE',
  drainerStatus: () => 'OFFLINE',
  syncStatus: () => [],
  drainerSyncStatus: () => [],
  syncErrors: () => [],
};

export function createHarness(options: HarnessOptions = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'nebula-sync-exec-'));
  const now = options.now ?? Date.now;
  const config: ExecConfig = {
    enableAuthorize: options.enableAuthorize ?? false,
    localIp: '127.0.0.1',
    graphPort: 9669,
    metaPort: 9559,
    storagePort: 9779,
  };
  const store = MetaStore.open({ dataPath: dir, fsync: false });
  const liveness = new Liveness({ heartbeatIntervalSecs: 10 });
  const meta = createMetaService({
    store,
    liveness,
    self: { localIp: config.localIp, graphPort: config.graphPort, metaPort: config.metaPort, storagePort: config.storagePort },
    now,
  });
  const storage = createStorageEngine({ dataPath: dir, walTtlSecs: 14400, fsync: false });
  const sync =
    options.sync === 'live' ? createSyncRuntime({ metaStore: store, meta, storage, liveness, progress: new ProgressRegistry(), now }) : idleSync;
  let nextSession = 1n;
  const session = (user = 'root', space?: string): Session => ({ id: nextSession++, user, space });
  const ctx = (s: Session): ExecContext => ({
    session: s,
    meta,
    storage,
    sync,
    config,
    hashPassword: async (password) => ok(await hashPasswordAsync(password)),
    verifyPassword: async (password, stored) => ok(await verifyPasswordAsync(password, stored)),
    now,
  });
  const root = session();
  return {
    dir,
    ctx,
    session,
    run: async (text, s = root) => {
      const parsed = parse(text);
      if (!parsed.ok) return fail(parsed.error);
      return executeStatements(parsed.statements, ctx(s));
    },
    close: () => {
      storage.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
