// Pins that bit rot is not served silently: after a byte of a stored row flips on disk while the cluster is stopped, the restarted cluster process answers FETCH of that vertex with NebulaGraph's storage error through the real Node client, keeps running and serving every other vertex, and names the damage in its log.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient } from '@nebula-contrib/nebula-nodejs';
import { waitExit } from '../../src/cli/children.ts';
import { partOf } from '../../src/engine/storage/partition-of.ts';
import { flipOnDisk } from '../helpers/disk-damage.ts';
import { runConsole, startCluster, stopAll, tempDir, type ClusterProcess } from '../helpers/processes.ts';

type NebulaClient = ReturnType<typeof createClient>;
const PARTS = 15;
const clients: NebulaClient[] = [];

function connect(cluster: ClusterProcess): NebulaClient {
  const client = createClient({
    servers: [`127.0.0.1:${cluster.ports.graph}`],
    userName: 'root',
    password: 'nebula',
    space: 'basketballplayer',
    poolSize: 1,
    executeTimeout: 20_000,
  });
  clients.push(client);
  return client;
}

async function errorOf(client: NebulaClient, stmt: string): Promise<{ errno: number; message: string }> {
  try {
    await client.execute(stmt);
  } catch (error) {
    const e = error as { errno: number; message: string };
    return { errno: e.errno, message: e.message };
  }
  throw new Error(`expected ${stmt} to fail`);
}

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await stopAll();
});

describe('a flipped byte in a row file', () => {
  it('is reported to the client and in the log, and nothing else stops being served', async () => {
    const dataPath = tempDir('integrity');
    let cluster = await startCluster(dataPath);
    const setup = runConsole(cluster.ports.graph, [
      '-e',
      `ADD HOSTS 127.0.0.1:${cluster.ports.storage}; CREATE SPACE basketballplayer(partition_num=${PARTS}, replica_factor=1, vid_type=fixed_string(30))`,
    ]);
    expect(setup.status, setup.stderr + setup.stdout).toBe(0);
    let client = connect(cluster);
    // The seed's Step 3, plus player110 (same partition as player100) and player107 (another one).
    for (const stmt of [
      'CREATE TAG player(name string, age int)',
      'CREATE EDGE follow(degree int)',
      'INSERT VERTEX player(name, age) VALUES "player100":("Tim Duncan", 42)',
      'INSERT VERTEX player(name, age) VALUES "player101":("Tony Parker", 36)',
      'INSERT EDGE follow(degree) VALUES "player101" -> "player100":(95)',
      'INSERT VERTEX player(name, age) VALUES "player110":("Cory Joseph", 27), "player107":("Aron Baynes", 32)',
    ]) {
      expect((await client.execute(stmt)).error_code).toBe(0);
    }
    expect(partOf('player110', PARTS)).toBe(partOf('player100', PARTS));
    expect(partOf('player107', PARTS)).not.toBe(partOf('player100', PARTS));
    await client.close();

    cluster.child.kill('SIGTERM');
    expect(await waitExit(cluster.child)).toBe(0);
    const files = readdirSync(dataPath).filter((f) => /^space-\d+\.db$/.test(f));
    expect(files).toHaveLength(1);
    flipOnDisk(join(dataPath, files[0]!), 'tags', 'Tim Duncan');

    cluster = await startCluster(dataPath);
    client = connect(cluster);
    const damaged = await errorOf(client, 'FETCH PROP ON player "player100" YIELD properties(vertex)');
    expect(damaged.errno).toBe(-1005);
    expect(damaged.message).toBe(
      `Storage Error: part ${partOf('player100', PARTS)} of space basketballplayer is damaged: checksum mismatch on vertex "player100" (tag player)`,
    );

    expect(cluster.child.exitCode).toBeNull();
    expect((await client.execute('YIELD 1')).error_code).toBe(0);
    for (const [vid, name] of [
      ['player101', 'Tony Parker'],
      ['player110', 'Cory Joseph'],
      ['player107', 'Aron Baynes'],
    ]) {
      const res = await client.execute(`FETCH PROP ON player "${vid}" YIELD player.name AS name`);
      expect(res.data).toEqual({ name: [name] });
    }
    const go = await client.execute('GO FROM "player101" OVER follow YIELD dst(edge)');
    expect(go.data).toEqual({ 'dst(EDGE)': ['player100'] });

    const log = cluster.stderr();
    expect(log).toMatch(/"msg":"storage damage found"/);
    expect(log).toContain(`part ${partOf('player100', PARTS)} of space`);
    expect(log).toContain('checksum mismatch on vertex \\"player100\\"');
  });
});
