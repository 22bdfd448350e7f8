/**
 * A primary-or-secondary cluster's status inputs without the network: a real MetaStore and storage
 * engine in a temporary folder, the liveness and progress registries, and a clock the test moves.
 * Reports go straight into the registry (the RPC handler's own checks have their own test); a
 * listener report is about target space `r` unless it says otherwise.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostRole, MetaOp } from '../../../../../src/catalog/types.ts';
import { Liveness } from '../../../../../src/engine/meta/liveness.ts';
import { createMetaService } from '../../../../../src/engine/meta/meta-service.ts';
import { MetaStore } from '../../../../../src/engine/meta/meta-store.ts';
import { ProgressRegistry, type PartProgress } from '../../../../../src/engine/meta/progress.ts';
import { createStorageEngine } from '../../../../../src/engine/storage/storage-engine.ts';
import type { SpaceStore, StorageEngine, Vid } from '../../../../../src/engine/storage/types.ts';
import { createSyncRuntime } from '../../../../../src/engine/sync/status/sync-runtime.ts';
import type { SyncRuntime } from '../../../../../src/executor/types.ts';

export const T0 = 1_700_000_000_000;
/** Heartbeat interval of the fixture: a host or a report stays fresh for 5 of them (5 s). */
export const HEARTBEAT_SECS = 1;
export const FRESH_MS = 5 * HEARTBEAT_SECS * 1000;

export interface StatusFixture {
  readonly clock: { now: number };
  readonly metaStore: MetaStore;
  readonly storage: StorageEngine;
  readonly liveness: Liveness;
  readonly progress: ProgressRegistry;
  readonly sync: SyncRuntime;
  /** Commit a meta op at the fixture's clock. */
  commit(op: MetaOp): void;
  /** Create a space of `parts` partitions and open its store. */
  createSpace(name: string, parts: number): SpaceStore;
  /** A vid of `store` that falls in partition `part`. */
  vidIn(store: SpaceStore, part: number): Vid;
  /** One WAL entry in `part` at the clock's time. */
  writeIn(store: SpaceStore, part: number): Promise<void>;
  beat(role: HostRole, host: string, port: number): void;
  report(role: HostRole, host: string, port: number, space: string, parts: readonly Partial<PartProgress>[]): void;
  close(): void;
}

export function statusFixture(opts: { walTtlSecs?: number } = {}): StatusFixture {
  const dir = mkdtempSync(join(tmpdir(), 'nebula-sync-status-'));
  const clock = { now: T0 };
  const now = () => clock.now;
  const metaStore = MetaStore.open({ dataPath: dir, fsync: false });
  const storage = createStorageEngine({ dataPath: dir, walTtlSecs: opts.walTtlSecs ?? 14400, fsync: false, now });
  const liveness = new Liveness({ heartbeatIntervalSecs: HEARTBEAT_SECS });
  const progress = new ProgressRegistry();
  const self = { localIp: '127.0.0.1', graphPort: 9669, metaPort: 9559, storagePort: 9779 };
  const meta = createMetaService({ store: metaStore, liveness, self, now });
  const sync = createSyncRuntime({ metaStore, meta, storage, liveness, progress, now });
  let counter = 0;
  const f: StatusFixture = {
    clock,
    metaStore,
    storage,
    liveness,
    progress,
    sync,
    commit: (op) => void metaStore.commit(op, clock.now),
    createSpace: (name, parts) => {
      f.commit({
        op: 'createSpace',
        space: { name, partitionNum: parts, replicaFactor: 1, vidType: { kind: 'FIXED_STRING', length: 30 }, charset: 'utf8', collate: 'utf8_bin' },
      });
      const desc = metaStore.catalog().spaces[name]!;
      return storage.openSpace(desc.id, parts, 'FIXED_STRING');
    },
    vidIn: (store, part) => {
      for (let i = 0; i < 100_000; i++) {
        const vid = `v${i}`;
        if (store.partOf(vid) === part) return vid;
      }
      throw new Error(`no vid found for part ${part}`);
    },
    writeIn: async (store, part) => {
      counter += 1;
      await store.write([{ op: 'putTag', vid: f.vidIn(store, part), tagId: 1, ver: 0, props: { n: BigInt(counter) } }]);
    },
    beat: (role, host, port) => void liveness.heartbeat({ role, host, port, gitInfoSha: 'x', version: 'v' }, clock.now),
    report: (role, host, port, space, parts) =>
      void progress.report(
        {
          role,
          host,
          port,
          space,
          parts: parts.map((p) => ({
            part: p.part ?? 0,
            shipping: p.shipping ?? true,
            ackedLogId: p.ackedLogId ?? 0,
            ackedTs: p.ackedTs ?? 0,
            receivedLogId: p.receivedLogId ?? 0,
            receivedTs: p.receivedTs ?? 0,
            outstanding: p.outstanding ?? 0,
            waitingSinceMs: p.waitingSinceMs,
            positionUnknown: p.positionUnknown ?? false,
            targetSpace: p.targetSpace ?? (role === 'DRAINER' ? '' : 'r'),
            okAtMs: p.okAtMs,
            error: p.error,
            spaceId: p.spaceId,
          })),
        },
        clock.now,
      ),
    close: () => {
      storage.close();
      metaStore.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return f;
}
