/**
 * The seed's topology as real processes on loopback: a primary cluster, a secondary cluster, a meta
 * listener, a storage listener and a drainer, each its own `nebula-sync` process on free ports,
 * plus the seed's Steps 1-2 run through our client. Rule tests restart any of them by name.
 * With `tls`, every internal link is mutual TLS, with a throwaway CA and one certificate per
 * process made in the topology's folder (src/cli/tls-certs.ts); graph ports stay plaintext.
 * `startReverse` adds the listener pair and the drainer of the other direction (switchover, cycles).
 */
import { join } from 'node:path';
import { GraphClient } from '../../src/client/graph-client.ts';
import type { ExecutionResponse } from '../../src/server/graph-handler.ts';
import { start, startCluster, tempDir, type ClusterProcess } from './processes.ts';
import type { ChildHandle } from '../../src/cli/children.ts';
import { ensureCerts, internalTlsFlags, type DeploymentCerts } from '../../src/cli/tls-certs.ts';

export const PRIMARY_SPACE = 'basketballplayer';
export const TARGET_SPACE = 'replication_basketballplayer';

export interface TopologyOptions {
  readonly partitions?: number;
  readonly targetPartitions?: number;
  readonly walTtlSecs?: number;
  /** Extra flags for both clusters. */
  readonly clusterFlags?: readonly string[];
  /** Mutual TLS on every internal link (--enable_meta_ssl), certificates in `<dir>/tls`. */
  readonly tls?: boolean;
}

/** The topology's process names, which are also their certificate names. */
export const PROCESS_NAMES = ['primary', 'secondary', 'metaListener', 'storageListener', 'drainer'] as const;
export type ProcessName = (typeof PROCESS_NAMES)[number];

export interface Topology {
  readonly dir: string;
  primary: ClusterProcess;
  secondary: ClusterProcess;
  metaListener: ChildHandle;
  storageListener: ChildHandle;
  drainer: ChildHandle;
  readonly ports: { metaListener: number; storageListener: number; drainer: number };
  /** The CA and per-process certificates when started with `tls`. */
  readonly certs: DeploymentCerts | undefined;
  /** Restart one process on the same data folder and ports (after stop or kill9). */
  restart(name: ProcessName): Promise<void>;
}

/** Make (or reuse) the topology's CA and one certificate per process in `<dir>/tls`. */
export function topologyCerts(dir: string): DeploymentCerts {
  const certs = ensureCerts(join(dir, 'tls'), PROCESS_NAMES.map((name) => ({ name })));
  if (certs instanceof Error) throw certs;
  return certs;
}

/** The TLS flags of one process of the topology (none without certificates). */
function tlsFlags(certs: DeploymentCerts | undefined, name: ProcessName): string[] {
  return certs === undefined ? [] : internalTlsFlags(certs.files.get(name)!);
}

function clusterFlags(o: TopologyOptions, certs: DeploymentCerts | undefined, name: ProcessName, ports?: ClusterProcess['ports']): string[] {
  const flags = ['--enable_authorize=true', `--wal_fsync=false`, ...(o.clusterFlags ?? []), ...tlsFlags(certs, name)];
  if (o.walTtlSecs !== undefined) flags.push(`--wal_ttl=${o.walTtlSecs}`);
  if (ports) {
    flags.push(`--port=${ports.graph}`, `--meta_port=${ports.meta}`, `--storage_port=${ports.storage}`, `--ws_http_port=${ports.http}`);
  }
  return flags;
}

async function startListener(role: 'meta' | 'storage', primaryMeta: number, certs: DeploymentCerts | undefined, port = 0): Promise<ChildHandle> {
  return start('listener', [
    ...tlsFlags(certs, role === 'meta' ? 'metaListener' : 'storageListener'),
    `--role=${role}`,
    '--local_ip=127.0.0.1',
    `--port=${port}`,
    '--ws_http_port=0',
    `--meta_server_addrs=127.0.0.1:${primaryMeta}`,
    '--heartbeat_interval_secs=1',
  ]);
}

async function startDrainer(secondaryMeta: number, certs: DeploymentCerts | undefined, port = 0): Promise<ChildHandle> {
  return start('drainer', [...tlsFlags(certs, 'drainer'), '--local_ip=127.0.0.1', `--port=${port}`, '--ws_http_port=0', `--meta_server_addrs=127.0.0.1:${secondaryMeta}`, '--heartbeat_interval_secs=1']);
}

