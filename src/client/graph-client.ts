/**
 * Our own client of the graph service: framed transport, binary protocol, one call in flight at a
 * time (later calls queue). Used by the console, tests, benchmarks and the playground.
 *
 * Statement failures are values (`ExecutionResponse.errorCode`, `AuthResult.ok === false`);
 * transport failures (refused connection, timeout, peer hang-up, garbage reply) reject with a
 * `GraphClientError` and leave the client closed. With `tls` it speaks TLS (a graph port started
 * with --enable_graph_ssl), checking the server's certificate against `tls.ca` or the system CAs;
 * a TLS client on a plaintext port, or the other way round, fails with a message that says so.
 *
 * @example
 *   const client = await GraphClient.connect({ host: '127.0.0.1', port: 9669, timeoutMs: 10_000 });
 *   const auth = await client.authenticate('root', 'nebula');
 *   const resp = await client.execute('SHOW SPACES');
 *   await client.close();
 */
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { AuthResult, ExecutionResponse } from '../server/graph-handler.ts';
import type { NgError, ErrorCodeValue } from '../errors.ts';
import type { Value } from '../value/types.ts';
import { FrameAssembler } from '../server/thrift/frame-assembler.ts';
import {
  GraphMethod,
  writeAuthenticateArgs,
  writeExecuteArgs,
  writeSignoutArgs,
  writeVerifyClientVersionArgs,
} from '../server/thrift/graph-requests.ts';
import {
  readAppException,
  readAuthResponse,
  readExecutionResponse,
  readResult,
  readVerifyClientVersionResp,
} from '../server/thrift/graph-responses.ts';
import { MessageType, TType, type TReader, type TWriter } from '../server/thrift/thrift-types.ts';
import { encodeMessage, FRAMED_BINARY, openMessage } from '../server/thrift/wire-envelope.ts';

/** Largest reply accepted: a big result set is legitimately far larger than a request. */
const REPLY_BYTES_MAX = 512 * 1024 * 1024;
/** The version string nebula clients send; the server accepts it. */
export const CLIENT_VERSION = '3.0.0';

/** Where and how `GraphClient.connect` connects. */
export interface GraphClientOptions {
  readonly host: string;
  readonly port: number;
  /** Bound on connecting and on each call; 0 or absent waits forever. */
  readonly timeoutMs?: number;
  /** Connect with TLS; `ca` (PEM) is the CA to trust, else the system's. Absent: plaintext. */
  readonly tls?: { readonly ca?: Buffer | string | undefined } | undefined;
}

/** What a plaintext client says when the server turns out to speak TLS, and the other way round. */
const TLS_PORT_HINT = 'if the graph port uses TLS, connect with TLS (nebula-sync console --enable_ssl)';
const PLAIN_PORT_HINT = 'is the graph port plaintext? connect without TLS (no --enable_ssl)';

/** A TLS record's first bytes: handshake (22) or alert (21), then major version 3. */
function looksLikeTls(chunk: Buffer): boolean {
  return chunk.length >= 2 && (chunk[0] === 0x15 || chunk[0] === 0x16) && chunk[1] === 0x03;
}

/**
 * A transport failure of a `GraphClient` call (the connection is then closed); statement errors are values instead.
 *
 * @example
 *   await GraphClient.connect({ host: '127.0.0.1', port: 1 }).catch((e) => e instanceof GraphClientError && e.code); // 'CONNECT'
 */
export class GraphClientError extends Error {
  override readonly name = 'GraphClientError';
  constructor(
    message: string,
    readonly code: 'CONNECT' | 'TIMEOUT' | 'CLOSED' | 'PROTOCOL' | 'REMOTE',
  ) {
    super(message);
  }
}

interface Waiter {
  resolve(frame: Buffer): void;
  reject(e: Error): void;
}

/**
 * A client of the graph service (ours, or any NebulaGraph 3.x graphd): framed transport, binary
 * protocol, one call in flight at a time (later calls queue).
 *
 * @example
 *   const client = await GraphClient.connect({ host: '127.0.0.1', port: 9669, timeoutMs: 10_000 });
 *   const auth = await client.authenticate('root', 'nebula');
 *   const resp = await client.execute('SHOW SPACES'); // resp.errorCode, resp.data
 *   await client.close();
 */
