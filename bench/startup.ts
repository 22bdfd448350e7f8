/**
 * `npm run bench -- startup`: how long the command line takes to be useful, as a new user feels it.
 * Prints the median wall time of `nebula-sync --help` (a whole process, spawn to exit), the time
 * from spawn to the `ready` line of each process kind (cluster, meta listener, storage listener,
 * drainer; median of several starts) and the idle RSS of each kind once ready: the process and
 * its descendants, so a helper process a loader keeps beside it counts too.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BIN, clusterPorts, startChild, type ChildHandle } from '../src/cli/children.ts';
import type { StartupBenchOptions } from './defaults.ts';
import { fmt, percentile } from './measure.ts';

/** How long a process sits idle after its ready line before its RSS is read. */
const IDLE_SETTLE_MS = 2_000;

const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `nebula-sync-${prefix}-`));

const median = (values: readonly number[]): number => percentile([...values].sort((a, b) => a - b), 50);

/** Resident set size of `pid` and every descendant, in MiB (Linux /proc), or NaN. */
export function treeRssMiB(pid: number): number {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parentOf) if (parent === tree[i]) tree.push(child);
  }
  let kb = 0;
  for (const p of tree) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      if (p === pid) return NaN;
    }
  }
  return kb / 1024;
}

function helpWallMs(): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8', timeout: 60_000 });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`nebula-sync --help exited ${String(run.status)}: ${run.stderr}`);
  return ms;
}

interface Kind {
  readonly name: string;
  readonly command: string;
  readonly args: (dataPath: string) => string[];
}

/** Starts `kind` `runs` times; answers spawn-to-ready times and the idle RSS of the last start. */
async function measureKind(kind: Kind, runs: number): Promise<{ readyMs: number[]; rssMiB: number }> {
  const readyMs: number[] = [];
  let rssMiB = NaN;
  for (let i = 0; i < runs; i++) {
    const dataPath = tempDir(`startup-${kind.command}`);
    let handle: ChildHandle | undefined;
    try {
      const started = performance.now();
      handle = await startChild(kind.command, kind.args(dataPath));
      readyMs.push(performance.now() - started);
      if (i === runs - 1) {
        await new Promise((r) => setTimeout(r, IDLE_SETTLE_MS));
        rssMiB = treeRssMiB(handle.pid);
      }
    } finally {
      await handle?.stop();
      rmSync(dataPath, { recursive: true, force: true });
    }
  }
  return { readyMs, rssMiB };
}

export async function runStartupBench(o: StartupBenchOptions): Promise<void> {
  console.log(`nebula-sync start-up (${BIN}), median of ${o.runs} runs`);
  const help: number[] = [];
  for (let i = 0; i < o.runs; i++) help.push(helpWallMs());
  console.log(`  --help wall time           ${fmt(median(help), 0)} ms  (min ${fmt(Math.min(...help), 0)}, max ${fmt(Math.max(...help), 0)})`);

  // The listeners and the drainer register with a cluster's meta service; one serves them all.
  const clusterDir = tempDir('startup-meta');
  const flags = ['--local_ip=127.0.0.1', '--port=0', '--heartbeat_interval_secs=10'];
  const meta = await startChild('cluster', [...flags.slice(0, 2), '--meta_port=0', '--storage_port=0', '--ws_http_port=0', `--data_path=${clusterDir}`]);
  try {
    const metaAddr = `--meta_server_addrs=127.0.0.1:${clusterPorts(meta.ready).meta}`;
    const kinds: Kind[] = [
      {
        name: 'cluster',
        command: 'cluster',
        args: (d) => [...flags, '--meta_port=0', '--storage_port=0', '--ws_http_port=0', `--data_path=${d}`],
      },
      { name: 'listener (meta)', command: 'listener', args: () => [...flags, '--ws_http_port=0', '--role=meta', metaAddr] },
      { name: 'listener (storage)', command: 'listener', args: () => [...flags, '--ws_http_port=0', '--role=storage', metaAddr] },
      { name: 'drainer', command: 'drainer', args: (d) => [...flags, '--ws_http_port=0', metaAddr, `--data_path=${d}`] },
    ];
    console.log('  process kind         spawn to ready (median, min-max)   idle RSS');
    for (const kind of kinds) {
      const { readyMs, rssMiB } = await measureKind(kind, o.runs);
      const range = `${fmt(Math.min(...readyMs), 0)}-${fmt(Math.max(...readyMs), 0)}`;
      console.log(`  ${kind.name.padEnd(20)} ${`${fmt(median(readyMs), 0)} ms`.padStart(8)}  (${range} ms)`.padEnd(57) + `${fmt(rssMiB, 0)} MiB`);
    }
  } finally {
    await meta.stop();
    rmSync(clusterDir, { recursive: true, force: true });
  }
}
