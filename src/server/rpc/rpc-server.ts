/**
 * A cluster's meta and storage services on their own ports (gRPC). Today they answer health
 * checks and take heartbeats from listeners and drainers; the synchronization steps add streams.
 */
import * as grpc from '@grpc/grpc-js';
import type { HostRole } from '../../catalog/types.ts';
import { MetaCode } from '../../errors.ts';
import type { Liveness } from '../../engine/meta/liveness.ts';
import type { Logger } from '../../log.ts';
import { GIT_INFO_SHA, PRODUCT_VERSION } from '../../engine/meta/version.ts';
import { serviceDefinition } from './proto.ts';

const HEARTBEAT_ROLES: ReadonlySet<HostRole> = new Set(['STORAGE_LISTENER', 'META_LISTENER', 'DRAINER']);

export interface RpcServerOptions {
  readonly host: string;
  readonly metaPort: number;
  readonly storagePort: number;
  readonly liveness: Liveness;
  readonly metaLogId: () => number;
  readonly now: () => number;
  readonly log: Logger;
}

interface HeartbeatRequest {
  role: string;
  host: string;
  port: number;
  git_info_sha: string;
  version: string;
}

async function bind(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(error) : resolve(port),
    );
  });
}

export class RpcServer {
  private readonly meta = new grpc.Server();
  private readonly storage = new grpc.Server();
  metaPort = 0;
  storagePort = 0;

  constructor(private readonly options: RpcServerOptions) {
    const health = (role: string) => (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
      callback(null, {
        role,
        status: 'ONLINE',
        version: PRODUCT_VERSION,
        git_info_sha: GIT_INFO_SHA,
        meta_log_id: String(options.metaLogId()),
      });
    this.meta.addService(serviceDefinition('Meta'), {
      Health: health('META'),
      Heartbeat: (call: grpc.ServerUnaryCall<HeartbeatRequest, unknown>, callback: grpc.sendUnaryData<unknown>) =>
        callback(null, this.heartbeat(call.request)),
    });
    this.storage.addService(serviceDefinition('Storage'), { Health: health('STORAGE') });
  }

  private heartbeat(req: HeartbeatRequest): { code: number; message: string; meta_log_id: string } {
    const role = req.role as HostRole;
    const logId = String(this.options.metaLogId());
    if (!HEARTBEAT_ROLES.has(role) || req.host === '' || !(req.port > 0 && req.port < 65536)) {
      this.options.log.warn('heartbeat refused', { role: req.role, host: req.host, port: req.port });
      return { code: MetaCode.E_INVALID_HOST, message: `invalid heartbeat from ${req.host}:${req.port} (${req.role})`, meta_log_id: logId };
    }
    this.options.liveness.heartbeat(
      { role, host: req.host, port: req.port, gitInfoSha: req.git_info_sha, version: req.version },
      this.options.now(),
    );
    return { code: 0, message: '', meta_log_id: logId };
  }

  async start(): Promise<void> {
    this.metaPort = await bind(this.meta, `${this.options.host}:${this.options.metaPort}`);
    this.storagePort = await bind(this.storage, `${this.options.host}:${this.options.storagePort}`);
  }

  async close(): Promise<void> {
    const shutdown = (server: grpc.Server) =>
      new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    await Promise.all([shutdown(this.meta), shutdown(this.storage)]);
  }

  destroy(): void {
    this.meta.forceShutdown();
    this.storage.forceShutdown();
  }
}
