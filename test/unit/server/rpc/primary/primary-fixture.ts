/**
 * An in-process primary cluster for the sync tests: every port free, heartbeats every second, and
 * a root session to run nGQL through the cluster's own QueryHandler. Also gRPC helpers to read a
 * server stream until a condition holds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { Cluster, defaultClusterOptions, type ClusterOptions } from '../../../../../src/server/cluster.ts';
import { clientFor } from '../../../../../src/server/rpc/proto.ts';
import type { DataSet } from '../../../../../src/value/types.ts';

export interface Primary {
  readonly cluster: Cluster;
  readonly dataPath: string;
  readonly metaAddr: string;
  readonly storageAddr: string;
  /** Run statements (one session, so USE sticks); throws on any error code. */
  run(...stmts: string[]): Promise<DataSet | undefined>;
  close(): Promise<void>;
}

export async function startPrimary(overrides: Partial<ClusterOptions> = {}): Promise<Primary> {
  const dataPath = mkdtempSync(join(tmpdir(), 'nebula-sync-primary-'));
  const cluster = await Cluster.start({
    ...defaultClusterOptions,
    dataPath,
    port: 0,
    metaPort: 0,
    storagePort: 0,
    wsHttpPort: 0,
    heartbeatIntervalSecs: 1,
    fsync: false,
    ...overrides,
  });
  const auth = await cluster.handler.authenticate('root', 'nebula');
  if (!auth.ok) throw new Error(auth.error.message);
  const run = async (...stmts: string[]): Promise<DataSet | undefined> => {
    let last: DataSet | undefined;
    for (const stmt of stmts) {
      const res = await cluster.handler.execute(auth.sessionId, stmt);
      if (res.errorCode !== 0) throw new Error(`${stmt}: ${res.errorCode} ${res.errorMsg ?? ''}`);
      last = res.data;
    }
    return last;
  };
  await run(`ADD HOSTS 127.0.0.1:${cluster.ports.storage}`);
  return {
    cluster,
    dataPath,
    metaAddr: `127.0.0.1:${cluster.ports.meta}`,
    storageAddr: `127.0.0.1:${cluster.ports.storage}`,
    run,
    close: async () => {
      await cluster.close();
      rmSync(dataPath, { recursive: true, force: true });
    },
  };
}

export function metaClient(p: Primary): grpc.Client {
  return clientFor('Meta', p.metaAddr);
}

export function storageClient(p: Primary): grpc.Client {
  return clientFor('Storage', p.storageAddr);
}

export function unaryCall<T>(client: grpc.Client, method: string, request: object): Promise<T> {
  return new Promise((resolve, reject) => {
    (client as unknown as Record<string, Function>)[method]!.call(client, request, (error: Error | null, reply: T) =>
      error ? reject(error) : resolve(reply),
    );
  });
}

/** A server stream's messages as they come, its end or error, and a way to wait for some. */
export class StreamReader<T> {
  readonly messages: T[] = [];
  error: grpc.ServiceError | undefined;
  ended = false;
  readonly stream: grpc.ClientReadableStream<T>;

  constructor(client: grpc.Client, method: string, request: object) {
    this.stream = (client as unknown as Record<string, Function>)[method]!.call(client, request) as grpc.ClientReadableStream<T>;
    this.stream.on('data', (m: T) => this.messages.push(m));
    this.stream.on('error', (e: grpc.ServiceError) => (this.error = e));
    this.stream.on('end', () => (this.ended = true));
  }

  /** Resolves once `done(messages)` holds or the stream ended/failed; rejects after `timeoutMs`. */
  async until(done: (messages: readonly T[]) => boolean, timeoutMs = 10_000): Promise<readonly T[]> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.messages) && !this.ended && this.error === undefined) {
      if (Date.now() > deadline) throw new Error(`stream condition not met in ${timeoutMs} ms (${this.messages.length} messages)`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.messages;
  }

  cancel(): void {
    this.stream.cancel();
  }
}

/** Poll `check` until it answers true; rejects after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what} not reached in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
