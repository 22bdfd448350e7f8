/**
 * The seed's five processes for the sync benchmark, started with `startChild` on free loopback
 * ports, and the statements that connect them (Steps 1-2). With `tls`, every internal link is
 * mutual TLS (a throwaway CA and one certificate per process in the run's temp folder). With
 * `pin`, each process is bound to CPUs with `taskset` (Linux) as soon as it is ready: the
 * primary to `pin.primary`, the other four to `pin.rest`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterPorts, startChild, type ChildHandle, type ClusterPorts } from '../src/cli/children.ts';
import { ensureCerts, internalTlsFlags, type DeploymentCerts } from '../src/cli/tls-certs.ts';
import { GraphClient } from '../src/client/graph-client.ts';
import { cpuMs, peakRssMiB } from './measure.ts';

export interface BenchTopology {
  readonly primary: ChildHandle & { ports: ClusterPorts };
  readonly secondary: (ChildHandle & { ports: ClusterPorts }) | undefined;
  readonly metaListener: ChildHandle | undefined;
  readonly storageListener: ChildHandle | undefined;
  readonly drainer: ChildHandle | undefined;
  /** Peak RSS (MiB) of each process started, by name. */
  peakRss(): Record<string, number>;
  /** CPU time (ms) each process started has used so far, by name; this process as "bench". */
  cpu(): Record<string, number>;
  close(): Promise<void>;
}

/** Bind every thread of `pid` to `cpus` (a taskset list, e.g. "0" or "0-1"); false when it cannot. */
export function pinTo(pid: number, cpus: string): boolean {
  const r = spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { encoding: 'utf8' });
  return r.status === 0;
}

const PROCESSES = ['primary', 'secondary', 'meta-listener', 'storage-listener', 'drainer'] as const;

/** The TLS flags of one process, or none when the run is plaintext. */
function tlsOf(certs: DeploymentCerts | undefined, name: (typeof PROCESSES)[number]): string[] {
  return certs === undefined ? [] : internalTlsFlags(certs.files.get(name)!);
}

async function cluster(dir: string, name: string, walTtlSecs: number, fsync: boolean, tls: string[]): Promise<ChildHandle & { ports: ClusterPorts }> {
  const child = await startChild('cluster', [
    '--port=0', '--meta_port=0', '--storage_port=0', '--ws_http_port=0', `--data_path=${join(dir, name)}`,
    `--wal_ttl=${walTtlSecs}`, '--heartbeat_interval_secs=1', `--wal_fsync=${fsync}`, ...tls,
  ]);
  return Object.assign(child, { ports: clusterPorts(child.ready) });
}

