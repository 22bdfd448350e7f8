/**
 * A cluster's meta and storage services on their own ports (gRPC), serving the handlers that the
 * cluster composed from the core, primary, secondary and progress modules.
 */
import * as grpc from '@grpc/grpc-js';
import { limits } from '../../limits.ts';
import { serviceDefinition } from './proto.ts';
import type { ServiceHandlers } from './rpc-deps.ts';
import { serverCredentials, type TlsOptions } from './tls.ts';

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
}

/** Bind `server` on `address`: mutual TLS with `tls` (peers need a certificate from its CA), else plaintext. */
export async function bindServer(server: grpc.Server, address: string, tls?: TlsOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, serverCredentials(tls), (error, port) =>
      error ? reject(error) : resolve(port),
    );
  });
}

/**
 * Stop `server`: let calls finish for `graceMs`, then cut the rest. WAL tails and ship streams never
 * finish on their own and tryShutdown waits for every call; their clients reconnect and resume.
 */
export function shutdownServer(server: grpc.Server, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export class RpcServer {
  private readonly meta = new grpc.Server();
  private readonly storage = new grpc.Server(ENTRY_SERVER_OPTIONS);
  metaPort = 0;
  storagePort = 0;

  constructor(private readonly options: RpcServerOptions) {
    this.meta.addService(serviceDefinition('Meta'), options.handlers.meta);
    this.storage.addService(serviceDefinition('Storage'), options.handlers.storage);
  }

  async start(): Promise<void> {
    const { host, tls } = this.options;
    this.metaPort = await bindServer(this.meta, `${host}:${this.options.metaPort}`, tls);
    this.storagePort = await bindServer(this.storage, `${host}:${this.options.storagePort}`, tls);
  }

  async close(): Promise<void> {
    await Promise.all([shutdownServer(this.meta, RPC_CLOSE_GRACE_MS), shutdownServer(this.storage, RPC_CLOSE_GRACE_MS)]);
  }

  destroy(): void {
    this.meta.forceShutdown();
    this.storage.forceShutdown();
  }
}
