// Pins the cluster's meta and storage services on their own ports: health answers, and a process
// that heartbeats to the meta service shows up in SHOW HOSTS <role> ONLINE, then OFFLINE once it
// has been silent for 5 heartbeat intervals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as grpc from '@grpc/grpc-js';
import { GraphClient } from '../../src/client/graph-client.ts';
import { clientFor } from '../../src/server/rpc/proto.ts';
import { startCluster, stopAll, tempDir, type ClusterProcess } from '../helpers/processes.ts';

let cluster: ClusterProcess;
let graph: GraphClient;

function unary<T>(client: grpc.Client, method: string, request: object): Promise<T> {
  return new Promise((resolve, reject) => {
    (client as unknown as Record<string, Function>)[method]!.call(client, request, (error: Error | null, reply: T) =>
      error ? reject(error) : resolve(reply),
    );
  });
}

async function showHosts(role: string): Promise<unknown[][]> {
  const res = await graph.execute(`SHOW HOSTS ${role}`);
  expect(res.errorCode).toBe(0);
  return res.data!.rows.map((r) => [...r]);
}

beforeAll(async () => {
  cluster = await startCluster(tempDir('rpc'));
  graph = await GraphClient.connect({ host: '127.0.0.1', port: cluster.ports.graph });
  await graph.authenticate('root', 'nebula');
});
afterAll(async () => {
  await graph?.close();
  await stopAll();
});

describe('cluster meta and storage services', () => {
  it('answer health checks on their own ports', async () => {
    const meta = clientFor('Meta', `127.0.0.1:${cluster.ports.meta}`);
    const storage = clientFor('Storage', `127.0.0.1:${cluster.ports.storage}`);
    expect(await unary(meta, 'Health', {})).toMatchObject({ role: 'META', status: 'ONLINE' });
    expect(await unary(storage, 'Health', {})).toMatchObject({ role: 'STORAGE', status: 'ONLINE' });
    meta.close();
    storage.close();
  });

  it('list a heartbeating drainer ONLINE, then OFFLINE after 5 silent intervals, and refuse bad heartbeats', async () => {
    const meta = clientFor('Meta', `127.0.0.1:${cluster.ports.meta}`);
    const beat = { role: 'DRAINER', host: '127.0.0.1', port: 9889, git_info_sha: 'abcdef0', version: 'ent-3.1.0' };
    expect(await unary(meta, 'Heartbeat', beat)).toMatchObject({ code: 0 });
    expect(await showHosts('DRAINER')).toEqual([['127.0.0.1', 9889n, 'ONLINE', 'DRAINER', 'abcdef0', 'ent-3.1.0']]);
    expect(await showHosts('STORAGE LISTENER')).toEqual([]);

    const bad = await unary<{ code: number }>(meta, 'Heartbeat', { ...beat, role: 'GRAPH' });
    expect(bad.code).toBe(-2003);
    expect(await showHosts('GRAPH')).toHaveLength(1);

    // heartbeat_interval_secs=1 in tests: silent for more than 5 s means OFFLINE.
    await new Promise((r) => setTimeout(r, 5_600));
    expect((await showHosts('DRAINER'))[0]![2]).toBe('OFFLINE');
    meta.close();
  }, 20_000);
});
