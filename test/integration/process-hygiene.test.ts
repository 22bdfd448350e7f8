// Pins process hygiene: every process kind exits 0 after a clean stop on SIGINT, SIGTERM, or the SIGINT-then-SIGTERM pair a Ctrl-C in the playground delivers (sync live), a cluster port clash is one readable line, the playground's servers stop when the launcher dies by SIGTERM or SIGKILL, and a server started by npm stops when npm is killed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, waitExit, type ChildHandle } from '../../src/cli/children.ts';
import { firstUnavailablePort } from '../../src/cli/port-probe.ts';
import { shiftedPorts } from '../../src/cli/playground-topology.ts';
import { REPO, startCluster, stopAll, tempDir } from '../helpers/processes.ts';
import { eventually, must, setUpSync, startTopology } from '../helpers/topology.ts';

const GONE_TIMEOUT_MS = 15_000;
const PLAYGROUND_CHILDREN = 5;
const dirs: string[] = [];
const launched: ChildProcess[] = [];
const orphans: number[] = [];

afterAll(async () => {
  for (const child of launched) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const pid of orphans.filter(isAlive)) process.kill(pid, 'SIGKILL');
  await stopAll();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** PIDs whose parent is `ppid` (Linux /proc). */
function childrenOf(ppid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === ppid) out.push(Number(name));
    } catch {
      // It ended while we looked.
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

async function allGone(pids: readonly number[]): Promise<void> {
  await eventually(`processes ${pids.join(', ')} to exit`, async () => pids.every((p) => !isAlive(p)), GONE_TIMEOUT_MS, 100);
}

/** Signal(s) a child, answers its exit code; its stderr must hold no error line. */
async function stopWith(handle: ChildHandle, signals: readonly NodeJS.Signals[]): Promise<number | null> {
  for (const signal of signals) handle.child.kill(signal);
  const code = await waitExit(handle.child);
  expect(handle.stderr()).not.toMatch(/"level":"error"/);
  return code;
}

describe('exit codes', () => {
  it('every process kind exits 0 after a clean stop, also when SIGTERM and SIGINT both come, in either order', async () => {
    const t = await startTopology();
    dirs.push(t.dir);
    const { primary, secondary } = await setUpSync(t, { partitions: 3 });
    await must(primary, 'CREATE TAG player(name string)');
    await eventually('schema on the secondary', async () => (await secondary.execute('DESCRIBE TAG player')).errorCode === 0);
    await must(primary, 'INSERT VERTEX player(name) VALUES "p1":("one")');
    // The listeners' streams to the drainer are live once the write shows on the secondary.
    await eventually('the write on the secondary', async () => {
      const res = await secondary.execute('FETCH PROP ON player "p1" YIELD id(vertex)');
      return res.errorCode === 0 && (res.data?.rows.length ?? 0) === 1;
    });
    await primary.close();
    await secondary.close();
    // What a Ctrl-C in the playground delivers: SIGINT from the terminal, then SIGTERM from the playground.
    expect(await stopWith(t.drainer, ['SIGINT', 'SIGTERM'])).toBe(0);
    // The two signals of one Ctrl-C may arrive either way round.
    expect(await stopWith(t.storageListener, ['SIGTERM', 'SIGINT'])).toBe(0);
    expect(await stopWith(t.metaListener, ['SIGTERM'])).toBe(0);
    expect(await stopWith(t.secondary, ['SIGINT'])).toBe(0);
    expect(await stopWith(t.primary, ['SIGINT', 'SIGTERM'])).toBe(0);
    expect(t.drainer.stderr()).toMatch(/already stopping; signal ignored/);
  }, 120_000);

  it('a port clash in `nebula-sync cluster` is one readable line, before anything listens', async () => {
    const dir = tempDir('clash');
    dirs.push(dir);
    const first = await startCluster(join(dir, 'first'));
    const run = spawnSync(
      process.execPath,
      [BIN, 'cluster', '--port=0', `--meta_port=${first.ports.meta}`, '--storage_port=0', '--ws_http_port=0', `--data_path=${join(dir, 'second')}`],
      { cwd: REPO, encoding: 'utf8', timeout: 30_000 },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`error: cannot start the cluster: meta port ${first.ports.meta} on 127.0.0.1 is in use\n`);
  });
});

/** An offset whose 14 playground ports are free, below the ephemeral range and off the default layout. */
async function freePortOffset(): Promise<number> {
  const OFFSET_MIN = 1000;
  const OFFSET_SPAN = 8000;
  for (let attempt = 0; attempt < 50; attempt++) {
    const offset = OFFSET_MIN + Math.floor(Math.random() * OFFSET_SPAN);
    const shifted = shiftedPorts(offset);
    const numbers = [shifted.primary, shifted.secondary].flatMap((c) => Object.values(c)).concat(shifted.metaListener, shifted.storageListener, shifted.drainer, ...Object.values(shifted.syncHttp));
    const ports = numbers.map((port) => ({ port, what: '' }));
    if ((await firstUnavailablePort('127.0.0.1', ports)) === undefined) return offset;
  }
  throw new Error('no free port offset for the playground');
}

/** Starts the playground; resolves with the PIDs of its five servers once each is ready. */
async function startPlayground(): Promise<{ launcher: ChildProcess; pids: number[] }> {
  const dir = tempDir('hygiene-playground');
  dirs.push(dir);
  const launcher = spawn(
    process.execPath,
    [BIN, 'playground', `--data_path=${dir}`, `--port_offset=${await freePortOffset()}`, '--heartbeat_interval_secs=1'],
    { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  launched.push(launcher);
  const pids = await new Promise<number[]>((resolve, reject) => {
    const found: number[] = [];
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`playground servers not ready:\n${stderr}`)), 60_000);
    launcher.once('exit', (code) => reject(new Error(`playground exited ${code}:\n${stderr}`)));
    launcher.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      for (const m of chunk.toString().matchAll(/"msg":"ready","process":"[\w-]+","pid":(\d+)/g)) found.push(Number(m[1]));
      if (found.length === PLAYGROUND_CHILDREN) {
        clearTimeout(timer);
        resolve(found);
      }
    });
  });
  orphans.push(...pids);
  return { launcher, pids };
}

