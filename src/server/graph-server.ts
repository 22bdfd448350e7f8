/**
 * The graph service's listening socket: NebulaGraph's GraphService over Thrift, in whichever
 * framing and protocol each client speaks (framed binary for nebula-nodejs and old nebula-go,
 * THeader + compact for nebula-console >= 3.4).
 *
 * @example
 *   const server = new GraphServer({ host: '127.0.0.1', port: 0, handler });
 *   const { port } = await server.start();
 *   // ... clients connect to port ...
 *   await server.close();
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { limits } from '../limits.ts';
import type { GraphHandler } from './graph-handler.ts';
import { GraphConnection, type ConnectionLog } from './graph-connection.ts';

export interface GraphServerLog extends ConnectionLog {
  info(message: string, fields?: Record<string, unknown>): void;
}

export interface GraphServerOptions {
  readonly host: string;
  /** 0 picks a free port; start() answers the one chosen. */
  readonly port: number;
  readonly handler: GraphHandler;
  readonly log?: GraphServerLog;
  /** Defaults to limits.connectionsMax. */
  readonly connectionsMax?: number;
  /** Defaults to limits.frameBytesMax. */
  readonly frameBytesMax?: number;
  /** TLS on this port (--enable_graph_ssl): certificate and decrypted key; no client certificate asked. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer } | undefined;
}

/**
 * Connections beyond the cap are answered E_TOO_MANY_CONNECTIONS once, so a client learns why;
 * beyond this many more they are dropped at once, so a flood cannot hold sockets open.
 */
const REFUSED_CONNECTIONS_MAX = 64;

/** A TLS client must finish its handshake within this, or its socket is dropped. */
const TLS_HANDSHAKE_MS = 10_000;
/** Failed TLS handshakes are logged at most once per this period (with a count), not one line each. */
const TLS_FAILURE_LOG_MS = 60_000;

const SILENT_LOG: GraphServerLog = { info: () => {}, warn: () => {} };

export class GraphServer {
  private readonly server: Server;
  private readonly connections = new Set<GraphConnection>();
  /** Connections over the cap, answered E_TOO_MANY_CONNECTIONS and then ended. */
  private readonly refused = new Set<GraphConnection>();
  private readonly log: GraphServerLog;
  private readonly connectionsMax: number;
  private readonly frameBytesMax: number;

  constructor(private readonly opts: GraphServerOptions) {
    this.log = opts.log ?? SILENT_LOG;
    this.connectionsMax = opts.connectionsMax ?? limits.connectionsMax;
    this.frameBytesMax = opts.frameBytesMax ?? limits.frameBytesMax;
    this.server = opts.tls === undefined ? createServer((socket) => this.accept(socket)) : this.tlsServer(opts.tls);
  }

  /** Open graph connections (refused ones excluded). */
  get connectionCount(): number {
    return this.connections.size;
  }

  start(): Promise<{ port: number }> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error): void => reject(e);
      this.server.once('error', onError);
      this.server.listen(this.opts.port, this.opts.host, () => {
        this.server.off('error', onError);
        this.server.on('error', (e) => this.log.warn('graph server error', { error: String(e) }));
        const address = this.server.address();
        const port = typeof address === 'object' && address !== null ? address.port : this.opts.port;
        this.log.info('graph service listening', { host: this.opts.host, port });
        resolve({ port });
      });
    });
  }

  /** Stops accepting, answers the calls already received, then ends every connection. */
  async close(): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.all([...this.connections, ...this.refused].map((c) => c.end()));
    await stopped;
  }

  /** Stops accepting and drops every connection at once. */
  destroy(): void {
    this.server.close();
    for (const c of [...this.connections, ...this.refused]) c.destroy();
    this.connections.clear();
    this.refused.clear();
  }

  private accept(socket: Socket): void {
    if (this.connections.size >= this.connectionsMax) {
      if (this.refused.size >= REFUSED_CONNECTIONS_MAX) {
        socket.destroy();
        return;
      }
      this.log.warn('graph connection over the cap', { connectionsMax: this.connectionsMax });
      const refused = new GraphConnection(socket, { ...this.connectionOptions(), refuse: true });
      this.refused.add(refused);
      socket.on('close', () => this.refused.delete(refused));
      return;
    }
    const conn = new GraphConnection(socket, this.connectionOptions());
    this.connections.add(conn);
    socket.on('close', () => this.connections.delete(conn));
  }

  /**
   * Connections start once the TLS handshake is done; framing detection then runs on the decrypted
   * bytes as on a plain socket. A failed handshake (a plaintext client, a bad hello) only drops
   * that connection.
   */
  private tlsServer(tls: { readonly cert: Buffer; readonly key: Buffer }): Server {
    const options = { cert: tls.cert, key: tls.key, requestCert: false, handshakeTimeout: TLS_HANDSHAKE_MS };
    const server = createTlsServer(options, (socket) => this.accept(socket));
    let loggedAt = -Infinity;
    let unlogged = 0;
    server.on('tlsClientError', (e, socket) => {
      socket.destroy();
      unlogged++;
      if (Date.now() - loggedAt < TLS_FAILURE_LOG_MS) return;
      this.log.warn('graph TLS handshake failed (a plaintext client on a TLS port?)', { error: e.message, peer: socket.remoteAddress, failures: unlogged });
      loggedAt = Date.now();
      unlogged = 0;
    });
    return server;
  }

  private connectionOptions(): { handler: GraphHandler; frameBytesMax: number; log: ConnectionLog } {
    return { handler: this.opts.handler, frameBytesMax: this.frameBytesMax, log: this.log };
  }
}
