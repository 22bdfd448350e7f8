/**
 * One client connection to the graph service: cuts frames out of the byte stream, decides the
 * wire format from the first frame, and answers pipelined calls strictly in arrival order.
 *
 * Bounds: a frame over the cap, a malformed frame, or a change of framing mid-connection closes
 * this connection only. At most `PIPELINE_DEPTH_MAX` calls wait; beyond that the socket is paused
 * so that a client that never reads cannot grow our memory. A reply that does not fit in the
 * socket's buffer is waited for ('drain') before the next call runs.
 *
 * Time bounds: a connection that has not authenticated `handshakeMs` after it was accepted is
 * closed, however busy it keeps itself (so idle or trickling sockets cannot hold the connection
 * slots for long); any connection with no request for `idleMs` and nothing in flight is closed
 * (NebulaGraph's client_idle_timeout_secs). Both closes are silent: a flood of them must not flood
 * the log.
 */
import type { Socket } from 'node:net';
import type { GraphHandler, Peer } from './graph-handler.ts';
import { dispatch, internalErrorReply } from './graph-dispatch.ts';
import { FrameAssembler } from './thrift/frame-assembler.ts';
import { ThriftDecodeError } from './thrift/thrift-types.ts';
import { GraphMethod } from './thrift/graph-requests.ts';
import { openMessage, type IncomingMessage } from './thrift/wire-envelope.ts';

/** Calls received but not yet answered before the socket stops being read. */
const PIPELINE_DEPTH_MAX = 64;
/** How long a gracefully ended connection waits for the peer to close its side. */
const END_GRACE_MS = 5000;

export interface ConnectionLog {
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface GraphConnectionOptions {
  readonly handler: GraphHandler;
  readonly frameBytesMax: number;
  readonly log: ConnectionLog;
  /** Over the connection cap: answer every call with E_TOO_MANY_CONNECTIONS, then hang up. */
  readonly refuse?: boolean;
  /** In root's reserve: an authenticate as anyone but root is refused, then the connection ends. */
  readonly rootOnly?: boolean;
  /** Milliseconds from accept to a successful authenticate before the connection is closed. */
  readonly handshakeMs?: number;
  /** Milliseconds without a request (and nothing in flight) before the connection is closed. */
  readonly idleMs?: number;
}

export class GraphConnection {
  private readonly assembler: FrameAssembler;
  private framing: 'framed' | 'header' | undefined;
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private closed = false;
  /** Set by end(): no more reading, even when the pipeline drains. */
  private ending = false;
  private signedIn = false;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private readonly peerInfo: Peer;

  constructor(
    readonly socket: Socket,
    private readonly opts: GraphConnectionOptions,
  ) {
    this.assembler = new FrameAssembler(opts.frameBytesMax);
    this.peerInfo = { ip: clientIp(socket.remoteAddress) };
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.markClosed());
    socket.on('close', () => this.markClosed());
    if (opts.handshakeMs !== undefined) {
      this.handshakeTimer = setTimeout(() => {
        if (!this.signedIn) this.destroy();
      }, opts.handshakeMs).unref();
    }
    if (opts.idleMs !== undefined) {
      const idleMs = opts.idleMs;
      socket.setTimeout(idleMs);
      socket.on('timeout', () => {
        // A long statement in flight is not idleness: wait for another quiet period.
        if (this.pending > 0) socket.setTimeout(idleMs);
        else this.destroy();
      });
    }
  }

  /** Whether a call is being answered. */
  get busy(): boolean {
    return this.pending > 0;
  }

  /** Whether an authenticate has succeeded on this connection. */
  get authenticated(): boolean {
    return this.signedIn;
  }

  /** Resolves when every call received so far has been answered. */
  idle(): Promise<void> {
    return this.chain;
  }

  /** Abrupt close: used on protocol violations and by GraphServer.destroy(). */
  destroy(reason?: string): void {
    if (reason !== undefined && !this.closed) this.opts.log.warn('closing graph connection', { reason, peer: this.peer() });
    this.markClosed();
    this.socket.destroy();
  }

  /** Graceful close: answer what has arrived, then end the socket. */
  async end(): Promise<void> {
    this.ending = true;
    this.socket.pause();
    await this.chain;
    this.markClosed();
    this.socket.end();
    // Keep reading (and ignoring) so that the peer's FIN is seen and the socket can close; a peer
    // that never closes its side is dropped after a grace period.
    this.socket.resume();
    setTimeout(() => this.socket.destroy(), END_GRACE_MS).unref();
  }

  private markClosed(): void {
    this.closed = true;
    clearTimeout(this.handshakeTimer);
  }

  private markAuthenticated(): void {
    this.signedIn = true;
    clearTimeout(this.handshakeTimer);
  }

  private peer(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  private onData(chunk: Buffer): void {
    if (this.closed || this.ending) return;
    let frames: Buffer[];
    try {
      frames = this.assembler.push(chunk);
    } catch (e) {
      this.destroy((e as Error).message);
      return;
    }
    for (const f of frames) this.enqueue(f);
  }

  private enqueue(frame: Buffer): void {
    this.pending++;
    if (this.pending >= PIPELINE_DEPTH_MAX) this.socket.pause();
    this.chain = this.chain.then(() => this.process(frame));
  }

  private async process(frame: Buffer): Promise<void> {
    try {
      if (this.closed) return;
      let incoming: IncomingMessage | undefined;
      let reply: Buffer | undefined;
      try {
        incoming = openMessage(frame);
        if (this.framing === undefined) this.framing = incoming.format.framing;
        else if (this.framing !== incoming.format.framing) throw new ThriftDecodeError('framing changed mid-connection');
        reply = await this.call(incoming);
      } catch (e) {
        // Whatever went wrong belongs to this connection alone: drop it, never the server.
        const what = e instanceof ThriftDecodeError ? 'malformed request' : 'unexpected failure';
        this.destroy(`${what}: ${(e as Error).message}`);
        return;
      }
      if (reply !== undefined && !this.closed) await this.write(reply);
      const refusedRoot = this.opts.rootOnly && !this.signedIn && incoming?.message.name === GraphMethod.authenticate;
      if ((this.opts.refuse || refusedRoot) && !this.closed) void this.end();
    } finally {
      this.pending--;
      if (this.pending < PIPELINE_DEPTH_MAX && !this.closed && !this.ending) this.socket.resume();
    }
  }

  /** Runs one call; a handler failure (a bug) answers an internal error instead of killing the server. */
  private async call(incoming: IncomingMessage): Promise<Buffer | undefined> {
    try {
      return await dispatch(incoming, this.opts.handler, {
        refuse: this.opts.refuse,
        rootOnly: this.opts.rootOnly,
        peer: this.peerInfo,
        onAuthenticated: () => this.markAuthenticated(),
      });
    } catch (e) {
      if (e instanceof ThriftDecodeError) throw e;
      this.opts.log.warn('graph handler failed', { method: incoming.message.name, error: String(e) });
      return internalErrorReply(incoming, incoming.message.name);
    }
  }

  private write(reply: Buffer): Promise<void> {
    if (this.socket.write(reply)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }
}

/** The client's IP as NebulaGraph reports it: IPv4-mapped IPv6 ("::ffff:10.0.0.1") as plain IPv4. */
export function clientIp(remoteAddress: string | undefined): string {
  if (remoteAddress === undefined) return '?';
  return remoteAddress.startsWith('::ffff:') && remoteAddress.includes('.') ? remoteAddress.slice(7) : remoteAddress;
}
