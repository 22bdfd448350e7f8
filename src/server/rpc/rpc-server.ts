/**
 * A cluster's meta and storage services on their own ports (gRPC), serving the handlers that the
 * cluster composed from the core, primary, secondary and progress modules.
 */
import * as grpc from '@grpc/grpc-js';
import { limits } from '../../limits.ts';
import { serviceDefinition } from './proto.ts';
import type { ServiceHandlers } from './rpc-deps.ts';
import type { Logger } from '../../log.ts';
import { openRpcPort, type RpcPort } from './rpc-port.ts';
import type { TlsOptions } from './tls.ts';

/**
 * Options of the internal gRPC servers that receive WAL entries (a cluster's storage service,
 * where drainers apply; a drainer, where listeners ship): messages up to
 * `limits.internalMessageBytesMax`, where gRPC's own default (4 MiB) would refuse a batch holding
 * one large entry, and its partition would retry it forever. The meta service and a listener's
 * own service receive small messages only and keep gRPC's default.
 */
export const ENTRY_SERVER_OPTIONS: grpc.ServerOptions = {
  'grpc.max_receive_message_length': limits.internalMessageBytesMax,
};

/** How long close() lets calls in flight finish before cutting them. */
export const RPC_CLOSE_GRACE_MS = 300;

export interface RpcServerOptions {
  readonly host: string;
  readonly metaPort: number;
  readonly storagePort: number;
  readonly handlers: ServiceHandlers;
  /** Mutual TLS on both services; undefined = plaintext. */
  readonly tls?: TlsOptions | undefined;
  /** Where refused connections are reported (rpc-port.ts). */
  readonly log?: Logger;
}

export class RpcServer {
  private readonly meta = new grpc.Server();
  private readonly storage = new grpc.Server(ENTRY_SERVER_OPTIONS);
  private metaRpc: RpcPort | undefined;
  private storageRpc: RpcPort | undefined;

  constructor(private readonly options: RpcServerOptions) {
    this.meta.addService(serviceDefinition('Meta'), options.handlers.meta);
    this.storage.addService(serviceDefinition('Storage'), options.handlers.storage);
  }

  async start(): Promise<void> {
    const { host, tls, log } = this.options;
    this.metaRpc = await openRpcPort(this.meta, `${host}:${this.options.metaPort}`, tls, log);
    this.storageRpc = await openRpcPort(this.storage, `${host}:${this.options.storagePort}`, tls, log).catch((cause: unknown) => {
      this.metaRpc?.destroy();
      throw cause;
    });
  }

  /** The bound meta port (0 before start()). */
  get metaPort(): number {
    return this.metaRpc?.port ?? 0;
  }

  /** The bound storage port (0 before start()). */
  get storagePort(): number {
    return this.storageRpc?.port ?? 0;
  }

  async close(): Promise<void> {
    await Promise.all([this.metaRpc?.close(RPC_CLOSE_GRACE_MS), this.storageRpc?.close(RPC_CLOSE_GRACE_MS)]);
  }

  destroy(): void {
    this.metaRpc?.destroy();
    this.storageRpc?.destroy();
  }
}
