/**
 * The listening socket of an internal gRPC port (a cluster's meta and storage services, a
 * listener, a drainer), with the bounds grpc-js's own ports do not have. grpc-js accepts every
 * connection and gives a TLS handshake two minutes, so a stranger holding silent sockets could
 * push a process's connections, and the native memory each one holds, without limit.
 *
 * Here the port is a plain TCP server of ours:
 * - at most `limits.rpcConnectionsMax` connections at once; further ones are closed on accept;
 * - with mutual TLS, at most `limits.rpcHandshakesMax` of them still in their TLS handshake (a
 *   peer without a certificate never gets past it); when all are taken, a new connection takes
 *   the slot of the longest-waiting one if it waited `RPC_HANDSHAKE_EVICTABLE_MS`, else it is
 *   closed; and a handshake not done in `limits.rpcHandshakeMs` is cut. Silent sockets can keep a
 *   real peer out only by opening more than `rpcHandshakesMax` every RPC_HANDSHAKE_EVICTABLE_MS;
 * - a connection reaches gRPC only once it is ready: at once when the links are plaintext, after
 *   the peer's certificate checked out against the CA with mutual TLS. grpc-js's connection
 *   injector then serves it as it would a connection to a port of its own.
 * Refusals are logged at most once per `RPC_REFUSAL_LOG_MS`, with a count.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { limits } from '../../limits.ts';
import { silentLogger, throttledWarn, type Logger } from '../../log.ts';
import type { TlsOptions } from './tls.ts';

/**
 * A handshake waiting this long may be cut to make room for a new connection when every handshake
 * slot is taken (a real peer's handshake takes milliseconds).
 */
export const RPC_HANDSHAKE_EVICTABLE_MS = 250;
/** Refused connections and failed handshakes are logged at most once per this period each. */
const RPC_REFUSAL_LOG_MS = 60_000;

/** The bounds of one port; each defaults to its entry in `limits`. */
export interface RpcPortBounds {
  readonly connectionsMax?: number;
  readonly handshakesMax?: number;
  readonly handshakeMs?: number;
}

export interface RpcPort {
  /** The port bound (the one asked for, or the one the OS chose for 0). */
  readonly port: number;
  /** Stop accepting, let calls in flight finish for `graceMs`, then cut the rest. */
  close(graceMs: number): Promise<void>;
  /** Stop accepting and cut every connection now. */
  destroy(): void;
}

/** Split `host:port` (an IPv6 host in brackets) into its parts. */
function splitAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(address.slice(colon + 1)) };
}

/**
 * Serve `server` (its services already added) on `address` (`host:port`, port 0 = any free one):
 * mutual TLS with `tls` (peers need a certificate from its CA), else plaintext.
 */
export async function openRpcPort(
  server: grpc.Server,
  address: string,
  tls: TlsOptions | undefined,
  log: Logger = silentLogger,
  bounds: RpcPortBounds = {},
): Promise<RpcPort> {
  const connectionsMax = bounds.connectionsMax ?? limits.rpcConnectionsMax;
  const handshake = { max: bounds.handshakesMax ?? limits.rpcHandshakesMax, ms: bounds.handshakeMs ?? limits.rpcHandshakeMs };
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  const overCap = throttledWarn(log, 'internal port connection over the cap, closed', RPC_REFUSAL_LOG_MS);
  const handshakeFailed = throttledWarn(log, 'internal port TLS handshake failed (no certificate from the CA, or a plaintext peer?)', RPC_REFUSAL_LOG_MS);
  const toGrpc = tls === undefined ? (socket: Socket) => injector.injectConnection(socket) : handshaker(tls, handshake, injector, handshakeFailed);
  const listening: Server = createServer(toGrpc);
  listening.maxConnections = connectionsMax;
  listening.on('drop', (peer) => overCap({ peer: peer?.remoteAddress, connectionsMax }));
  const { host, port } = splitAddress(address);
  const bound = await new Promise<number>((resolve, reject) => {
    listening.once('error', reject);
    listening.listen(port, host, () => {
      listening.off('error', reject);
      const at = listening.address();
      resolve(typeof at === 'object' && at !== null ? at.port : port);
    });
  });
  return {
    port: bound,
    close: (graceMs) =>
      new Promise<void>((resolve) => {
        listening.close();
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
    destroy: () => {
      listening.close();
      server.forceShutdown();
    },
  };
}

type Injector = ReturnType<grpc.Server['createConnectionInjector']>;

/**
 * Mutual TLS in front of the injector: each accepted socket is handed to a TLS server that never
 * listens itself; a socket whose peer presented a certificate from the CA goes on to gRPC.
 */
function handshaker(
  tls: TlsOptions,
  handshake: { readonly max: number; readonly ms: number },
  injector: Injector,
  failed: (fields: Record<string, unknown>) => void,
): (socket: Socket) => void {
  const secure = createTlsServer({
    ca: tls.ca,
    cert: tls.cert,
    key: tls.key,
    requestCert: true,
    rejectUnauthorized: true,
    ALPNProtocols: ['h2'],
    handshakeTimeout: handshake.ms,
  });
  /** Sockets still in their handshake (by peer address and port), each with its deadline. */
  const handshaking = new Map<string, { readonly raw: Socket; readonly deadline: NodeJS.Timeout; readonly sinceMs: number }>();
  const keyOf = (s: Socket | TLSSocket) => `${s.remoteAddress}|${s.remotePort}`;
  /** The handshake of `key` ended (done, failed or cut); `raw` names which, when known. */
  const done = (key: string, raw?: Socket) => {
    const entry = handshaking.get(key);
    if (entry === undefined || (raw !== undefined && entry.raw !== raw)) return;
    clearTimeout(entry.deadline);
    handshaking.delete(key);
  };
  /**
   * Make room by cutting the longest-waiting handshake, if it has waited RPC_HANDSHAKE_EVICTABLE_MS:
   * a real peer finishes in milliseconds, so silent sockets cannot keep the slots from it by
   * reconnecting every deadline. Answers whether a slot was freed.
   */
  const evictOldest = (): boolean => {
    const [key, oldest] = handshaking.entries().next().value ?? [];
    if (key === undefined || oldest === undefined || Date.now() - oldest.sinceMs < RPC_HANDSHAKE_EVICTABLE_MS) return false;
    done(key, oldest.raw);
    oldest.raw.destroy();
    return true;
  };
  secure.on('secureConnection', (socket: TLSSocket) => {
    done(keyOf(socket));
    injector.injectConnection(socket);
  });
  secure.on('tlsClientError', (e: Error, socket: TLSSocket) => {
    socket.destroy();
    failed({ error: e.message, peer: socket.remoteAddress });
  });
  return (raw) => {
    if (handshaking.size >= handshake.max && !evictOldest()) {
      raw.destroy();
      failed({ error: `more than ${handshake.max} connections in their TLS handshake`, peer: raw.remoteAddress });
      return;
    }
    const key = keyOf(raw);
    // The TLS server cuts a slow handshake itself; this deadline also frees the slot if it did not.
    const deadline = setTimeout(() => {
      done(key, raw);
      raw.destroy();
    }, handshake.ms);
    handshaking.set(key, { raw, deadline, sinceMs: Date.now() });
    raw.once('close', () => done(key, raw));
    secure.emit('connection', raw);
  };
}