export class GraphClient {
  private readonly assembler = new FrameAssembler(REPLY_BYTES_MAX);
  private tail: Promise<unknown> = Promise.resolve();
  private waiter: Waiter | undefined;
  private seqid = 0;
  private failure: GraphClientError | undefined;
  private session: bigint | undefined;
  private space = '';
  /** Whether any byte came back yet: a close before that may be a TLS port refusing plaintext. */
  private heard = false;

  private constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
    private readonly tls: boolean,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.fail(new GraphClientError(`connection error: ${e.message}`, 'CLOSED')));
    socket.on('close', () => {
      const hint = !this.heard && !this.tls ? ` before any reply; ${TLS_PORT_HINT}` : '';
      this.fail(new GraphClientError(`connection closed by the server${hint}`, 'CLOSED'));
    });
  }

  static connect(opts: GraphClientOptions): Promise<GraphClient> {
    return new Promise((resolve, reject) => {
      const tls = opts.tls !== undefined;
      // SNI carries host names only; an IP is still checked against the certificate's IP SANs.
      const socket = tls
        ? tlsConnect({ host: opts.host, port: opts.port, ca: opts.tls?.ca, ...(isIP(opts.host) ? {} : { servername: opts.host }) })
        : netConnect({ host: opts.host, port: opts.port });
      const ready = tls ? 'secureConnect' : 'connect';
      const timeoutMs = opts.timeoutMs ?? 0;
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              socket.destroy();
              reject(new GraphClientError(`connect to ${opts.host}:${opts.port} timed out`, 'TIMEOUT'));
            }, timeoutMs)
          : undefined;
      socket.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        socket.destroy();
        const how = tls ? ' over TLS' : '';
        const refused = e.code === 'ECONNREFUSED' || e.code === 'EHOSTUNREACH';
        const hint = tls && !refused ? ` (${/certificate|verify|self.signed/i.test(e.message) ? "the server's certificate is not trusted: give its CA (--ssl_root_ca_path)" : PLAIN_PORT_HINT})` : '';
        reject(new GraphClientError(`cannot connect to ${opts.host}:${opts.port}${how}: ${e.message}${hint}`, 'CONNECT'));
      });
      socket.once(ready, () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new GraphClient(socket, timeoutMs, tls));
      });
    });
  }

  /** The session from the last successful authenticate, if any. */
  get sessionId(): bigint | undefined {
    return this.session;
  }

  /** The current space as the server last reported it ("" when none). */
  get spaceName(): string {
    return this.space;
  }

  async verifyClientVersion(version = CLIENT_VERSION): Promise<{ ok: true } | { ok: false; error: NgError }> {
    const resp = await this.call(GraphMethod.verifyClientVersion, (w) => writeVerifyClientVersionArgs(w, version), (r) =>
      readResult(r, TType.STRUCT, readVerifyClientVersionResp),
    );
    if (resp.errorCode === 0) return { ok: true };
    return { ok: false, error: { code: resp.errorCode as ErrorCodeValue, message: resp.errorMsg ?? '' } };
  }

  async authenticate(user: string, password: string): Promise<AuthResult> {
    const resp = await this.call(
      GraphMethod.authenticate,
      (w) => writeAuthenticateArgs(w, { username: user, password }),
      (r) => readResult(r, TType.STRUCT, readAuthResponse),
    );
    if (resp.errorCode !== 0 || resp.sessionId === undefined) {
      return { ok: false, error: { code: resp.errorCode as ErrorCodeValue, message: resp.errorMsg ?? '' } };
    }
    this.session = resp.sessionId;
    return {
      ok: true,
      sessionId: resp.sessionId,
      timeZoneOffsetSeconds: resp.timeZoneOffsetSeconds ?? 0,
      timeZoneName: resp.timeZoneName ?? '',
    };
  }

  async execute(stmt: string, params?: ReadonlyMap<string, Value>): Promise<ExecutionResponse> {
    const method = params === undefined ? GraphMethod.execute : GraphMethod.executeWithParameter;
    const sessionId = this.session ?? 0n;
    const resp = await this.call(
      method,
      (w) => writeExecuteArgs(w, params === undefined ? { sessionId, stmt } : { sessionId, stmt, params }),
      (r) => readResult(r, TType.STRUCT, readExecutionResponse),
    );
    this.space = resp.spaceName;
    return resp;
  }

  /** The JSON body of executeJson, as text. */
  executeJson(stmt: string): Promise<string> {
    const sessionId = this.session ?? 0n;
    return this.call(
      GraphMethod.executeJson,
      (w) => writeExecuteArgs(w, { sessionId, stmt }),
      (r) => readResult(r, TType.STRING, (rr) => rr.readString()),
    );
  }

  /** Ends the session (oneway: nothing comes back). */
  signout(): Promise<void> {
    const sessionId = this.session;
    if (sessionId === undefined) return Promise.resolve();
    this.session = undefined;
    return this.enqueue(async () => {
      this.throwIfFailed();
      const seqid = this.nextSeqid();
      this.socket.write(
        encodeMessage(FRAMED_BINARY, GraphMethod.signout, MessageType.ONEWAY, seqid, (w) => writeSignoutArgs(w, sessionId)),
      );
    });
  }

  /** Signs out if signed in, then closes the connection. Never rejects. */
  async close(): Promise<void> {
    if (this.failure === undefined) await this.signout().catch(() => undefined);
    await this.tail.catch(() => undefined);
    // Not fail(): that destroys the socket and would drop the signout still being written.
    if (this.failure === undefined) this.failure = new GraphClientError('client closed', 'CLOSED');
    await new Promise<void>((resolve) => {
      if (this.socket.destroyed) resolve();
      else this.socket.end(resolve);
    });
  }

  private enqueue<T>(run: () => Promise<T>): Promise<T> {
    const next = this.tail.then(run, run);
    this.tail = next.catch(() => undefined);
    return next;
  }

  private nextSeqid(): number {
    this.seqid = (this.seqid + 1) | 0;
    return this.seqid;
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  private call<T>(method: string, writeArgs: (w: TWriter) => void, readReply: (r: TReader) => T | undefined): Promise<T> {
    return this.enqueue(async () => {
      this.throwIfFailed();
      const seqid = this.nextSeqid();
      const frame = await this.roundTrip(encodeMessage(FRAMED_BINARY, method, MessageType.CALL, seqid, writeArgs));
      let out: T | undefined;
      try {
        const { message, reader } = openMessage(frame);
        if (message.type === MessageType.EXCEPTION) {
          const ex = readAppException(reader);
          throw new GraphClientError(`${method} failed on the server: ${ex.message}`, 'REMOTE');
        }
        if (message.seqid !== seqid || message.name !== method) {
          throw new GraphClientError(`reply ${message.name}#${message.seqid} does not match ${method}#${seqid}`, 'PROTOCOL');
        }
        out = readReply(reader);
      } catch (e) {
        if (e instanceof GraphClientError && e.code === 'REMOTE') throw e;
        const err = e instanceof GraphClientError ? e : new GraphClientError(`bad reply: ${(e as Error).message}`, 'PROTOCOL');
        this.fail(err);
        throw err;
      }
      if (out === undefined) throw new GraphClientError(`${method} reply carries no result`, 'PROTOCOL');
      return out;
    });
  }

  private roundTrip(request: Buffer): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      const timer =
        this.timeoutMs > 0
          ? setTimeout(() => this.fail(new GraphClientError(`no reply within ${this.timeoutMs} ms`, 'TIMEOUT')), this.timeoutMs)
          : undefined;
      this.waiter = {
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.socket.write(request);
    });
  }

  private onData(chunk: Buffer): void {
    if (!this.heard && !this.tls && looksLikeTls(chunk)) {
      this.fail(new GraphClientError('the server answered in TLS: its graph port uses TLS, connect with TLS (nebula-sync console --enable_ssl)', 'PROTOCOL'));
      return;
    }
    this.heard = true;
    let frames: Buffer[];
    try {
      frames = this.assembler.push(chunk);
    } catch (e) {
      this.fail(new GraphClientError((e as Error).message, 'PROTOCOL'));
      return;
    }
    for (const f of frames) {
      const waiter = this.waiter;
      if (waiter === undefined) {
        this.fail(new GraphClientError('unsolicited reply from the server', 'PROTOCOL'));
        return;
      }
      this.waiter = undefined;
      waiter.resolve(f);
    }
  }

  /** Marks the client failed, rejects the call in flight, and drops the connection. */
  private fail(e: GraphClientError): void {
    if (this.failure === undefined) this.failure = e;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(this.failure);
    if (!this.socket.destroyed) this.socket.destroy();
  }
}
