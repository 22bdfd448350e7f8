// Pins `nebula-sync playground`: it starts the seed's five processes with mutual TLS on every internal link (a throwaway CA made on first start, kept and reused), performs Steps 1-2 on a fresh folder (hosts ONLINE, SHOW LISTENER SYNC with 16 ONLINE rows, SHOW DRAINERS, read_only), stops every child on SIGINT, resumes on the same folder as it was left (no set-up statement, what it found printed), also after the seed's switchover (nothing signed back in, read_only kept, sync one way: the new one), and starts from scratch with --reset.
// The playground's ports are fixed, moved by PORT_OFFSET (--port_offset) clear of the seed's own and of the ephemeral range.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient } from '@nebula-contrib/nebula-nodejs';
import { BIN, waitExit } from '../../src/cli/children.ts';
import { certFilesIn, ensureCerts, internalTlsFlags } from '../../src/cli/tls-certs.ts';
import { rpcPackage } from '../../src/server/rpc/proto.ts';
import { REPO, start, stopAll, tempDir } from '../helpers/processes.ts';

type NebulaClient = ReturnType<typeof createClient>;
type Columns = Record<string, unknown[]>;

/** Generous: the playground starts five processes, then waits for them to register. */
const READY_TIMEOUT_MS = 90_000;
/** How long the listeners may take to report shipping once the sync is set up. */
const ONLINE_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 30_000;
/** Every port of the layout moves by this much: 20559..30671, below Linux's ephemeral ports. */
const PORT_OFFSET = 11_000;
const port = (seedPort: number): number => seedPort + PORT_OFFSET;
const PRIMARY = `127.0.0.1:${port(9669)}`;
const SECONDARY = `127.0.0.1:${port(9671)}`;

interface Playground {
  readonly child: ChildProcess;
  readonly readyLine: string;
  /** Everything it printed on stdout up to the ready line (the banner). */
  readonly stdout: string;
  /** The five processes it started, read from /proc while it runs. */
  readonly childPids: readonly number[];
  stderr(): string;
}

/**
 * PIDs of `nebula-sync` processes whose parent is `ppid` (Linux /proc). Other children, such as
 * the esbuild service tsx starts on a cold cache, are not the playground's processes.
 */
function childPidsOf(ppid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) are: state, ppid, ...
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (Number(fields[1]) === ppid && cmdline.includes('bin/nebula-sync.js')) out.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function startPlayground(dataPath: string, ...extra: string[]): Promise<Playground> {
  const args = [BIN, 'playground', `--data_path=${dataPath}`, '--heartbeat_interval_secs=1', `--port_offset=${PORT_OFFSET}`, ...extra];
  const child = spawn(process.execPath, args, {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let stdout = '';
  const readyLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      reject(new Error(`playground not ready in ${READY_TIMEOUT_MS} ms:\n${stderr}`));
    }, READY_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`playground exited with ${code} before it was ready:\n${stdout}\n${stderr}`));
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('nebula-sync playground ready'));
      if (line === undefined) return;
      clearTimeout(timer);
      resolve(line);
    });
  });
  return { child, readyLine, stdout, childPids: childPidsOf(child.pid!), stderr: () => stderr };
}

