/**
 * The secondary side of synchronization: applying a source's schema changes and data entries.
 * PLACEHOLDER: being built (src/engine/sync/DESIGN.md, "Secondary"); no methods yet.
 */
import type { RpcDeps, ServiceHandlers } from './rpc-deps.ts';

export function secondaryHandlers(_deps: RpcDeps): ServiceHandlers {
  return { meta: {}, storage: {} };
}
