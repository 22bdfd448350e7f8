/**
 * Writers of the sync benchmark, through the real NebulaGraph Node client
 * (`@nebula-contrib/nebula-nodejs`), the way an application writes:
 *
 * - `saturate`: `writers` connections, each with one statement in flight, as fast as they go.
 * - `openLoop`: one statement every `intervalMs` on a fixed schedule that does not wait for
 *   answers (a slow answer does not delay the next send, so it is not hidden), on one connection;
 *   each statement's latency is from its send to its acknowledgement.
 */
import { performance } from 'node:perf_hooks';
import { createClient } from '@nebula-contrib/nebula-nodejs';
import type { RowLayout } from './bench-rows.ts';

type NodeClient = ReturnType<typeof createClient>;

/** Bound on one statement, and on the connections becoming ready. */
const EXECUTE_TIMEOUT_MS = 300_000;
const READY_TIMEOUT_MS = 30_000;

/** A Node client of `connections` connections to `port`, each signed in and in `space`. */
export async function nodeClient(port: number, space: string, connections: number): Promise<NodeClient> {
  const client = createClient({
    servers: [`127.0.0.1:${port}`], userName: 'root', password: 'nebula', space, poolSize: connections,
    executeTimeout: EXECUTE_TIMEOUT_MS,
  });
  client.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    let ready = 0;
    const timer = setTimeout(() => reject(new Error('Node client connections not ready in time')), READY_TIMEOUT_MS);
    client.on('ready', () => {
      if (++ready < connections) return;
      clearTimeout(timer);
      resolve();
    });
  });
  return client;
}

export interface SaturationRun {
  /** When the first statement was sent and the last one acknowledged (performance.now ms). */
  readonly startedMs: number;
  readonly lastAckMs: number;
}

/**
 * Every statement of `layout`, `writers` at a time; `progress.sent` counts statements handed to
 * the client so far (a reader may look for their rows).
 */
export async function saturate(client: NodeClient, layout: RowLayout, writers: number, progress: { sent: number }): Promise<SaturationRun> {
  let next = 0;
  const startedMs = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < layout.statements) {
        const k = next++;
        const stmt = layout.statement(k);
        progress.sent = Math.max(progress.sent, k + 1);
        await client.execute(stmt);
      }
    }),
  );
  return { startedMs, lastAckMs: performance.now() };
}

export interface OpenLoopRun {
  /** Per statement: when it was sent and when acknowledged (performance.now ms). */
  readonly sentMs: Float64Array;
  readonly ackMs: Float64Array;
}

/** The statements of `layout` on a schedule of one per `intervalMs`, not waiting for answers. */
export async function openLoop(client: NodeClient, layout: RowLayout, intervalMs: number, progress: { sent: number }): Promise<OpenLoopRun> {
  const sentMs = new Float64Array(layout.statements);
  const ackMs = new Float64Array(layout.statements);
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  for (let k = 0; k < layout.statements; k++) {
    const wait = start + k * intervalMs - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const stmt = layout.statement(k);
    sentMs[k] = performance.now();
    progress.sent = k + 1;
    inFlight.push(
      client.execute(stmt).then(() => {
        ackMs[k] = performance.now();
      }),
    );
  }
  await Promise.all(inFlight);
  return { sentMs, ackMs };
}
