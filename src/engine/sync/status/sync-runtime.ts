/**
 * The live picture of synchronization for the SHOW statements (DESIGN section 4).
 * PLACEHOLDER: being built; until then nothing ships and every status is OFFLINE.
 */
import type { ClusterMetaService } from '../../meta/meta-service.ts';
import type { MetaStore } from '../../meta/meta-store.ts';
import type { Liveness } from '../../meta/liveness.ts';
import type { ProgressRegistry } from '../../meta/progress.ts';
import type { StorageEngine } from '../../storage/types.ts';
import type { SyncRuntime } from '../../../executor/types.ts';

export interface SyncRuntimeDeps {
  readonly metaStore: MetaStore;
  readonly meta: ClusterMetaService;
  readonly storage: StorageEngine;
  readonly liveness: Liveness;
  readonly progress: ProgressRegistry;
  readonly now: () => number;
}

export function createSyncRuntime(_deps: SyncRuntimeDeps): SyncRuntime {
  return {
    listenerStatus: () => 'OFFLINE',
    drainerStatus: () => 'OFFLINE',
    syncStatus: () => [],
    drainerSyncStatus: () => [],
  };
}
