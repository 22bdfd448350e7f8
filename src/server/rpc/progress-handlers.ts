/**
 * Progress reports from listeners (on a primary) and drainers (on a secondary).
 * PLACEHOLDER: being built (src/engine/sync/DESIGN.md); no methods yet.
 */
import type { RpcDeps, ServiceHandlers } from './rpc-deps.ts';

export function progressHandlers(_deps: RpcDeps): ServiceHandlers {
  return { meta: {}, storage: {} };
}
