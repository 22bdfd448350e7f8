/**
 * The live picture of synchronization for the SHOW statements (DESIGN section 4): one runtime per
 * cluster, answering for both sides, since a cluster can be a primary for one space and a
 * secondary for another (chains A -> B -> C).
 *
 * @example
 *   const sync = createSyncRuntime({ metaStore, meta, storage, liveness, progress, now: Date.now });
 *   sync.syncStatus('basketballplayer'); // rows for partitions 0..15
 */
import type { SyncRuntime } from '../../../executor/types.ts';
import type { ClusterMetaService } from '../../meta/meta-service.ts';
import type { MetaStore } from '../../meta/meta-store.ts';
import type { Liveness } from '../../meta/liveness.ts';
import type { ProgressRegistry } from '../../meta/progress.ts';
import type { StorageEngine } from '../../storage/types.ts';
import { PrimaryStatus } from './primary-status.ts';
import { SchemaEntryIndex } from './schema-entry-index.ts';
import { SecondaryStatus } from './secondary-status.ts';

export interface SyncRuntimeDeps {
  readonly metaStore: MetaStore;
  readonly meta: ClusterMetaService;
  readonly storage: StorageEngine;
  readonly liveness: Liveness;
  readonly progress: ProgressRegistry;
  readonly now: () => number;
}

export function createSyncRuntime(deps: SyncRuntimeDeps): SyncRuntime {
  const primary = new PrimaryStatus({
    catalog: () => deps.metaStore.catalog(),
    storage: deps.storage,
    liveness: deps.liveness,
    progress: deps.progress,
    schemaEntries: new SchemaEntryIndex(deps.metaStore),
    now: deps.now,
  });
  const secondary = new SecondaryStatus({ liveness: deps.liveness, progress: deps.progress, now: deps.now });
  return {
    listenerStatus: (space, part) => primary.listenerStatus(space, part),
    syncStatus: (space) => primary.syncStatus(space),
    drainerStatus: (host, port) => secondary.drainerStatus(host, port),
    drainerSyncStatus: (space) => secondary.drainerSyncStatus(space),
  };
}
