// Pins the gateway example (examples/gateway/, built on the public API only): as real processes in
// front of a primary and a secondary, it serves the real Node client and the console's THeader
// protocol through the seed's Steps 1-3 and STOP/RESTART SYNC, answers every synchronization
// statement itself through the library (with the library's permission checks) and forwards the rest.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@nebula-contrib/nebula-nodejs';
import { GraphClient } from '../../src/client/graph-client.ts';
import { BIN, clusterPorts, waitExit, type ClusterPorts } from '../../src/cli/children.ts';
import { REPO, start, stopAll, tempDir } from '../helpers/processes.ts';
import { eventually, PRIMARY_SPACE, TARGET_SPACE } from '../helpers/topology.ts';

type NebulaClient = ReturnType<typeof createClient>;
type Table = Record<string, unknown[]>;

const GATEWAY = join(REPO, 'examples/gateway/gateway.mjs');
const READY_MS_MAX = 60_000;

interface Gateway {
  readonly child: ChildProcess;
  readonly ports: ClusterPorts;
  stderr(): string;
  /** The audit lines: one per statement, with its route ('library' or 'backend'), kind and code. */
  statements(): { route: string; kind: string; user: string; code: number }[];
}

const gateways: Gateway[] = [];

/** `node examples/gateway/gateway.mjs` on free ports; resolves at its ready line. */
async function startGateway(dataPath: string): Promise<Gateway> {
  const child = spawn(process.execPath, [GATEWAY, `--data_path=${dataPath}`, '--port=0', '--meta_port=0', '--storage_port=0', '--enable_authorize=true', '--heartbeat_interval_secs=1', '--wal_fsync=false'], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`gateway not ready in ${READY_MS_MAX} ms:\n${stderr}`)), READY_MS_MAX);
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}:\n${stderr}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('nebula-sync gateway ready'));
      if (line === undefined) return;
      clearTimeout(timer);
      resolve(line);
    });
  });
  const fields = Object.fromEntries([...ready.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
  const gateway: Gateway = {
    child,
    ports: clusterPorts(fields),
    stderr: () => stderr,
    statements: () =>
      stderr
        .split('\n')
        .filter((l) => l.includes('"msg":"statement"'))
        .map((l) => JSON.parse(l) as { route: string; kind: string; user: string; code: number }),
  };
  gateways.push(gateway);
  return gateway;
}

let primary: Gateway;
let secondary: Gateway;
const ports = { metaListener: 0, storageListener: 0, drainer: 0 };
let nodePrimary: NebulaClient;
let nodeSecondary: NebulaClient;

function nebula(port: number, space: string): NebulaClient {
  const client = createClient({ servers: [`127.0.0.1:${port}`], userName: 'root', password: 'nebula', space, poolSize: 1, executeTimeout: 30_000 });
  client.on('error', () => undefined);
  return client;
}

const table = async (client: NebulaClient, stmt: string): Promise<Table> => (await client.execute(stmt)).data as Table;

/**
 * `nebula-sync console -e` (THeader + compact, as nebula-console >= 3.4) against a gateway, as root.
 * Asynchronous: the gateways' logs keep flowing while it runs.
 */
function consoleOutput(gateway: Gateway, text: string): Promise<{ status: number | null; stdout: string }> {
  const child = spawn(process.execPath, [BIN, 'console', '--addr=127.0.0.1', `--port=${gateway.ports.graph}`, '-u', 'root', '-p', 'nebula', '-e', text], { cwd: REPO });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return waitExit(child).then((status) => ({ status, stdout }));
}

/** The console's output; fails on any error. */
async function consoleRun(gateway: Gateway, text: string): Promise<string> {
  const run = await consoleOutput(gateway, text);
  expect(run.status, run.stdout).toBe(0);
  return run.stdout;
}

/** Every partition of the primary space ONLINE with no lag, asked through the gateway (answered by the library). */
async function synced(): Promise<boolean> {
  const status = await table(nodePrimary, 'SHOW SYNC STATUS');
  const parts = status['PartId'] ?? [];
  return parts.length === 16 && status['Sync Status']!.every((s) => s === 'ONLINE') && status['LogId Lag']!.every((l) => l === 0);
}

beforeAll(async () => {
  const dir = tempDir('gateway');
  primary = await startGateway(join(dir, 'primary'));
  secondary = await startGateway(join(dir, 'secondary'));
  const listener = (role: string) =>
    start('listener', [`--role=${role}`, '--local_ip=127.0.0.1', '--port=0', `--meta_server_addrs=127.0.0.1:${primary.ports.meta}`, '--heartbeat_interval_secs=1']);
  ports.metaListener = Number((await listener('meta')).ready['port']);
  ports.storageListener = Number((await listener('storage')).ready['port']);
  const drainer = await start('drainer', ['--local_ip=127.0.0.1', '--port=0', `--meta_server_addrs=127.0.0.1:${secondary.ports.meta}`, '--heartbeat_interval_secs=1']);
  ports.drainer = Number(drainer.ready['port']);
}, 180_000);

afterEach((ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  for (const [name, g] of [['primary', primary], ['secondary', secondary]] as const) console.error(`--- ${name} gateway log tail ---\n${g?.stderr().slice(-4000)}`);
});

afterAll(async () => {
  await nodePrimary?.close().catch(() => undefined);
  await nodeSecondary?.close().catch(() => undefined);
  for (const g of gateways) g.child.kill('SIGKILL');
  await Promise.all(gateways.map((g) => waitExit(g.child)));
  await stopAll();
});

describe('the gateway example in front of the primary and the secondary', () => {
  it('Step 1 through the console protocol: hosts added, listeners and drainer ONLINE (forwarded statements)', async () => {
    await consoleRun(primary, `ADD HOSTS 127.0.0.1:${primary.ports.storage}`);
    await consoleRun(secondary, `ADD HOSTS 127.0.0.1:${secondary.ports.storage}`);
    await eventually('listeners and drainer ONLINE', async () => {
      const p = (await consoleOutput(primary, 'SHOW HOSTS STORAGE LISTENER; SHOW HOSTS META LISTENER')).stdout;
      const s = (await consoleOutput(secondary, 'SHOW HOSTS DRAINER')).stdout;
      return (p.match(/"ONLINE"/g) ?? []).length === 2 && s.includes('"ONLINE"');
    }, 60_000, 500);
    await expect.poll(() => primary.statements().find((s) => s.kind === 'AddHosts')).toMatchObject({ route: 'backend', user: 'root', code: 0 });
  });

  it('Step 2 through the console protocol: the sync statements are answered by the library', async () => {
    await consoleRun(primary, `CREATE SPACE ${PRIMARY_SPACE}(partition_num=15, replica_factor=1, vid_type=fixed_string(30))`);
    const p = await consoleRun(
      primary,
      `USE ${PRIMARY_SPACE}; SIGN IN DRAINER SERVICE(127.0.0.1:${ports.drainer}); SHOW DRAINER CLIENTS; ` +
        `ADD LISTENER SYNC META 127.0.0.1:${ports.metaListener} STORAGE 127.0.0.1:${ports.storageListener} TO SPACE ${TARGET_SPACE}; SHOW LISTENER SYNC`,
    );
    expect(p).toContain(`| "DRAINER" | "127.0.0.1" | ${ports.drainer} |`);
    expect(p).toContain(`""127.0.0.1":${ports.metaListener}"`);
    expect(p.match(new RegExp(`""127.0.0.1":${ports.storageListener}"`, 'g'))).toHaveLength(15);

    await consoleRun(secondary, `CREATE SPACE ${TARGET_SPACE}(partition_num=15, replica_factor=1, vid_type=fixed_string(30))`);
    const s = await consoleRun(secondary, `USE ${TARGET_SPACE}; ADD DRAINER 127.0.0.1:${ports.drainer}; SHOW DRAINERS; SET VARIABLES read_only=true; GET VARIABLES read_only`);
    expect(s).toContain(`""127.0.0.1":${ports.drainer}"`);
    expect(s).toContain('| "read_only" | "bool" | true  |');

    const routes = (g: Gateway) => Object.fromEntries(g.statements().map((x) => [x.kind, x.route]));
    await expect.poll(() => routes(primary)).toMatchObject({
      CreateSpace: 'backend',
      Use: 'backend',
      SignInDrainerService: 'library',
      ShowDrainerClients: 'library',
      AddListenerSync: 'library',
      ShowListenerSync: 'library',
    });
    await expect.poll(() => routes(secondary)).toMatchObject({ CreateSpace: 'backend', AddDrainer: 'library', ShowDrainers: 'library', SetVariable: 'library', GetVariable: 'library' });
  });

  it('Step 3 through the Node client: the primary data reaches the secondary, SHOW SYNC STATUS from the library', async () => {
    nodePrimary = nebula(primary.ports.graph, PRIMARY_SPACE);
    nodeSecondary = nebula(secondary.ports.graph, TARGET_SPACE);
    await nodePrimary.execute('CREATE TAG player(name string, age int)');
    await nodePrimary.execute('CREATE EDGE follow(degree int)');
    await nodePrimary.execute('INSERT VERTEX player(name, age) VALUES "player100":("Tim Duncan", 42)');
    await nodePrimary.execute('INSERT VERTEX player(name, age) VALUES "player101":("Tony Parker", 36)');
    await nodePrimary.execute('INSERT EDGE follow(degree) VALUES "player101" -> "player100":(95)');
    await eventually('the sync caught up', synced, 60_000, 200);

    await nodeSecondary.execute('SUBMIT JOB STATS');
    await eventually('stats counted', async () => {
      const stats = await table(nodeSecondary, 'SHOW STATS');
      return JSON.stringify(stats['Count']) === JSON.stringify([2, 1, 2, 1]);
    }, 30_000, 200);
    expect(await table(nodeSecondary, 'SHOW STATS')).toEqual({ Type: ['Tag', 'Edge', 'Space', 'Space'], Name: ['player', 'follow', 'vertices', 'edges'], Count: [2, 1, 2, 1] });
    expect(await table(nodeSecondary, 'FETCH PROP ON player "player100" YIELD properties(vertex)')).toEqual({ 'properties(VERTEX)': [{ age: 42, name: 'Tim Duncan' }] });
    expect(await table(nodeSecondary, 'GO FROM "player101" OVER follow YIELD dst(edge)')).toEqual({ 'dst(EDGE)': ['player100'] });
    const drainerStatus = await table(nodeSecondary, 'SHOW DRAINER SYNC STATUS');
    expect(drainerStatus['PartId']!.length).toBeGreaterThan(0);

    // A text mixing both kinds is cut and routed statement by statement.
    const mixed = await table(nodePrimary, `USE ${PRIMARY_SPACE}; SHOW SYNC STATUS`);
    expect(mixed['PartId']).toHaveLength(16);
    const kinds = (g: Gateway, route: string) => new Set(g.statements().filter((x) => x.route === route).map((x) => x.kind));
    await expect.poll(() => [...kinds(primary, 'backend')]).toEqual(expect.arrayContaining(['CreateSchema', 'InsertVertex', 'InsertEdge']));
    await expect.poll(() => kinds(primary, 'library').has('ShowSyncStatus')).toBe(true);
    await expect.poll(() => kinds(secondary, 'library').has('ShowDrainerSyncStatus')).toBe(true);
  });

  it('STOP SYNC holds writes back and RESTART SYNC delivers them, both answered by the library', async () => {
    await nodePrimary.execute('STOP SYNC');
    await nodePrimary.execute('INSERT VERTEX player(name, age) VALUES "player102":("LaMarcus Aldridge", 33)');
    await eventually('a lag shows', async () => !(await synced()), 10_000, 200);
    expect(await table(nodeSecondary, 'FETCH PROP ON player "player102" YIELD properties(vertex)')).toEqual({ 'properties(VERTEX)': [] });
    await nodePrimary.execute('RESTART SYNC');
    await eventually('the sync caught up again', synced, 60_000, 200);
    expect(await table(nodeSecondary, 'FETCH PROP ON player "player102" YIELD properties(vertex)')).toEqual({
      'properties(VERTEX)': [{ age: 33, name: 'LaMarcus Aldridge' }],
    });
    await expect.poll(() => primary.statements().filter((x) => x.kind === 'StopSync' || x.kind === 'RestartSync').map((x) => [x.kind, x.route, x.code])).toEqual([
      ['StopSync', 'library', 0],
      ['RestartSync', 'library', 0],
    ]);
  });

  it('checks permissions with the library and answers syntax errors itself', async () => {
    await consoleRun(primary, `CREATE USER guest1 WITH PASSWORD 'guest-pw'; GRANT ROLE GUEST ON ${PRIMARY_SPACE} TO guest1`);
    const guest = await GraphClient.connect({ host: '127.0.0.1', port: primary.ports.graph, timeoutMs: 30_000 });
    try {
      expect((await guest.authenticate('guest1', 'wrong')).ok).toBe(false);
      expect((await guest.authenticate('guest1', 'guest-pw')).ok).toBe(true);
      expect((await guest.execute(`USE ${PRIMARY_SPACE}`)).errorCode).toBe(0);
      const stop = await guest.execute('STOP SYNC');
      expect([stop.errorCode, stop.errorMsg]).toEqual([-1008, expect.stringMatching(/^PermissionError: /)]);
      const bad = await guest.execute('SHOW SYNC STATUSES');
      expect([bad.errorCode, bad.errorMsg]).toEqual([-1004, 'SyntaxError: syntax error near `STATUSES\'']);
    } finally {
      await guest.close();
    }
    await expect.poll(() => primary.statements().filter((x) => x.user === 'guest1').map((x) => [x.kind, x.route, x.code])).toEqual([
      ['Use', 'backend', 0],
      ['StopSync', 'library', -1008],
    ]);
    expect(await synced()).toBe(true);
  });

  it('tears the synchronization down through the gateway', async () => {
    await nodePrimary.execute('REMOVE LISTENER SYNC');
    await nodePrimary.execute('SIGN OUT DRAINER SERVICE');
    await nodeSecondary.execute('REMOVE DRAINER');
    expect(await table(nodePrimary, 'SHOW LISTENER SYNC')).toEqual({ PartId: [], Type: [], Host: [], SpaceName: [], Status: [] });
    expect((await table(nodeSecondary, 'SHOW DRAINERS'))['Host']).toEqual([]);
    const library = (g: Gateway) => g.statements().filter((x) => x.route === 'library').map((x) => x.kind);
    await expect.poll(() => library(primary)).toEqual(expect.arrayContaining(['RemoveListenerSync', 'SignOutDrainerService']));
    await expect.poll(() => library(secondary)).toContain('RemoveDrainer');
  });
});
