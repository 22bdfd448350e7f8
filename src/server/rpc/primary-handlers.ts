/**
 * The primary side of synchronization: assignments for listeners, WAL tails and snapshots.
 * PLACEHOLDER: being built (src/engine/sync/DESIGN.md, "Primary"); no methods yet.
 */
import type { RpcDeps, ServiceHandlers } from './rpc-deps.ts';

export function primaryHandlers(_deps: RpcDeps): ServiceHandlers {
  return { meta: {}, storage: {} };
}
