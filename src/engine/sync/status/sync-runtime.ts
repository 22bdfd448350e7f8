/**
 * The live picture of synchronization for the SHOW statements (DESIGN section 4): one runtime per
 * cluster, answering for both sides, since a cluster can be a primary for one space and a
 * secondary for another (chains A -> B -> C).
 *
 * @example
 *   const sync = createSyncRuntime({ metaStore, meta, storage, liveness, progress, now: Date.now });
 *   sync.syncStatus('basketballplayer'); // rows for partitions 0..15
 *   sync.syncErrors('basketballplayer'); // why partitions do not sync (empty when nothing is wrong)
 *
 * Every method is a plain function of the live registries returning rows, so other readers (the
 * HTTP/metrics endpoints) call them as the SHOW statements do.
 */
import type { SyncErrorRow, SyncRuntime } from '../../../executor/types.ts';
import { refusalsOf } from '../apply/refusals.ts';
import type { ClusterMetaService } from '../../meta/meta-service.ts';
import type { MetaStore } from '../../meta/meta-store.ts';
import type { Liveness } from '../../meta/liveness.ts';
import type { ProgressRegistry } from '../../meta/progress.ts';
import type { StorageEngine } from '../../storage/types.ts';
import { primaryErrors } from './primary-errors.ts';
import { PrimaryStatus } from './primary-status.ts';
import { SchemaEntryIndex } from './schema-entry-index.ts';
import { secondaryErrors } from './secondary-errors.ts';
import { SecondaryStatus } from './secondary-status.ts';

export interface SyncRuntimeDeps {
  readonly metaStore: MetaStore;
  readonly meta: ClusterMetaService;
  readonly storage: StorageEngine;
  readonly liveness: Liveness;
  readonly progress: ProgressRegistry;
  readonly now: () => number;
}

/** SHOW SYNC ERRORS order: by partition, then side, then code. */
function byPartSideCode(a: SyncErrorRow, b: SyncErrorRow): number {
  return a.part - b.part || a.side.localeCompare(b.side) || a.code - b.code;
}

export function createSyncRuntime(deps: SyncRuntimeDeps): SyncRuntime {
  const catalog = () => deps.metaStore.catalog();
  const primary = new PrimaryStatus({
    catalog,
    storage: deps.storage,
    liveness: deps.liveness,
    progress: deps.progress,
    schemaEntries: new SchemaEntryIndex(deps.metaStore),
    now: deps.now,
  });
  const secondary = new SecondaryStatus({ catalog, liveness: deps.liveness, progress: deps.progress, now: deps.now });
  const refusals = refusalsOf(deps.metaStore);
  return {
    listenerStatus: (space, part) => primary.listenerStatus(space, part),
    syncStatus: (space) => primary.syncStatus(space),
    drainerStatus: (host, port) => secondary.drainerStatus(host, port),
    drainerSyncStatus: (space) => secondary.drainerSyncStatus(space),
    syncErrors: (space) => {
      const nowMs = deps.now();
      const cat = catalog();
      const rows = [...primaryErrors(primary, cat, space, nowMs), ...secondaryErrors(secondary, refusals, cat, space, nowMs)];
      return rows.sort(byPartSideCode);
    },
  };
}
