/**
 * What the RPC handlers of a cluster may use. Handlers live in one module per side
 * (core, primary, secondary, progress) and are composed by the cluster.
 */
import type * as grpc from '@grpc/grpc-js';
import type { ClusterMetaService } from '../../engine/meta/meta-service.ts';
import type { MetaStore } from '../../engine/meta/meta-store.ts';
import type { Liveness } from '../../engine/meta/liveness.ts';
import type { ProgressRegistry } from '../../engine/meta/progress.ts';
import type { StorageEngine } from '../../engine/storage/types.ts';
import type { ApplyCounters } from '../../engine/sync/sync-counters.ts';
import type { Logger } from '../../log.ts';

export interface RpcDeps {
  readonly metaStore: MetaStore;
  readonly meta: ClusterMetaService;
  readonly storage: StorageEngine;
  readonly liveness: Liveness;
  readonly progress: ProgressRegistry;
  readonly now: () => number;
  readonly log: Logger;
  /** Counts what the secondary applies (the /metrics figures); none when absent. */
  readonly applyCounters?: ApplyCounters;
}

/** Method name -> handler, for one gRPC service. */
export type Handlers = grpc.UntypedServiceImplementation;

/** Handlers a module adds to the cluster's meta and storage services. */
export interface ServiceHandlers {
  readonly meta: Handlers;
  readonly storage: Handlers;
}
