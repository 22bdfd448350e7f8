// Pins that bit rot is not served silently: after a byte of a stored row flips on disk while the cluster is stopped, the restarted cluster process answers FETCH of that vertex with NebulaGraph's storage error through the real Node client, keeps running and serving every other vertex, and names the damage in its log; and that a damaged secondary is restored by moving its space file aside and letting the sync refill it (docs/integrity.md).
import { existsSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient } from '@nebula-contrib/nebula-nodejs';
import { waitExit } from '../../src/cli/children.ts';
import { partOf } from '../../src/engine/storage/partition-of.ts';
import { flipOnDisk } from '../helpers/disk-damage.ts';
import { runConsole, startCluster, stopAll, tempDir, type ClusterProcess } from '../helpers/processes.ts';
import { dumpSpace, eventually, must, PRIMARY_SPACE, rootClient, setUpSync, startTopology, TARGET_SPACE } from '../helpers/topology.ts';

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

/** The one space file in a cluster's data folder. */
function spaceFile(dataPath: string): string {
  const files = readdirSync(dataPath).filter((f) => /^space-\d+\.db$/.test(f));
  expect(files).toHaveLength(1);
  return join(dataPath, files[0]!);
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
    flipOnDisk(spaceFile(dataPath), 'tags', 'Tim Duncan');

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
  }, 120_000);

  it('on a secondary is healed by moving the space file aside: the sync refills it from the primary', async () => {
    const t = await startTopology({ partitions: 5 });
    const { primary, secondary } = await setUpSync(t, { partitions: 5 });
    await must(primary, 'CREATE TAG player(name string, age int)');
    await must(primary, 'CREATE EDGE follow(degree int)');
    await must(primary, 'INSERT VERTEX player(name, age) VALUES "player100":("Tim Duncan", 42), "player101":("Tony Parker", 36)');
    await must(primary, 'INSERT EDGE follow(degree) VALUES "player101" -> "player100":(95)');
    const vids = ['player100', 'player101'];
    const want = await dumpSpace(primary, vids);
    await eventually('the secondary holds the rows', async () => JSON.stringify(await dumpSpace(secondary, vids).catch(() => [])) === JSON.stringify(want));
    await secondary.close();

    expect(await t.secondary.stop()).toBe(0);
    flipOnDisk(spaceFile(t.secondary.dataPath), 'tags', 'Tim Duncan');
    await t.restart('secondary');
    let s = await rootClient(t.secondary.ports.graph, TARGET_SPACE);
    const damaged = await s.execute('FETCH PROP ON player "player100" YIELD player.name AS name');
    expect(damaged.errorMsg).toMatch(/^Storage Error: part \d+ of space replication_basketballplayer is damaged: checksum mismatch on vertex "player100"/);
    await s.close();

    expect(await t.secondary.stop()).toBe(0);
    const file = spaceFile(t.secondary.dataPath);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) renameSync(f, `${f}.damaged`);
    await t.restart('secondary');
    // The listener's open streams keep their old position until they say hello again.
    expect(await t.storageListener.stop()).toBe(0);
    await t.restart('storageListener');
    s = await rootClient(t.secondary.ports.graph, TARGET_SPACE);
    await eventually('the secondary refilled from the primary', async () => JSON.stringify(await dumpSpace(s, vids).catch(() => [])) === JSON.stringify(want), 60_000, 200);
    await must(primary, `USE ${PRIMARY_SPACE}`);
    await must(primary, 'INSERT VERTEX player(name, age) VALUES "player102":("LaMarcus Aldridge", 33)');
    const after = await dumpSpace(primary, [...vids, 'player102']);
    await eventually('new writes still arrive', async () => JSON.stringify(await dumpSpace(s, [...vids, 'player102']).catch(() => [])) === JSON.stringify(after), 30_000, 200);
    await s.close();
    await primary.close();
  }, 240_000);
});
