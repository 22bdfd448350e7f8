/**
 * A primary and a secondary with the seed's sync between them, in-process (test/helpers/in-process.ts),
 * for the VERIFY SYNC tests: Steps 1-2 run, player/follow created, and a root client in each space.
 */
import type { GraphClient } from '../../../../../src/client/graph-client.ts';
import type { Drainer } from '../../../../../src/engine/sync/drainer/drainer.ts';
import type { Cluster } from '../../../../../src/server/cluster.ts';
import type { ExecutionResponse } from '../../../../../src/server/graph-handler.ts';
import { InProcess, ok } from '../../../../helpers/in-process.ts';

export const SPACE = 'basketballplayer';
export const TARGET = 'replica';

export interface VerifyWorld {
  readonly world: InProcess;
  readonly primary: Cluster;
  readonly secondary: Cluster;
  readonly p: GraphClient;
  readonly s: GraphClient;
  readonly drainerPort: number;
  readonly drainer: Drainer;
  close(): Promise<void>;
}

export async function startVerifyWorld(options: { partitions?: number; targetPartitions?: number; vidType?: string } = {}): Promise<VerifyWorld> {
  const world = new InProcess();
  const primary = await world.cluster();
  const secondary = await world.cluster();
  const meta = await world.listener('meta', primary);
  const storage = await world.listener('storage', primary);
  const { drainer, port: drainerPort } = await world.drainer(secondary);
  const p = await world.client(primary);
  const s = await world.client(secondary);
  const vidType = options.vidType ?? 'fixed_string(30)';
  await ok(p, `CREATE SPACE ${SPACE}(partition_num=${options.partitions ?? 15}, replica_factor=1, vid_type=${vidType})`);
  await ok(p, `USE ${SPACE}`);
  await ok(p, `SIGN IN DRAINER SERVICE(127.0.0.1:${drainerPort})`);
  await ok(p, `ADD LISTENER SYNC META 127.0.0.1:${meta.port} STORAGE 127.0.0.1:${storage.port} TO SPACE ${TARGET}`);
  await ok(s, `CREATE SPACE ${TARGET}(partition_num=${options.targetPartitions ?? options.partitions ?? 15}, replica_factor=1, vid_type=${vidType})`);
  await ok(s, `USE ${TARGET}`);
  await ok(s, `ADD DRAINER 127.0.0.1:${drainerPort}`);
  await ok(s, 'SET VARIABLES read_only=true');
  await ok(p, 'CREATE TAG player(name string, age int)');
  await ok(p, 'CREATE EDGE follow(degree int)');
  return { world, primary, secondary, p, s, drainerPort, drainer, close: () => world.close() };
}

/** Run and return the answer, whatever it is. */
export function run(client: GraphClient, stmt: string): Promise<ExecutionResponse> {
  return client.execute(stmt);
}

/** Poll until every row of SHOW SYNC STATUS reads lag 0 (bounded). */
export async function caughtUp(p: GraphClient, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await p.execute('SHOW SYNC STATUS');
    if (res.errorCode === 0 && res.data!.rows.length > 0 && res.data!.rows.every((r) => r[2] === 0n && r[1] === 'ONLINE')) return;
    if (Date.now() > deadline) throw new Error(`sync did not catch up: ${JSON.stringify(res.data?.rows, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
