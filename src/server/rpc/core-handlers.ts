/**
 * Health checks of the meta and storage services, and heartbeats from listeners and drainers.
 */
import type * as grpc from '@grpc/grpc-js';
import type { HostRole } from '../../catalog/types.ts';
import { MetaCode } from '../../errors.ts';
import { GIT_INFO_SHA, PRODUCT_VERSION } from '../../engine/meta/version.ts';
import type { RpcDeps, ServiceHandlers } from './rpc-deps.ts';

const HEARTBEAT_ROLES: ReadonlySet<HostRole> = new Set(['STORAGE_LISTENER', 'META_LISTENER', 'DRAINER']);

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
    if (!HEARTBEAT_ROLES.has(role) || req.host === '' || !(req.port > 0 && req.port < 65536)) {
      deps.log.warn('heartbeat refused', { role: req.role, host: req.host, port: req.port });
      return { ...base, code: MetaCode.E_INVALID_HOST, message: `invalid heartbeat from ${req.host}:${req.port} (${req.role})` };
    }
    deps.liveness.heartbeat({ role, host: req.host, port: req.port, gitInfoSha: req.git_info_sha, version: req.version }, deps.now());
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
