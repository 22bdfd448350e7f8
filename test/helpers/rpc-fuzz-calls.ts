/**
 * Sending fuzz to gRPC services without ever throwing: a unary call, a server stream read for a
 * moment, a duplex stream written and read until it ends, each bounded in time; and a pool that
 * sends many at once. What the server answers does not matter to the fuzz test, only what it does.
 */
import type * as grpc from '@grpc/grpc-js';

type AnyFn = (...args: unknown[]) => unknown;
const method = (client: grpc.Client, name: string): AnyFn => (client as unknown as Record<string, AnyFn>)[name]!.bind(client);

/** A unary call; answers 'ok' or 'error' (a serialize error on our side counts as an error). */
export function unaryCall(client: grpc.Client, name: string, request: object, deadlineMs = 5_000): Promise<'ok' | 'error'> {
  return new Promise((resolve) => {
    try {
      method(client, name)(request, { deadline: Date.now() + deadlineMs }, (error: Error | null) => resolve(error === null ? 'ok' : 'error'));
    } catch {
      resolve('error');
    }
  });
}

/** A server stream read for at most `readMs` (or `messagesMax` messages), then cancelled. */
export function serverStreamCall(client: grpc.Client, name: string, request: object, readMs = 150, messagesMax = 3): Promise<number> {
  return new Promise((resolve) => {
    let stream: grpc.ClientReadableStream<unknown>;
    try {
      stream = method(client, name)(request) as grpc.ClientReadableStream<unknown>;
    } catch {
      return resolve(0);
    }
    let count = 0;
    const done = () => {
      clearTimeout(timer);
      stream.cancel();
      resolve(count);
    };
    const timer = setTimeout(done, readMs);
    stream.on('data', () => {
      count += 1;
      if (count >= messagesMax) done();
    });
    stream.on('error', done);
    stream.on('end', done);
  });
}

/** A duplex stream: write `messages`, end, and read answers until it ends or `waitMs` passed. */
export function duplexCall(client: grpc.Client, name: string, messages: readonly object[], waitMs = 2_000): Promise<number> {
  return new Promise((resolve) => {
    let call: grpc.ClientDuplexStream<object, unknown>;
    try {
      call = method(client, name)() as grpc.ClientDuplexStream<object, unknown>;
    } catch {
      return resolve(0);
    }
    let answers = 0;
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      call.cancel();
      resolve(answers);
    };
    const timer = setTimeout(done, waitMs);
    call.on('data', () => (answers += 1));
    call.on('error', done);
    call.on('end', done);
    try {
      for (const m of messages) call.write(m);
      call.end();
    } catch {
      done();
    }
  });
}

/** Run `send` over `items`, at most `concurrency` at once. */
export async function pool<T>(items: readonly T[], concurrency: number, send: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await send(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