/** Start the five processes (no statements run yet). */
export async function startTopology(options: TopologyOptions = {}): Promise<Topology> {
  const dir = tempDir('topology');
  const certs = options.tls === true ? topologyCerts(dir) : undefined;
  // Clusters restart on the ports they first got, so listeners and drainers find them again.
  const primary = await startCluster(join(dir, 'primary'), clusterFlags(options, certs, 'primary'));
  const secondary = await startCluster(join(dir, 'secondary'), clusterFlags(options, certs, 'secondary'));
  const metaListener = await startListener('meta', primary.ports.meta, certs);
  const storageListener = await startListener('storage', primary.ports.meta, certs);
  const drainer = await startDrainer(secondary.ports.meta, certs);
  const ports = {
    metaListener: Number(metaListener.ready['port']),
    storageListener: Number(storageListener.ready['port']),
    drainer: Number(drainer.ready['port']),
  };
  const topology: Topology = {
    dir,
    primary,
    secondary,
    metaListener,
    storageListener,
    drainer,
    ports,
    certs,
    restart: async (name) => {
      switch (name) {
        case 'primary':
          topology.primary = await startCluster(join(dir, 'primary'), clusterFlags(options, certs, 'primary', topology.primary.ports));
          return;
        case 'secondary':
          topology.secondary = await startCluster(join(dir, 'secondary'), clusterFlags(options, certs, 'secondary', topology.secondary.ports));
          return;
        case 'metaListener':
          topology.metaListener = await startListener('meta', topology.primary.ports.meta, certs, ports.metaListener);
          return;
        case 'storageListener':
          topology.storageListener = await startListener('storage', topology.primary.ports.meta, certs, ports.storageListener);
          return;
        case 'drainer':
          topology.drainer = await startDrainer(topology.secondary.ports.meta, certs, ports.drainer);
          return;
      }
    },
  };
  return topology;
}

/** The reverse direction's processes, as the seed's switchover needs them ("Before the switching..."). */
export const REVERSE_NAMES = ['reverseMetaListener', 'reverseStorageListener', 'reverseDrainer'] as const;
export type ReverseName = (typeof REVERSE_NAMES)[number];

/**
 * A listener pair for the secondary (the new primary after a switchover: they heartbeat to the
 * secondary's meta) and a drainer for the primary (the new secondary: it writes there), as the
 * seed's 192.168.10.105 and .106. Started on free ports with the topology's certificates, if any.
 */
export interface Reverse {
  metaListener: ChildHandle;
  storageListener: ChildHandle;
  drainer: ChildHandle;
  readonly ports: { metaListener: number; storageListener: number; drainer: number };
  /** Restart one of them on the same port (after stop or kill9). */
  restart(name: ReverseName): Promise<void>;
}

export async function startReverse(t: Topology): Promise<Reverse> {
  let certs: DeploymentCerts | undefined;
  if (t.certs !== undefined) {
    const made = ensureCerts(join(t.dir, 'tls'), REVERSE_NAMES.map((name) => ({ name })));
    if (made instanceof Error) throw made;
    certs = made;
  }
  const flags = (name: ReverseName) => (certs === undefined ? [] : internalTlsFlags(certs.files.get(name)!));
  const listener = (role: 'meta' | 'storage', port = 0) =>
    start('listener', [
      ...flags(role === 'meta' ? 'reverseMetaListener' : 'reverseStorageListener'),
      `--role=${role}`,
      '--local_ip=127.0.0.1',
      `--port=${port}`,
      '--ws_http_port=0',
      `--meta_server_addrs=127.0.0.1:${t.secondary.ports.meta}`,
      '--heartbeat_interval_secs=1',
    ]);
  const drainer = (port = 0) =>
    start('drainer', [...flags('reverseDrainer'), '--local_ip=127.0.0.1', `--port=${port}`, '--ws_http_port=0', `--meta_server_addrs=127.0.0.1:${t.primary.ports.meta}`, '--heartbeat_interval_secs=1']);
  const [metaListener, storageListener, reverseDrainer] = await Promise.all([listener('meta'), listener('storage'), drainer()]);
  const ports = {
    metaListener: Number(metaListener.ready['port']),
    storageListener: Number(storageListener.ready['port']),
    drainer: Number(reverseDrainer.ready['port']),
  };
  const reverse: Reverse = {
    metaListener,
    storageListener,
    drainer: reverseDrainer,
    ports,
    restart: async (name) => {
      if (name === 'reverseMetaListener') reverse.metaListener = await listener('meta', ports.metaListener);
      else if (name === 'reverseStorageListener') reverse.storageListener = await listener('storage', ports.storageListener);
      else reverse.drainer = await drainer(ports.drainer);
    },
  };
  return reverse;
}

