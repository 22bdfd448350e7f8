/**
 * Small helpers around @grpc/grpc-js clients: promised unary calls with a deadline, the
 * many-partition streams' opening, and "ip:port" parsing. Every wait is bounded (deadline) so a
 * dead peer never hangs a loop.
 */
import * as grpc from '@grpc/grpc-js';

/** Default deadline of a unary call. */
export const UNARY_DEADLINE_MS = 5_000;

/** Call `method` on `client` with `request`; rejects on error or after `deadlineMs`. */
export function unary<Res>(client: grpc.Client, method: string, request: object, deadlineMs = UNARY_DEADLINE_MS): Promise<Res> {
  return new Promise((resolve, reject) => {
    const fn = (client as unknown as Record<string, Function>)[method];
    if (typeof fn !== 'function') {
      reject(new Error(`no RPC method ${method}`));
      return;
    }
    fn.call(client, request, { deadline: Date.now() + deadlineMs }, (error: grpc.ServiceError | null, reply: Res) =>
      error ? reject(error) : resolve(reply),
    );
  });
}

/**
 * Open the bidirectional stream `method` on `client` (ApplyDataMany, ShipMany): `onData` gets each
 * message; `onFail` the stream's error, or its end as an Error saying `endedBy`, with `legacy` true
 * when the peer does not know the method (UNIMPLEMENTED: an older version, use the one-partition
 * calls there).
 */
export function openManyCall<Req, Res>(
  client: grpc.Client,
  method: string,
  endedBy: string,
  onData: (msg: Res) => void,
  onFail: (err: Error, legacy: boolean) => void,
): grpc.ClientDuplexStream<Req, Res> {
  const open = (client as unknown as Record<string, () => grpc.ClientDuplexStream<Req, Res>>)[method]!;
  const call = open.call(client);
  call.on('data', onData);
  call.on('error', (err: grpc.ServiceError) => onFail(err, err.code === grpc.status.UNIMPLEMENTED));
  call.on('end', () => onFail(new Error(endedBy), false));
  return call;
}

/** "ip:port" -> {host, port}; undefined when malformed. */
export function splitAddr(addr: string): { host: string; port: number } | undefined {
  const m = /^(.+):(\d{1,5})$/.exec(addr.trim());
  if (m === null) return undefined;
  const port = Number(m[2]);
  return port >= 1 && port <= 65535 ? { host: m[1]!, port } : undefined;
}

/** Sleep that an AbortSignal cuts short (resolves either way). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Exponential backoff with a cap: attempt 0 -> baseMs, doubling up to maxMs. */
export function backoffMs(attempt: number, baseMs = 50, maxMs = 2_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 16));
}
