// Pins the seed's whole workflow across five real processes (primary, secondary, meta listener,
// storage listener, drainer) through the real NebulaGraph Node client: Steps 1-3 with the seed's
// tables, then STOP SYNC, the seed's four INSERTs held back, RESTART SYNC, and both status tables
// back at 0 lag.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@nebula-contrib/nebula-nodejs';
import { stopAll } from '../helpers/processes.ts';
import { eventually, must, PRIMARY_SPACE, rootClient, startTopology, TARGET_SPACE, type Topology } from '../helpers/topology.ts';

type NebulaClient = ReturnType<typeof createClient>;
type Table = Record<string, unknown[]>;

let t: Topology;
let primary: NebulaClient;
let secondary: NebulaClient;

function nebula(port: number, space: string): NebulaClient {
  const client = createClient({ servers: [`127.0.0.1:${port}`], userName: 'root', password: 'nebula', space, poolSize: 1, executeTimeout: 30_000 });
  client.on('error', () => undefined);
  return client;
}

async function table(client: NebulaClient, stmt: string): Promise<Table> {
  return (await client.execute(stmt)).data as Table;
}

const host = (port: number) => `"127.0.0.1":${port}`;

beforeAll(async () => {
  t = await startTopology();
}, 120_000);

afterEach((ctx) => {
  // On failure, show what the processes logged: the first place to look.
  if (ctx.task.result?.state !== 'fail') return;
  for (const name of ['primary', 'secondary', 'metaListener', 'storageListener', 'drainer'] as const) {
    console.error(`--- ${name} log tail ---\n${t[name].stderr().slice(-4000)}`);
  }
});

afterAll(async () => {
  await primary?.close().catch(() => undefined);
  await secondary?.close().catch(() => undefined);
  await stopAll();
});

