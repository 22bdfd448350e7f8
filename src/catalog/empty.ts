/**
 * The catalog of a cluster that has never logged a meta entry. The meta store starts from it and
 * replays the meta WAL on top; ids start at 1 so that 0 can keep meaning "none".
 */
import { deepFreeze } from './freeze.ts';
import type { Catalog } from './types.ts';

/**
 * A fresh, frozen, empty catalog.
 *
 * @example
 * const cat = apply(emptyCatalog(), { logId: 1, term: 1, ts: 0, op: { op: 'addHosts', hosts: ['127.0.0.1:9779'] } });
 */
export function emptyCatalog(): Catalog {
  return deepFreeze<Catalog>({
    logId: 0,
    storageHosts: [],
    spaces: {},
    nextSpaceId: 1,
    users: {},
    roles: {},
    drainerClients: {},
    listeners: {},
    drainers: {},
    jobs: [],
    nextJobId: 1,
    stats: {},
    syncSources: {},
  });
}
