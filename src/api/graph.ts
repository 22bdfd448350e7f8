/**
 * The graph protocol (NebulaGraph's GraphService over Thrift) for programs that serve it or call
 * it: `serveGraph` puts any `GraphHandler` on a port that the real clients speak to (framed
 * binary for nebula-nodejs and nebula-go, THeader + compact for nebula-console >= 3.4), and
 * `executionResponse` turns an engine's answer into what that port sends. The client side is
 * `GraphClient` (src/client/graph-client.ts), exported as it is.
 */
import type { Result } from '../errors.ts';
import { ErrorCode } from '../errors.ts';
import { GraphServer } from '../server/graph-server.ts';
import type { ExecutionResponse, GraphHandler } from '../server/graph-handler.ts';
import type { Logger } from '../log.ts';
import type { DataSet } from '../value/types.ts';

/** What `serveGraph` serves and where. */
export interface GraphServiceOptions {
  /** What answers the calls: authenticate, execute, signout, verifyClientVersion. */
  readonly handler: GraphHandler;
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** TLS on this port (server certificate and decrypted key, PEM); plaintext when absent. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  /** Connection-level log lines (over the cap, bad frames), each kind at most once per 10 s with a count; silent by default. */
  readonly log?: Logger;
}

/** A listening graph port. */
export interface GraphService {
  readonly port: number;
  /** Stops accepting, answers the calls already received, then ends every connection. */
  close(): Promise<void>;
  /** Stops accepting and drops every connection at once. */
  destroy(): void;
}

/**
 * Serves NebulaGraph's graph protocol on a port, answering with `options.handler`. The cluster's
 * own graph port is this server; bounds on connections, frames, handshake and idle time apply.
 *
 * @example
 * ```ts
 * const service = await serveGraph({
 *   port: 9669,
 *   handler: {
 *     authenticate: async () => ({ ok: true, sessionId: 1n, timeZoneOffsetSeconds: 0, timeZoneName: 'UTC' }),
 *     signout: () => {},
 *     execute: async () => executionResponse({ ok: true, value: { columns: ['hello'], rows: [['world']] } }, { spaceName: '' }),
 *     verifyClientVersion,
 *   },
 * });
 * // nebula-console -addr 127.0.0.1 -port 9669 -u root -p x
 * await service.close();
 * ```
 */
export async function serveGraph(options: GraphServiceOptions): Promise<GraphService> {
  const server = new GraphServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    handler: options.handler,
    tls: options.tls,
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  const { port } = await server.start();
  return { port, close: () => server.close(), destroy: () => server.destroy() };
}

/**
 * The graph-protocol reply for an engine's answer: the table, or the error's code and message as
 * NebulaGraph sends them; `spaceName` is the session's space after the statement.
 *
 * @example
 * ```ts
 * const result = await engine.execute(session, 'SHOW SYNC STATUS');
 * return executionResponse(result, { spaceName: session.space ?? '', latencyUs: 120 });
 * // { errorCode: 0, latencyUs: 120, spaceName: 'basketballplayer', data: { columns: ['PartId', ...], rows: [...] } }
 * ```
 */
export function executionResponse(
  result: Result<DataSet | undefined>,
  at: { readonly spaceName: string; readonly latencyUs?: number },
): ExecutionResponse {
  const latencyUs = Math.max(0, Math.round(at.latencyUs ?? 0));
  if (!result.ok) return { errorCode: result.error.code, latencyUs, spaceName: at.spaceName, errorMsg: result.error.message };
  return {
    errorCode: ErrorCode.SUCCEEDED,
    latencyUs,
    spaceName: at.spaceName,
    ...(result.value === undefined ? {} : { data: result.value }),
  };
}
