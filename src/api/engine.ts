/**
 * `createEngine`: a cluster's engine in the embedding program's process, with no network service
 * of its own. The same wiring `Cluster.start` uses (src/server/engine.ts); only the public
 * `Engine` face is promised.
 */
import { openEngine, type EngineCore } from '../server/engine.ts';
import type { Engine, EngineOptions } from './engine-types.ts';

/**
 * Opens (or creates) the engine stored under `options.dataPath`: catalog, partitions and WALs,
 * the sync runtime and the executor with NebulaGraph's permission checks.
 *
 * Nothing listens on the network: listeners and drainers reach an engine only through a cluster
 * (`createCluster`). Close it with `engine.close()`; two engines must not share a `dataPath`.
 *
 * @example
 * ```ts
 * const engine = createEngine({ dataPath: '/tmp/nebula-embedded' });
 * const root = { user: 'root' };
 * await engine.execute(root, 'ADD HOSTS 127.0.0.1:9779');
 * await engine.execute(root, 'CREATE SPACE s(partition_num=3, vid_type=fixed_string(16)); USE s');
 * const r = await engine.execute(root, 'SHOW SPACES');
 * if (r.ok) console.log(r.value?.rows); // [['s']]
 * engine.close();
 * ```
 */
export function createEngine(options: EngineOptions): Engine {
  if (typeof options?.dataPath !== 'string' || options.dataPath === '') throw new TypeError('createEngine: dataPath is required');
  return publicEngine(openEngine(options));
}

/** Only the public face of an engine: the parts a cluster wires stay out of the embedding program's reach. */
export function publicEngine(core: EngineCore): Engine {
  return {
    dataPath: core.dataPath,
    authenticate: core.authenticate,
    execute: core.execute,
    run: core.run,
    catalog: core.catalog,
    syncStatus: core.syncStatus,
    drainerSyncStatus: core.drainerSyncStatus,
    close: core.close,
  };
}
