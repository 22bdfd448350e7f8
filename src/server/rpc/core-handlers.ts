/**
 * Health checks of the meta and storage services, and heartbeats from listeners and drainers.
 * A heartbeat is checked (role, host, port in range, bounded text) and recorded in the liveness
 * registry, where hosts the catalog names always get a slot and unknown ones share a bounded pool
 * (liveness.ts): a flood of made-up heartbeats can neither grow it nor keep a real host out.
 */
import type * as grpc from '@grpc/grpc-js';
import type { HostRole } from '../../catalog/types.ts';
import { MetaCode } from '../../errors.ts';
import { namedInCatalog } from '../../engine/meta/liveness.ts';
import { GIT_INFO_SHA, PRODUCT_VERSION } from '../../engine/meta/version.ts';
import type { RpcDeps, ServiceHandlers } from './rpc-deps.ts';

const HEARTBEAT_ROLES: ReadonlySet<HostRole> = new Set(['STORAGE_LISTENER', 'META_LISTENER', 'DRAINER']);
/** Longest host name or version text a heartbeat may carry (a DNS name is at most 253). */
export const HEARTBEAT_TEXT_CHARS_MAX = 255;

interface HeartbeatRequest {
  role: string;
  host: string;
  port: number;
  git_info_sha: string;
  version: string;
}

export function coreHandlers(deps: RpcDeps): ServiceHandlers {
  const health = (role: string) => (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
    callback(null, {
      role,
      status: 'ONLINE',
      version: PRODUCT_VERSION,
      git_info_sha: GIT_INFO_SHA,
      meta_log_id: String(deps.metaStore.lastLogId()),
      cluster_id: deps.metaStore.clusterId,
    });
  const heartbeat = (req: HeartbeatRequest) => {
    const role = req.role as HostRole;
    const base = { meta_log_id: String(deps.metaStore.lastLogId()), cluster_id: deps.metaStore.clusterId };
    const texts = [req.host, req.git_info_sha, req.version];
    if (!HEARTBEAT_ROLES.has(role) || req.host === '' || !(req.port > 0 && req.port < 65536) || texts.some((t) => t.length > HEARTBEAT_TEXT_CHARS_MAX)) {
      // Not logged: anyone can send these, and a line each would let them fill the disk.
      return { ...base, code: MetaCode.E_INVALID_HOST, message: `invalid heartbeat from ${req.host.slice(0, HEARTBEAT_TEXT_CHARS_MAX)}:${req.port} (${req.role.slice(0, 32)})` };
    }
    const named = namedInCatalog(deps.metaStore.catalog(), role, req.host, req.port);
    deps.liveness.heartbeat({ role, host: req.host, port: req.port, gitInfoSha: req.git_info_sha, version: req.version }, deps.now(), named);
    return { ...base, code: 0, message: '' };
  };
  return {
    meta: {
      Health: health('META'),
      Heartbeat: (call: grpc.ServerUnaryCall<HeartbeatRequest, unknown>, callback: grpc.sendUnaryData<unknown>) =>
        callback(null, heartbeat(call.request)),
    },
    storage: { Health: health('STORAGE') },
  };
}