/** `nebula-sync <args>` to its end, without blocking this process (the playground's pipes drain meanwhile). */
function runCli(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

function clientOf(server: string, space: string): NebulaClient {
  return createClient({ servers: [server], userName: 'root', password: 'nebula', space, poolSize: 1, executeTimeout: 20_000 });
}

async function query(client: NebulaClient, stmt: string): Promise<Columns> {
  const res = await client.execute(stmt);
  return res.data as Columns;
}

/** Retry `check` until it passes or the time is up (then its last failure is the test's). */
async function eventually(check: () => Promise<void>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** The seed's Step 1-2 tables on both clusters. */
async function expectSeedTables(): Promise<void> {
  const primary = clientOf(PRIMARY, 'basketballplayer');
  const secondary = clientOf(SECONDARY, 'replication_basketballplayer');
  try {
    const storageListeners = await query(primary, 'SHOW HOSTS STORAGE LISTENER');
    expect(storageListeners).toMatchObject({ Host: ['127.0.0.1'], Port: [port(9789)], Status: ['ONLINE'], Role: ['STORAGE_LISTENER'] });
    const metaListeners = await query(primary, 'SHOW HOSTS META LISTENER');
    expect(metaListeners).toMatchObject({ Host: ['127.0.0.1'], Port: [port(9569)], Status: ['ONLINE'], Role: ['META_LISTENER'] });
    expect(await query(primary, 'SHOW DRAINER CLIENTS')).toEqual({ Type: ['DRAINER'], Host: ['127.0.0.1'], Port: [port(9889)] });
    await eventually(async () => {
      const sync = await query(primary, 'SHOW LISTENER SYNC');
      expect(sync).toEqual({
        PartId: Array.from({ length: 16 }, (_, i) => i),
        Type: Array(16).fill('SYNC'),
        Host: [`"127.0.0.1":${port(9569)}`, ...Array(15).fill(`"127.0.0.1":${port(9789)}`)],
        SpaceName: Array(16).fill('replication_basketballplayer'),
        Status: Array(16).fill('ONLINE'),
      });
    }, ONLINE_TIMEOUT_MS);

    const drainerHosts = await query(secondary, 'SHOW HOSTS DRAINER');
    expect(drainerHosts).toMatchObject({ Host: ['127.0.0.1'], Port: [port(9889)], Status: ['ONLINE'], Role: ['DRAINER'] });
    expect(await query(secondary, 'SHOW DRAINERS')).toEqual({ Host: [`"127.0.0.1":${port(9889)}`], Status: ['ONLINE'] });
    expect(await query(secondary, 'GET VARIABLES read_only')).toEqual({ name: ['read_only'], type: ['bool'], value: [true] });
  } finally {
    await primary.close().catch(() => undefined);
    await secondary.close().catch(() => undefined);
  }
}

/** Internal links are mutual TLS: every process's /status says so, and a plaintext Meta.Health gets nothing. */
async function expectMutualTls(): Promise<void> {
  for (const http of [port(19669), port(19671)]) {
    const status = await (await fetch(`http://127.0.0.1:${http}/status`)).json();
    expect(status).toMatchObject({ status: 'running', internal_links: 'mtls', graph_ssl: false });
  }
  // The listeners and the drainer answer on their own HTTP ports (10000 + their service port).
  for (const [http, role] of [[port(19569), 'META_LISTENER'], [port(19789), 'STORAGE_LISTENER'], [port(19889), 'DRAINER']] as const) {
    expect(await (await fetch(`http://127.0.0.1:${http}/status`)).json()).toMatchObject({ status: 'running', role, internal_links: 'mtls' });
  }
  expect((await fetch(`http://127.0.0.1:${port(19669)}/dashboard`)).status).toBe(200);
  const Meta = rpcPackage()['Meta'] as grpc.ServiceClientConstructor;
  const meta = new Meta(`127.0.0.1:${port(9559)}`, grpc.credentials.createInsecure()) as grpc.Client & Record<string, Function>;
  const code = await new Promise((resolve) => meta['Health']!({}, { deadline: Date.now() + 5_000 }, (e: grpc.ServiceError | null) => resolve(e?.code)));
  meta.close();
  expect(code).toBe(grpc.status.UNAVAILABLE);
}

/** SIGINT, as Ctrl-C would; the playground must exit 0 and leave no child behind. */
async function interrupt(pg: Playground): Promise<void> {
  pg.child.kill('SIGINT');
  const code = await Promise.race([
    waitExit(pg.child),
    new Promise<string>((r) => setTimeout(() => r('timeout'), STOP_TIMEOUT_MS)),
  ]);
  expect(code).toBe(0);
  expect(pg.childPids.filter(isAlive)).toEqual([]);
}

const dataPath = tempDir('playground');
const running: Playground[] = [];
let current: Playground | undefined;
let caPem = '';
/** What the set-up logs when it changes something: a resumed start logs none of them. */
const SETUP_LINES = /adding storage host|signing in the drainer service|adding the listener sync|adding the drainer/;

afterAll(async () => {
  // A failed test must not leave the fixed ports taken: stop whatever still runs.
  for (const pg of running) {
    if (pg.child.exitCode === null && pg.child.signalCode === null) pg.child.kill('SIGINT');
    await waitExit(pg.child);
    for (const pid of pg.childPids.filter(isAlive)) process.kill(pid, 'SIGKILL');
  }
  await stopAll();
  rmSync(dataPath, { recursive: true, force: true });
}, STOP_TIMEOUT_MS * 2);

describe('nebula-sync playground', () => {
  it('starts the seed environment, sets up Steps 1-2 and says where to connect', async () => {
    const pg = await startPlayground(dataPath);
    running.push(pg);
    expect(pg.readyLine).toBe(`nebula-sync playground ready primary=${PRIMARY} secondary=${SECONDARY}`);
    expect(pg.childPids).toHaveLength(5);
    await expectSeedTables();
    await expectMutualTls();
    expect(pg.stderr()).toMatch(/made a throwaway CA and one certificate per process/);
    expect(pg.stderr()).toMatch(/internal links are mTLS/);
    caPem = readFileSync(join(dataPath, 'tls', 'ca.pem'), 'utf8');
    await interrupt(pg);
  }, READY_TIMEOUT_MS + ONLINE_TIMEOUT_MS + STOP_TIMEOUT_MS);

  it('resumes on the same folder as it was left: no set-up statement, what it found printed, the tables the same', async () => {
    const pg = await startPlayground(dataPath);
    running.push(pg);
    expect(pg.childPids).toHaveLength(5);
    await expectSeedTables();
    expect(pg.stderr()).toMatch(/resuming: this data folder was set up before, so no set-up statement runs/);
    expect(pg.stderr()).not.toMatch(SETUP_LINES);
    expect(pg.stderr()).not.toMatch(/"level":"error"/);
    expect(pg.stdout).toContain('Resumed as it was left (no set-up statement was run). Found:');
    expect(pg.stdout).toMatch(
      new RegExp(`basketballplayer: read_only=false; syncs to replication_basketballplayer \\(meta listener 127\\.0\\.0\\.1:${port(9569)}, storage listener 127\\.0\\.0\\.1:${port(9789)}, drainer 127\\.0\\.0\\.1:${port(9889)}\\): shipping \\(16/16 partitions ONLINE\\)`),
    );
    expect(pg.stdout).toContain(`replication_basketballplayer: read_only=true; receives through drainer 127.0.0.1:${port(9889)}`);
    // The same CA and certificates, so the resumed processes still trust each other.
    expect(pg.stderr()).toMatch(/reusing the TLS certificates/);
    expect(readFileSync(join(dataPath, 'tls', 'ca.pem'), 'utf8')).toBe(caPem);
    await expectMutualTls();
    // Left running for the switchover.
    current = pg;
  }, READY_TIMEOUT_MS + ONLINE_TIMEOUT_MS + STOP_TIMEOUT_MS);

  it("after the seed's switchover, a restart keeps it: nothing signed back in, read_only kept, sync one way only (the new one)", async () => {
    // The seed's 192.168.10.105 and .106: listeners for the secondary (the new primary) and a drainer for the primary.
    const tlsDir = join(dataPath, 'tls');
    const names = ['reverse-meta-listener', 'reverse-storage-listener', 'reverse-drainer'];
    const certs = ensureCerts(tlsDir, names.map((name) => ({ name, ips: ['127.0.0.1'] })));
    if (certs instanceof Error) throw certs;
    const common = (name: string) => [...internalTlsFlags(certFilesIn(tlsDir, name)), '--local_ip=127.0.0.1', '--port=0', '--ws_http_port=0', '--heartbeat_interval_secs=1'];
    const [ml, sl, dr] = await Promise.all([
      start('listener', [...common(names[0]!), '--role=meta', `--meta_server_addrs=127.0.0.1:${port(9561)}`]),
      start('listener', [...common(names[1]!), '--role=storage', `--meta_server_addrs=127.0.0.1:${port(9561)}`]),
      start('drainer', [...common(names[2]!), `--meta_server_addrs=127.0.0.1:${port(9559)}`]),
    ]);
    const [mlPort, slPort, drPort] = [ml, sl, dr].map((h) => Number(h.ready['port']));
    const primary = clientOf(PRIMARY, 'basketballplayer');
    const secondary = clientOf(SECONDARY, 'replication_basketballplayer');
    try {
      await eventually(async () => {
        expect((await query(secondary, 'SHOW HOSTS META LISTENER'))['Port']).toContain(mlPort);
        expect((await query(secondary, 'SHOW HOSTS STORAGE LISTENER'))['Port']).toContain(slPort);
        expect((await query(primary, 'SHOW HOSTS DRAINER'))['Port']).toContain(drPort);
      }, ONLINE_TIMEOUT_MS);
      const run = await runCli(
        [
          'switchover',
          `--primary=${PRIMARY}`,
          `--secondary=${SECONDARY}`,
          '--space=basketballplayer',
          `--new_meta_listener=127.0.0.1:${mlPort}`,
          `--new_storage_listener=127.0.0.1:${slPort}`,
          `--new_drainer=127.0.0.1:${drPort}`,
        ],
      );
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    } finally {
      await primary.close().catch(() => undefined);
      await secondary.close().catch(() => undefined);
    }
    await interrupt(current!);

    const pg = await startPlayground(dataPath);
    running.push(pg);
    expect(pg.stderr()).not.toMatch(SETUP_LINES);
    expect(pg.stdout).toContain(`basketballplayer: read_only=true; receives through drainer 127.0.0.1:${drPort}`);
    expect(pg.stdout).toMatch(
      new RegExp(`replication_basketballplayer: read_only=false; syncs to basketballplayer \\(meta listener 127\\.0\\.0\\.1:${mlPort}, storage listener 127\\.0\\.0\\.1:${slPort}, drainer 127\\.0\\.0\\.1:${drPort}\\): shipping`),
    );
    const newSecondary = clientOf(PRIMARY, 'basketballplayer');
    const newPrimary = clientOf(SECONDARY, 'replication_basketballplayer');
    try {
      // Nothing of the old direction came back.
      expect(await query(newSecondary, 'GET VARIABLES read_only')).toMatchObject({ value: [true] });
      expect((await query(newSecondary, 'SHOW DRAINER CLIENTS'))['Host'] ?? []).toEqual([]);
      await expect(newSecondary.execute('SHOW SYNC STATUS')).rejects.toThrow(/SyncListenerNotFound/);
      expect(await query(newPrimary, 'GET VARIABLES read_only')).toMatchObject({ value: [false] });
      expect((await query(newPrimary, 'SHOW DRAINERS'))['Host'] ?? []).toEqual([]);
      // The new direction runs: a write on the new primary reaches the new secondary, and the lag reads 0.
      await newPrimary.execute('CREATE TAG player(name string, age int)');
      await eventually(async () => {
        await newPrimary.execute('INSERT VERTEX player(name, age) VALUES "player100":("Tim Duncan", 42)');
      }, ONLINE_TIMEOUT_MS);
      await eventually(async () => {
        expect((await query(newSecondary, 'FETCH PROP ON player "player100" YIELD player.name AS name'))['name']).toEqual(['Tim Duncan']);
        const status = await query(newPrimary, 'SHOW SYNC STATUS');
        expect(status['LogId Lag']!.every((n) => n === 0)).toBe(true);
        expect(status['Time Latency']!.every((n) => n === 0)).toBe(true);
      }, ONLINE_TIMEOUT_MS);
    } finally {
      await newSecondary.close().catch(() => undefined);
      await newPrimary.close().catch(() => undefined);
    }
    await interrupt(pg);
    await stopAll();
  }, 2 * READY_TIMEOUT_MS + 3 * ONLINE_TIMEOUT_MS + 2 * STOP_TIMEOUT_MS);

  it('--reset removes the playground data and starts from scratch', async () => {
    const pg = await startPlayground(dataPath, '--reset');
    running.push(pg);
    const removed = ['logs', 'playground-setup.json', 'primary', 'secondary', 'tls'].map((e) => join(dataPath, e)).join(', ');
    expect(pg.stdout).toContain(`--reset: removed ${removed}; starting from scratch.`);
    expect(pg.stdout).toContain('Steps 1 and 2 of the seed are done');
    expect(pg.stderr()).toMatch(/made a throwaway CA and one certificate per process/);
    expect(pg.stderr()).toMatch(/adding the listener sync/);
    await expectSeedTables();
    await interrupt(pg);
  }, READY_TIMEOUT_MS + ONLINE_TIMEOUT_MS + STOP_TIMEOUT_MS);
});