/** Start a primary, and unless `syncOff` the secondary, both listeners and the drainer. */
export async function startBenchTopology(
  options: { syncOff?: boolean; walTtlSecs?: number; fsync?: boolean; tls?: boolean; pin?: { primary: string; rest: string } } = {},
): Promise<BenchTopology> {
  const dir = mkdtempSync(join(tmpdir(), 'nebula-sync-bench-'));
  const ttl = options.walTtlSecs ?? 14400;
  const fsync = options.fsync ?? true;
  let certs: DeploymentCerts | undefined;
  if (options.tls === true) {
    const made = ensureCerts(join(dir, 'tls'), PROCESSES.map((name) => ({ name })));
    if (made instanceof Error) throw made;
    certs = made;
  }
  const primary = await cluster(dir, 'primary', ttl, fsync, tlsOf(certs, 'primary'));
  let secondary, metaListener, storageListener, drainer;
  if (!options.syncOff) {
    secondary = await cluster(dir, 'secondary', ttl, fsync, tlsOf(certs, 'secondary'));
    const meta = `--meta_server_addrs=127.0.0.1:${primary.ports.meta}`;
    metaListener = await startChild('listener', ['--role=meta', '--port=0', '--ws_http_port=0', meta, '--heartbeat_interval_secs=1', ...tlsOf(certs, 'meta-listener')]);
    storageListener = await startChild('listener', ['--role=storage', '--port=0', '--ws_http_port=0', meta, '--heartbeat_interval_secs=1', ...tlsOf(certs, 'storage-listener')]);
    const secondaryMeta = `--meta_server_addrs=127.0.0.1:${secondary.ports.meta}`;
    drainer = await startChild('drainer', ['--port=0', '--ws_http_port=0', secondaryMeta, '--heartbeat_interval_secs=1', ...tlsOf(certs, 'drainer')]);
  }
  const all = [drainer, storageListener, metaListener, secondary, primary];
  if (options.pin !== undefined) {
    for (const c of all) if (c && !pinTo(c.pid, c === primary ? options.pin.primary : options.pin.rest)) throw new Error('taskset failed');
  }
  const named = { primary, secondary, 'meta listener': metaListener, 'storage listener': storageListener, drainer };
  return {
    primary,
    secondary,
    metaListener,
    storageListener,
    drainer,
    peakRss: () => Object.fromEntries(Object.entries(named).flatMap(([name, c]) => (c ? [[name, peakRssMiB(c.pid)]] : []))),
    cpu: () => ({ ...Object.fromEntries(Object.entries(named).flatMap(([name, c]) => (c ? [[name, cpuMs(c.pid)]] : []))), bench: cpuMs(process.pid) }),
    close: async () => {
      for (const c of all) if (c) await c.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function client(port: number, space?: string): Promise<GraphClient> {
  const c = await GraphClient.connect({ host: '127.0.0.1', port, timeoutMs: 120_000 });
  const auth = await c.authenticate('root', 'nebula');
  if (!auth.ok) throw new Error(auth.error.message);
  if (space) await run(c, `USE ${space}`);
  return c;
}

export async function run(c: GraphClient, stmt: string) {
  const res = await c.execute(stmt);
  if (res.errorCode !== 0) throw new Error(`${stmt.slice(0, 80)}: ${res.errorMsg}`);
  return res;
}

export const SPACE = 'bench';
export const TARGET = 'bench_replica';

/** Hosts, the primary space with its schema and (unless sync is off) Steps 1-2 towards TARGET. */
export async function setUp(t: BenchTopology, options: { listenerSync?: boolean } = {}): Promise<{ p: GraphClient; s?: GraphClient }> {
  const p = await client(t.primary.ports.graph);
  await run(p, `ADD HOSTS 127.0.0.1:${t.primary.ports.storage}`);
  await run(p, `CREATE SPACE ${SPACE}(partition_num=15, replica_factor=1, vid_type=fixed_string(32))`);
  await run(p, `USE ${SPACE}`);
  await run(p, 'CREATE TAG player(name string, age int, seq int)');
  if (t.secondary === undefined) return { p };
  const s = await client(t.secondary.ports.graph);
  await run(s, `ADD HOSTS 127.0.0.1:${t.secondary.ports.storage}`);
  await run(s, `CREATE SPACE ${TARGET}(partition_num=15, replica_factor=1, vid_type=fixed_string(32))`);
  await run(s, `USE ${TARGET}`);
  await run(s, `ADD DRAINER 127.0.0.1:${t.drainer!.ready['port']}`);
  await run(s, 'SET VARIABLES read_only=true');
  await run(p, `SIGN IN DRAINER SERVICE(127.0.0.1:${t.drainer!.ready['port']})`);
  if (options.listenerSync !== false) {
    await addListenerSync(t, p);
    await waitForSchema(s);
  }
  return { p, s };
}

/** Bound on the schema reaching the secondary after ADD LISTENER SYNC. */
const SCHEMA_WAIT_MS = 60_000;

/** Resolves once the secondary knows tag `player` (the meta listener shipped it). */
export async function waitForSchema(s: GraphClient): Promise<void> {
  const deadline = Date.now() + SCHEMA_WAIT_MS;
  while ((await s.execute('FETCH PROP ON player "none" YIELD player.seq')).errorCode !== 0) {
    if (Date.now() > deadline) throw new Error('the schema did not reach the secondary in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function addListenerSync(t: BenchTopology, p: GraphClient): Promise<void> {
  await run(
    p,
    `ADD LISTENER SYNC META 127.0.0.1:${t.metaListener!.ready['port']} STORAGE 127.0.0.1:${t.storageListener!.ready['port']} TO SPACE ${TARGET}`,
  );
}

/** Resolves when every partition's LogId Lag on the primary is 0 (all acknowledged downstream). */
export async function waitCaughtUp(p: GraphClient, timeoutMs = 600_000, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await p.execute('SHOW SYNC STATUS');
    if (res.errorCode === 0 && res.data!.rows.length > 0 && res.data!.rows.every((r) => r[2] === 0n && r[1] === 'ONLINE')) return;
    if (Date.now() > deadline) throw new Error('sync did not catch up in time');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