describe('no server outlives its launcher', () => {
  it('the playground stops every server and exits 0 on SIGTERM', async () => {
    const { launcher, pids } = await startPlayground();
    expect(pids.every(isAlive)).toBe(true);
    launcher.kill('SIGTERM');
    expect(await waitExit(launcher)).toBe(0);
    await allGone(pids);
  }, 120_000);

  it('the playground\'s servers stop by themselves when the launcher is SIGKILLed', async () => {
    const { launcher, pids } = await startPlayground();
    launcher.kill('SIGKILL');
    await waitExit(launcher);
    await allGone(pids);
  }, 120_000);

  it('a server started by npm (npx, npm start) stops when npm is SIGKILLed', async () => {
    const dir = tempDir('hygiene-npm');
    dirs.push(dir);
    const cluster = await startCluster(join(dir, 'cluster'));
    // A stand-in for npm: named npm, it runs the command under `sh -c` with npm's environment, as npx does.
    const command = `'${process.execPath}' '${BIN}' drainer --port=0 --ws_http_port=0 --meta_server_addrs=127.0.0.1:${cluster.ports.meta}`;
    const script = [
      "process.title = 'npm exec nebula-sync';",
      "const { spawn } = require('node:child_process');",
      `spawn('sh', ['-c', ${JSON.stringify(command)}], { stdio: 'inherit', env: { ...process.env, npm_lifecycle_event: 'npx' } });`,
    ].join('\n');
    const npm = spawn(process.execPath, ['-e', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    launched.push(npm);
    let stdout = '';
    npm.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    await eventually('the drainer under npm to be ready', async () => stdout.includes('nebula-sync drainer ready'));
    const [shPid] = childrenOf(npm.pid!);
    const [nodePid] = childrenOf(shPid!);
    expect(nodePid !== undefined && isAlive(nodePid)).toBe(true);
    orphans.push(nodePid!);
    npm.kill('SIGKILL');
    await allGone([nodePid!]);
  }, 60_000);
});