/** A root session on a cluster's graph port, optionally in a space. */
export async function rootClient(port: number, space?: string): Promise<GraphClient> {
  const client = await GraphClient.connect({ host: '127.0.0.1', port, timeoutMs: 30_000 });
  const auth = await client.authenticate('root', 'nebula');
  if (!auth.ok) throw new Error(auth.error.message);
  if (space !== undefined) await must(client, `USE ${space}`);
  return client;
}

/** The values of column `name` of an answer, row by row. */
export function column(res: ExecutionResponse, name: string): unknown[] {
  const i = res.data!.columns.indexOf(name);
  return res.data!.rows.map((row) => row[i]);
}

/** Execute and throw on an error answer. */
export async function must(client: GraphClient, stmt: string): Promise<ExecutionResponse> {
  const res = await client.execute(stmt);
  if (res.errorCode !== 0) throw new Error(`${stmt}: [${res.errorCode}] ${res.errorMsg}`);
  return res;
}

/** Poll `check` until it answers true (bounded). */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 30_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The seed's Steps 1-2 with this topology's addresses; answers root clients in both spaces. */
export async function setUpSync(t: Topology, options: TopologyOptions = {}): Promise<{ primary: GraphClient; secondary: GraphClient }> {
  const parts = options.partitions ?? 15;
  const targetParts = options.targetPartitions ?? parts;
  const p = await rootClient(t.primary.ports.graph);
  await must(p, `ADD HOSTS 127.0.0.1:${t.primary.ports.storage}`);
  const s = await rootClient(t.secondary.ports.graph);
  await must(s, `ADD HOSTS 127.0.0.1:${t.secondary.ports.storage}`);
  await must(p, `CREATE SPACE ${PRIMARY_SPACE}(partition_num=${parts}, replica_factor=1, vid_type=fixed_string(30))`);
  await must(p, `USE ${PRIMARY_SPACE}`);
  await must(p, `SIGN IN DRAINER SERVICE(127.0.0.1:${t.ports.drainer})`);
  await must(
    p,
    `ADD LISTENER SYNC META 127.0.0.1:${t.ports.metaListener} STORAGE 127.0.0.1:${t.ports.storageListener} TO SPACE ${TARGET_SPACE}`,
  );
  await must(s, `CREATE SPACE ${TARGET_SPACE}(partition_num=${targetParts}, replica_factor=1, vid_type=fixed_string(30))`);
  await must(s, `USE ${TARGET_SPACE}`);
  await must(s, `ADD DRAINER 127.0.0.1:${t.ports.drainer}`);
  await must(s, 'SET VARIABLES read_only=true');
  return { primary: p, secondary: s };
}

/** Every vertex and edge of the current space as sorted text lines, for comparing two spaces. */
export async function dumpSpace(client: GraphClient, vids: readonly string[], tag = 'player', edge = 'follow'): Promise<string[]> {
  const lines: string[] = [];
  for (let i = 0; i < vids.length; i += 500) {
    const batch = vids.slice(i, i + 500).map((v) => JSON.stringify(v)).join(', ');
    const v = await must(client, `FETCH PROP ON ${tag} ${batch} YIELD id(vertex) AS id, properties(vertex) AS p`);
    for (const row of v.data?.rows ?? []) lines.push(`V ${text(row)}`);
    const e = await must(client, `GO FROM ${batch} OVER ${edge} YIELD src(edge) AS s, dst(edge) AS d, rank(edge) AS r, properties(edge) AS p`);
    for (const row of e.data?.rows ?? []) lines.push(`E ${text(row)}`);
  }
  return lines.sort();
}

function text(row: readonly unknown[]): string {
  return JSON.stringify(row, (_k, v) =>
    typeof v === 'bigint' ? v.toString() : v instanceof Map ? Object.fromEntries([...v.entries()].sort()) : v,
  );
}