describe('the seed workflow across five processes', () => {
  it('Step 1: hosts, listeners and the drainer are ONLINE', async () => {
    // The Node client needs an existing space to connect; the first statements go through ours.
    const p = await rootClient(t.primary.ports.graph);
    await must(p, `ADD HOSTS 127.0.0.1:${t.primary.ports.storage}`);
    await must(p, `CREATE SPACE ${PRIMARY_SPACE}(partition_num=15, replica_factor=1, vid_type=fixed_string(30))`);
    await p.close();
    const s = await rootClient(t.secondary.ports.graph);
    await must(s, `ADD HOSTS 127.0.0.1:${t.secondary.ports.storage}`);
    await must(s, `CREATE SPACE ${TARGET_SPACE}(partition_num=15, replica_factor=1, vid_type=fixed_string(30))`);
    await s.close();
    primary = nebula(t.primary.ports.graph, PRIMARY_SPACE);
    secondary = nebula(t.secondary.ports.graph, TARGET_SPACE);

    const row = (port: number, role: string) => ({ Host: ['127.0.0.1'], Port: [port], Status: ['ONLINE'], Role: [role] });
    const pick = (tb: Table) => ({ Host: tb['Host'], Port: tb['Port'], Status: tb['Status'], Role: tb['Role'] });
    expect(pick(await table(primary, 'SHOW HOSTS STORAGE'))).toEqual(row(t.primary.ports.storage, 'STORAGE'));
    await eventually('listeners ONLINE', async () => {
      const sl = await table(primary, 'SHOW HOSTS STORAGE LISTENER');
      const ml = await table(primary, 'SHOW HOSTS META LISTENER');
      return sl['Status']?.[0] === 'ONLINE' && ml['Status']?.[0] === 'ONLINE';
    });
    expect(pick(await table(primary, 'SHOW HOSTS STORAGE LISTENER'))).toEqual(row(t.ports.storageListener, 'STORAGE_LISTENER'));
    expect(pick(await table(primary, 'SHOW HOSTS META LISTENER'))).toEqual(row(t.ports.metaListener, 'META_LISTENER'));
    expect(pick(await table(secondary, 'SHOW HOSTS STORAGE'))).toEqual(row(t.secondary.ports.storage, 'STORAGE'));
    await eventually('drainer ONLINE', async () => (await table(secondary, 'SHOW HOSTS DRAINER'))['Status']?.[0] === 'ONLINE');
    expect(pick(await table(secondary, 'SHOW HOSTS DRAINER'))).toEqual(row(t.ports.drainer, 'DRAINER'));
  });

  it('Step 2: drainer clients, 16 listener rows, drainers and read_only as the seed shows them', async () => {
    await primary.execute(`SIGN IN DRAINER SERVICE(127.0.0.1:${t.ports.drainer})`);
    expect(await table(primary, 'SHOW DRAINER CLIENTS')).toEqual({ Type: ['DRAINER'], Host: ['127.0.0.1'], Port: [t.ports.drainer] });
    await primary.execute(
      `ADD LISTENER SYNC META 127.0.0.1:${t.ports.metaListener} STORAGE 127.0.0.1:${t.ports.storageListener} TO SPACE ${TARGET_SPACE}`,
    );
    await eventually('listener sync ONLINE', async () => (await table(primary, 'SHOW LISTENER SYNC'))['Status']!.every((s) => s === 'ONLINE'));
    expect(await table(primary, 'SHOW LISTENER SYNC')).toEqual({
      PartId: Array.from({ length: 16 }, (_, i) => i),
      Type: Array(16).fill('SYNC'),
      Host: [host(t.ports.metaListener), ...Array(15).fill(host(t.ports.storageListener))],
      SpaceName: Array(16).fill(TARGET_SPACE),
      Status: Array(16).fill('ONLINE'),
    });
    await secondary.execute(`ADD DRAINER 127.0.0.1:${t.ports.drainer}`);
    expect(await table(secondary, 'SHOW DRAINERS')).toEqual({ Host: [host(t.ports.drainer)], Status: ['ONLINE'] });
    await secondary.execute('SET VARIABLES read_only=true');
    expect(await table(secondary, 'GET VARIABLES read_only')).toEqual({ name: ['read_only'], type: ['bool'], value: [true] });
  });

  it('Step 3: data written to the primary is read back on the secondary with the seed tables', async () => {
    await primary.execute('CREATE TAG player(name string, age int)');
    await primary.execute('CREATE EDGE follow(degree int)');
    await primary.execute('INSERT VERTEX player(name, age) VALUES "player100":("Tim Duncan", 42)');
    await primary.execute('INSERT VERTEX player(name, age) VALUES "player101":("Tony Parker", 36)');
    await primary.execute('INSERT EDGE follow(degree) VALUES "player101" -> "player100":(95)');

    await eventually('rows on the secondary', async () => {
      const res = await secondary.execute('GO FROM "player101" OVER follow YIELD dst(edge)').catch(() => undefined);
      return res !== undefined && (res.data as Table)['dst(EDGE)']?.length === 1;
    });
    await secondary.execute('SUBMIT JOB STATS');
    expect(await table(secondary, 'SHOW STATS')).toEqual({
      Type: ['Tag', 'Edge', 'Space', 'Space'],
      Name: ['player', 'follow', 'vertices', 'edges'],
      Count: [2, 1, 2, 1],
    });
    expect(await table(secondary, 'FETCH PROP ON player "player100" YIELD properties(vertex)')).toEqual({
      'properties(VERTEX)': [{ age: 42, name: 'Tim Duncan' }],
    });
    expect(await table(secondary, 'GO FROM "player101" OVER follow YIELD dst(edge)')).toEqual({ 'dst(EDGE)': ['player100'] });
    // The target is read_only for clients.
    await expect(secondary.execute('INSERT VERTEX player(name, age) VALUES "x":("x", 1)')).rejects.toMatchObject({ errno: -1005 });
  });

  it('STOP SYNC holds the seed four INSERTs back with a growing lag; RESTART SYNC ships them and both tables return to 0', async () => {
    const lagOf = (tb: Table) => (tb['LogId Lag'] as number[]).reduce((a, b) => a + b, 0);
    await eventually('everything acknowledged before the stop', async () => lagOf(await table(primary, 'SHOW SYNC STATUS')) === 0);
    await primary.execute('STOP SYNC');
    await eventually('sync OFFLINE', async () => (await table(primary, 'SHOW SYNC STATUS'))['Sync Status']!.every((s) => s === 'OFFLINE'));
    await primary.execute('INSERT VERTEX player(name,age) VALUES "player102":("LaMarcus Aldridge", 33)');
    await primary.execute('INSERT VERTEX player(name,age) VALUES "player102":("LaMarcus Aldridge", 33)');
    await primary.execute('INSERT VERTEX player(name,age) VALUES "player103":("Rudy Gay", 32)');
    await primary.execute('INSERT VERTEX player(name,age) VALUES "player104":("Marco Belinelli", 32)');
    const stopped = await table(primary, 'SHOW SYNC STATUS');
    expect(lagOf(stopped)).toBe(4);
    expect((stopped['Time Latency'] as number[]).some((ms) => ms >= 0)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(await table(secondary, 'FETCH PROP ON player "player104" YIELD properties(vertex)')).toEqual({ 'properties(VERTEX)': [] });

    await primary.execute('RESTART SYNC');
    await eventually('player104 on the secondary', async () => {
      const tb = await table(secondary, 'FETCH PROP ON player "player104" YIELD properties(vertex)');
      return tb['properties(VERTEX)']!.length === 1;
    });
    const zero = (tb: Table) =>
      tb['PartId']!.length === 16 &&
      tb['Sync Status']!.every((s) => s === 'ONLINE') &&
      tb['LogId Lag']!.every((n) => n === 0) &&
      tb['Time Latency']!.every((n) => n === 0);
    await eventually('SHOW SYNC STATUS at 0', async () => zero(await table(primary, 'SHOW SYNC STATUS')));
    await eventually('SHOW DRAINER SYNC STATUS at 0', async () => zero(await table(secondary, 'SHOW DRAINER SYNC STATUS')));
    expect(await table(secondary, 'FETCH PROP ON player "player102" YIELD properties(vertex)')).toEqual({
      'properties(VERTEX)': [{ age: 33, name: 'LaMarcus Aldridge' }],
    });
  });
});
