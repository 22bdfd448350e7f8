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
 *
 * Connection accounting (who may hold a socket): up to `connectionsMax` connections of anyone. When
 * they are all taken, a new connection first replaces the oldest one that has been open for
 * `HANDSHAKE_EVICTABLE_AFTER_MS` without authenticating (real clients authenticate at once; idle
 * sockets are what is left), so silent sockets cannot keep a real client out. Failing that, it
 * goes to root's reserve of `rootConnectionsReserved` more connections, where only an authenticate
 * as root is heard (root can always get in, which is what the reserve is for; anyone else is told
 * E_TOO_MANY_CONNECTIONS and hung up on). Only when the reserve is full too is the connection
 * refused. Every connection that has not authenticated is closed `handshakeMs` after accept, so
 * whatever a flood of idle sockets takes, it holds only briefly.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { limits } from '../limits.ts';
import { throttledWarn, throttledWarnings } from '../log.ts';
import type { GraphHandler } from './graph-handler.ts';
import { GraphConnection, type ConnectionLog } from './graph-connection.ts';
import { CLIENT_IDLE_MS_DEFAULT, HANDSHAKE_TIMEOUT_MS_DEFAULT } from './session-limits.ts';

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
  /** Defaults to limits.rootConnectionsReserved. */
  readonly rootConnectionsReserved?: number;
  /** Time to authenticate after accept; defaults to HANDSHAKE_TIMEOUT_MS_DEFAULT. */
  readonly handshakeMs?: number;
  /** Quiet time before a connection is closed; defaults to CLIENT_IDLE_MS_DEFAULT. */
  readonly idleMs?: number;
  /** TLS on this port (--enable_graph_ssl): certificate and decrypted key; no client certificate asked. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer } | undefined;
}

/** A connection that has not authenticated this long after accept may be replaced by a new one. */
export const HANDSHAKE_EVICTABLE_AFTER_MS = 1000;

/**
 * Connections beyond the cap are answered E_TOO_MANY_CONNECTIONS once, so a client learns why;
 * beyond this many more they are dropped at once, so a flood cannot hold sockets open.
 */
const REFUSED_CONNECTIONS_MAX = 64;

/** A TLS client must finish its handshake within this, or its socket is dropped. */
const TLS_HANDSHAKE_MS = 10_000;
/** Each warning about a connection is logged at most once per this period (with a count), not one line each. */
const CONNECTION_WARN_MS = 10_000;
/** Failed TLS handshakes are logged at most once per this period (with a count), not one line each. */
const TLS_FAILURE_LOG_MS = 60_000;

const SILENT_LOG: GraphServerLog = { info: () => {}, warn: () => {} };

export class GraphServer {
  private readonly server: Server;
  private readonly connections = new Set<GraphConnection>();
  /** Root's reserve beyond the cap: only root may authenticate there. */
  private readonly reserve = new Set<GraphConnection>();
  /** Connections over the cap and the reserve, answered E_TOO_MANY_CONNECTIONS and then ended. */
  private readonly refused = new Set<GraphConnection>();
  private readonly acceptedAtMs = new WeakMap<GraphConnection, number>();
  private readonly log: GraphServerLog;
  /** Warnings a stranger can provoke once per connection (over the cap, a protocol violation), throttled. */
  private readonly connectionLog: ConnectionLog;
  private readonly connectionsMax: number;
  private readonly frameBytesMax: number;

  constructor(private readonly opts: GraphServerOptions) {
    this.log = opts.log ?? SILENT_LOG;
    this.connectionLog = throttledWarnings(this.log, CONNECTION_WARN_MS);
    this.connectionsMax = opts.connectionsMax ?? limits.connectionsMax;
    this.frameBytesMax = opts.frameBytesMax ?? limits.frameBytesMax;
    this.server = opts.tls === undefined ? createServer((socket) => this.accept(socket)) : this.tlsServer(opts.tls);
  }

  /** Open graph connections, root's reserve included (refused ones excluded). */
  get connectionCount(): number {
    return this.connections.size + this.reserve.size;
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
    await Promise.all([...this.connections, ...this.reserve, ...this.refused].map((c) => c.end()));
    await stopped;
  }

  /** Stops accepting and drops every connection at once. */
  destroy(): void {
    this.server.close();
    for (const c of [...this.connections, ...this.reserve, ...this.refused]) c.destroy();
    this.connections.clear();
    this.reserve.clear();
    this.refused.clear();
  }

  private accept(socket: Socket): void {
    if (this.connections.size >= this.connectionsMax) this.evictSilentOne(this.connections);
    if (this.connections.size < this.connectionsMax) {
      this.admit(this.connections, socket, {});
      return;
    }
    const reserved = this.opts.rootConnectionsReserved ?? limits.rootConnectionsReserved;
    if (this.reserve.size >= reserved) this.evictSilentOne(this.reserve);
    if (this.reserve.size < reserved) {
      this.admit(this.reserve, socket, { rootOnly: true });
      return;
    }
    if (this.refused.size >= REFUSED_CONNECTIONS_MAX) {
      socket.destroy();
      return;
    }
    this.connectionLog.warn('graph connection over the cap', { connectionsMax: this.connectionsMax });
    this.admit(this.refused, socket, { refuse: true });
  }

  /**
   * Connections start once the TLS handshake is done; framing detection then runs on the decrypted
   * bytes as on a plain socket. A failed handshake (a plaintext client, a bad hello) only drops
   * that connection.
   */
  private tlsServer(tls: { readonly cert: Buffer; readonly key: Buffer }): Server {
    const options = { cert: tls.cert, key: tls.key, requestCert: false, handshakeTimeout: TLS_HANDSHAKE_MS };
    const server = createTlsServer(options, (socket) => this.accept(socket));
    const failed = throttledWarn(this.log, 'graph TLS handshake failed (a plaintext client on a TLS port?)', TLS_FAILURE_LOG_MS);
    server.on('tlsClientError', (e, socket) => {
      socket.destroy();
      failed({ error: e.message, peer: socket.remoteAddress });
    });
    return server;
  }

  private admit(pool: Set<GraphConnection>, socket: Socket, mode: { rootOnly?: boolean; refuse?: boolean }): void {
    const conn = new GraphConnection(socket, {
      handler: this.opts.handler,
      frameBytesMax: this.frameBytesMax,
      log: this.connectionLog,
      handshakeMs: this.opts.handshakeMs ?? HANDSHAKE_TIMEOUT_MS_DEFAULT,
      idleMs: this.opts.idleMs ?? CLIENT_IDLE_MS_DEFAULT,
      ...mode,
    });
    pool.add(conn);
    this.acceptedAtMs.set(conn, Date.now());
    socket.on('close', () => pool.delete(conn));
  }

  /** Closes the oldest connection of `pool` that is past HANDSHAKE_EVICTABLE_AFTER_MS without authenticating. */
  private evictSilentOne(pool: Set<GraphConnection>): void {
    const oldestAllowedMs = Date.now() - HANDSHAKE_EVICTABLE_AFTER_MS;
    for (const conn of pool) {
      // Signed in, or waiting for its answer (an authenticate queued for hashing): not silent.
      if (conn.authenticated || conn.busy) continue;
      // Insertion order is accept order: once one is too young, all later ones are too.
      if ((this.acceptedAtMs.get(conn) ?? 0) > oldestAllowedMs) return;
      pool.delete(conn);
      conn.destroy();
      return;
    }
  }
}
