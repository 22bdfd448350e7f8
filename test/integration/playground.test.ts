// Pins `nebula-sync playground`: it starts the seed's five processes with mutual TLS on every internal link (a throwaway CA made on first start, kept and reused), performs Steps 1-2 (hosts ONLINE, SHOW LISTENER SYNC with 16 ONLINE rows, SHOW DRAINERS, read_only), stops every child on SIGINT, and resumes on the same data folder without redoing or failing any step.
// The playground's ports are fixed (9669, 9671, 9559, ...), so no other test may use them.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient } from '@nebula-contrib/nebula-nodejs';
import { BIN, waitExit } from '../../src/cli/children.ts';
import { rpcPackage } from '../../src/server/rpc/proto.ts';
import { REPO, tempDir } from '../helpers/processes.ts';

type NebulaClient = ReturnType<typeof createClient>;
type Columns = Record<string, unknown[]>;

/** Generous: the playground starts five processes, then waits for them to register. */
const READY_TIMEOUT_MS = 90_000;
/** How long the listeners may take to report shipping once the sync is set up. */
const ONLINE_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 30_000;
const PRIMARY = '127.0.0.1:9669';
const SECONDARY = '127.0.0.1:9671';

interface Playground {
  readonly child: ChildProcess;
  readonly readyLine: string;
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

async function startPlayground(dataPath: string): Promise<Playground> {
  const child = spawn(process.execPath, [BIN, 'playground', `--data_path=${dataPath}`, '--heartbeat_interval_secs=1'], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const readyLine = await new Promise<string>((resolve, reject) => {
    let stdout = '';
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
  return { child, readyLine, childPids: childPidsOf(child.pid!), stderr: () => stderr };
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
    expect(storageListeners).toMatchObject({ Host: ['127.0.0.1'], Port: [9789], Status: ['ONLINE'], Role: ['STORAGE_LISTENER'] });
    const metaListeners = await query(primary, 'SHOW HOSTS META LISTENER');
    expect(metaListeners).toMatchObject({ Host: ['127.0.0.1'], Port: [9569], Status: ['ONLINE'], Role: ['META_LISTENER'] });
    expect(await query(primary, 'SHOW DRAINER CLIENTS')).toEqual({ Type: ['DRAINER'], Host: ['127.0.0.1'], Port: [9889] });
    await eventually(async () => {
      const sync = await query(primary, 'SHOW LISTENER SYNC');
      expect(sync).toEqual({
        PartId: Array.from({ length: 16 }, (_, i) => i),
        Type: Array(16).fill('SYNC'),
        Host: ['"127.0.0.1":9569', ...Array(15).fill('"127.0.0.1":9789')],
        SpaceName: Array(16).fill('replication_basketballplayer'),
        Status: Array(16).fill('ONLINE'),
      });
    }, ONLINE_TIMEOUT_MS);

    const drainerHosts = await query(secondary, 'SHOW HOSTS DRAINER');
    expect(drainerHosts).toMatchObject({ Host: ['127.0.0.1'], Port: [9889], Status: ['ONLINE'], Role: ['DRAINER'] });
    expect(await query(secondary, 'SHOW DRAINERS')).toEqual({ Host: ['"127.0.0.1":9889'], Status: ['ONLINE'] });
    expect(await query(secondary, 'GET VARIABLES read_only')).toEqual({ name: ['read_only'], type: ['bool'], value: [true] });
  } finally {
    await primary.close().catch(() => undefined);
    await secondary.close().catch(() => undefined);
  }
}

/** Internal links are mutual TLS: every process's /status says so, and a plaintext Meta.Health gets nothing. */
async function expectMutualTls(): Promise<void> {
  for (const port of [19669, 19671]) {
    const status = await (await fetch(`http://127.0.0.1:${port}/status`)).json();
    expect(status).toMatchObject({ status: 'running', internal_links: 'mtls', graph_ssl: false });
  }
  // The listeners and the drainer answer on their own HTTP ports (10000 + their service port).
  for (const [port, role] of [[19569, 'META_LISTENER'], [19789, 'STORAGE_LISTENER'], [19889, 'DRAINER']] as const) {
    expect(await (await fetch(`http://127.0.0.1:${port}/status`)).json()).toMatchObject({ status: 'running', role, internal_links: 'mtls' });
  }
  expect((await fetch('http://127.0.0.1:19669/dashboard')).status).toBe(200);
  const Meta = rpcPackage()['Meta'] as grpc.ServiceClientConstructor;
  const meta = new Meta('127.0.0.1:9559', grpc.credentials.createInsecure()) as grpc.Client & Record<string, Function>;
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
let caPem = '';

afterAll(async () => {
  // A failed test must not leave the fixed ports taken: stop whatever still runs.
  for (const pg of running) {
    if (pg.child.exitCode === null && pg.child.signalCode === null) pg.child.kill('SIGINT');
    await waitExit(pg.child);
    for (const pid of pg.childPids.filter(isAlive)) process.kill(pid, 'SIGKILL');
  }
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

  it('resumes on the same folder: nothing is added twice and the tables are the same', async () => {
    const pg = await startPlayground(dataPath);
    running.push(pg);
    expect(pg.childPids).toHaveLength(5);
    await expectSeedTables();
    // Every setup step found its work already done.
    expect(pg.stderr()).not.toMatch(/adding storage host|signing in the drainer service|adding the listener sync|adding the drainer/);
    expect(pg.stderr()).not.toMatch(/"level":"error"/);
    // The same CA and certificates, so the resumed processes still trust each other.
    expect(pg.stderr()).toMatch(/reusing the TLS certificates/);
    expect(readFileSync(join(dataPath, 'tls', 'ca.pem'), 'utf8')).toBe(caPem);
    await expectMutualTls();
    await interrupt(pg);
  }, READY_TIMEOUT_MS + ONLINE_TIMEOUT_MS + STOP_TIMEOUT_MS);
});
