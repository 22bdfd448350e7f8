/**
 * The HTTP port every process has (NebulaGraph's `ws_http_port`): a small GET-only router over
 * node:http. Routes answer values (status, content type, body); a route that throws answers 500
 * with the message, never a stack. The port binds to the process's --local_ip, like its other
 * services; port 0 picks a free one.
 *
 * @example
 *   const http = new HttpService({ '/status': () => json({ status: 'running' }) });
 *   const port = await http.start('127.0.0.1', 0);
 *   await http.close();
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { limits } from '../../limits.ts';

export interface HttpReply {
  readonly status: number;
  readonly type: string;
  readonly body: string | Buffer;
  /** Extra headers (cache control of static files). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A route: the request's URL (path and query) in, a reply out. */
export type Route = (url: URL) => HttpReply | Promise<HttpReply>;

export type Routes = Readonly<Record<string, Route>>;

/** A request's headers must arrive within this (a slow client cannot hold a socket open). */
const HEADERS_TIMEOUT_MS = 10_000;
/** A whole request, headers and (ignored) body. */
const REQUEST_TIMEOUT_MS = 30_000;
/** At the connection cap, a socket silent this long since it connected gives its place to a new one. */
const SILENT_EVICTABLE_MS = 250;
/** How long close() lets requests in flight finish before cutting their sockets. */
const CLOSE_GRACE_MS = 1_000;

export const TEXT = 'text/plain; charset=utf-8';
export const JSON_TYPE = 'application/json; charset=utf-8';

export function text(body: string, status = 200): HttpReply {
  return { status, type: TEXT, body };
}

export function json(value: unknown, status = 200): HttpReply {
  return { status, type: JSON_TYPE, body: JSON.stringify(value) };
}

const notFound = (path: string): HttpReply => text(`not found: ${path}\n`, 404);

export class HttpService {
  private readonly server: Server;
  private boundPort = 0;
  /** Every open socket. */
  private readonly open = new Set<Socket>();
  /** Sockets that have sent no request yet, oldest first, with when they connected. */
  private readonly silent = new Map<Socket, number>();

  constructor(private readonly routes: Routes) {
    this.server = createServer((req, res) => void this.serve(req, res));
    this.server.headersTimeout = HEADERS_TIMEOUT_MS;
    this.server.requestTimeout = REQUEST_TIMEOUT_MS;
    this.server.on('connection', (socket: Socket) => this.admit(socket));
    this.server.on('request', (req: IncomingMessage) => this.silent.delete(req.socket));
  }

  /**
   * At most `limits.httpConnectionsMax` sockets at once. At the cap, a new connection takes the
   * place of the longest-silent one (connected SILENT_EVICTABLE_MS ago or more, no request yet),
   * else it is closed: silent sockets cannot pile up until the headers timeout catches them, nor
   * keep a scraper out by holding every slot.
   */
  private admit(socket: Socket): void {
    if (this.open.size >= limits.httpConnectionsMax && !this.evictSilent()) {
      socket.destroy();
      return;
    }
    this.open.add(socket);
    this.silent.set(socket, Date.now());
    socket.once('close', () => {
      this.open.delete(socket);
      this.silent.delete(socket);
    });
  }

  /** Cut the longest-silent socket if it has been silent SILENT_EVICTABLE_MS; answers whether one was. */
  private evictSilent(): boolean {
    const [oldest, sinceMs] = this.silent.entries().next().value ?? [];
    if (oldest === undefined || sinceMs === undefined || Date.now() - sinceMs < SILENT_EVICTABLE_MS) return false;
    this.open.delete(oldest);
    this.silent.delete(oldest);
    oldest.destroy();
    return true;
  }

  get port(): number {
    return this.boundPort;
  }

  /** Bind `host:port` (0 = any free port); answers the bound port. */
  async start(host: string, port: number): Promise<number> {
    this.boundPort = await new Promise<number>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
    return this.boundPort;
  }

  /** Stop accepting; requests in flight get CLOSE_GRACE_MS, then their sockets are cut. */
  async close(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const timer = setTimeout(() => this.server.closeAllConnections(), CLOSE_GRACE_MS);
    await closed;
    clearTimeout(timer);
  }

  /** Abrupt stop: every socket is cut now. */
  destroy(): void {
    if (!this.server.listening) return;
    this.server.close();
    this.server.closeAllConnections();
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let reply: HttpReply;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      reply = text(`method ${req.method ?? ''} is not allowed; use GET\n`, 405);
    } else {
      const route = Object.hasOwn(this.routes, url.pathname) ? this.routes[url.pathname] : undefined;
      try {
        reply = route === undefined ? notFound(url.pathname) : await route(url);
      } catch (cause) {
        reply = text(`error: ${(cause as Error).message}\n`, 500);
      }
    }
    res.writeHead(reply.status, { 'content-type': reply.type, 'cache-control': 'no-store', ...reply.headers });
    res.end(req.method === 'HEAD' ? undefined : reply.body);
  }
}
