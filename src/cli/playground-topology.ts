/**
 * The playground's fixed layout: which processes run, on which loopback ports, with which flags,
 * and which machine of the seed's test environment each one stands for. Ports are fixed (the
 * seed's defaults, the secondary shifted by 2) so the console commands printed stay the same.
 * Every internal link runs mutual TLS with certificates in `<data_path>/tls` (made on first start
 * by src/cli/tls-certs.ts); the graph ports stay plaintext, so clients connect as the seed's do.
 */
import { join } from 'node:path';
import { certFilesIn, internalTlsFlags, type CertSubject } from './tls-certs.ts';

export const LOOPBACK = '127.0.0.1';
export const PRIMARY_SPACE = 'basketballplayer';
export const TARGET_SPACE = 'replication_basketballplayer';
/** The seed's CREATE SPACE options, used for both spaces. */
export const SPACE_OPTIONS = 'partition_num=15, replica_factor=1, vid_type=fixed_string(30)';
export const ROOT_USER = 'root';
export const ROOT_PASSWORD = 'nebula';

export const PORTS = {
  primary: { graph: 9669, meta: 9559, storage: 9779, http: 19669 },
  secondary: { graph: 9671, meta: 9561, storage: 9781, http: 19671 },
  metaListener: 9569,
  storageListener: 9789,
  drainer: 9889,
  /** HTTP ports of the listeners and the drainer: 10000 + the service port, as NebulaGraph's daemons. */
  syncHttp: { metaListener: 19569, storageListener: 19789, drainer: 19889 },
} as const;

interface ClusterPorts {
  readonly graph: number;
  readonly meta: number;
  readonly storage: number;
  readonly http: number;
}

/** Every port of the layout: PORTS, or PORTS shifted by --port_offset. */
export interface PlaygroundPorts {
  readonly primary: ClusterPorts;
  readonly secondary: ClusterPorts;
  readonly metaListener: number;
  readonly storageListener: number;
  readonly drainer: number;
  readonly syncHttp: { readonly metaListener: number; readonly storageListener: number; readonly drainer: number };
}

const shiftCluster = (c: ClusterPorts, by: number): ClusterPorts => ({ graph: c.graph + by, meta: c.meta + by, storage: c.storage + by, http: c.http + by });

/** PORTS with `offset` added to each one (0: the seed's ports). */
export function shiftedPorts(offset: number): PlaygroundPorts {
  return {
    primary: shiftCluster(PORTS.primary, offset),
    secondary: shiftCluster(PORTS.secondary, offset),
    metaListener: PORTS.metaListener + offset,
    storageListener: PORTS.storageListener + offset,
    drainer: PORTS.drainer + offset,
    syncHttp: {
      metaListener: PORTS.syncHttp.metaListener + offset,
      storageListener: PORTS.syncHttp.storageListener + offset,
      drainer: PORTS.syncHttp.drainer + offset,
    },
  };
}

/** The highest port of the layout, so that an offset can be checked against 65535. */
export const PORTS_MAX = Math.max(...Object.values(PORTS).flatMap((p) => (typeof p === 'number' ? [p] : Object.values(p))));

/** One process the playground starts. */
export interface PlaygroundProcess {
  /** Short name, also its data sub-folder and log file name. */
  readonly name: string;
  /** What a person calls it. */
  readonly title: string;
  /** The `nebula-sync <command>` it runs. */
  readonly command: 'cluster' | 'listener' | 'drainer';
  readonly args: readonly string[];
  /** Every port it binds, with what listens there. */
  readonly ports: readonly { readonly port: number; readonly what: string }[];
  /** The seed machine it stands for. */
  readonly seedMachine: string;
}

export interface PlaygroundLayout {
  readonly dataPath: string;
  readonly ports: PlaygroundPorts;
  readonly logDir: string;
  /** The throwaway CA and every process's certificate. */
  readonly tlsDir: string;
  /** Started first, together. */
  readonly clusters: readonly PlaygroundProcess[];
  /** Started once the clusters are ready, together. */
  readonly syncProcesses: readonly PlaygroundProcess[];
}

const addr = (port: number): string => `${LOOPBACK}:${port}`;

function clusterProcess(
  name: string,
  title: string,
  ports: ClusterPorts,
  seedMachine: string,
  dataPath: string,
  heartbeatSecs: number,
  tlsDir: string,
): PlaygroundProcess {
  return {
    name,
    title,
    command: 'cluster',
    seedMachine,
    args: [
      `--local_ip=${LOOPBACK}`,
      `--port=${ports.graph}`,
      `--meta_port=${ports.meta}`,
      `--storage_port=${ports.storage}`,
      `--ws_http_port=${ports.http}`,
      `--meta_server_addrs=${addr(ports.meta)}`,
      `--data_path=${join(dataPath, name)}`,
      '--enable_authorize=true',
      `--heartbeat_interval_secs=${heartbeatSecs}`,
      ...internalTlsFlags(certFilesIn(tlsDir, name)),
    ],
    ports: [
      { port: ports.graph, what: `${title} graph service` },
      { port: ports.meta, what: `${title} meta service` },
      { port: ports.storage, what: `${title} storage service` },
      { port: ports.http, what: `${title} HTTP (status, metrics, dashboard)` },
    ],
  };
}

/** The five processes of the seed's test environment, with their data under `dataPath`. */
export function playgroundLayout(dataPath: string, heartbeatSecs: number, ports: PlaygroundPorts = PORTS): PlaygroundLayout {
  const tlsDir = join(dataPath, 'tls');
  const common = (name: string) => [
    `--local_ip=${LOOPBACK}`,
    `--data_path=${join(dataPath, name)}`,
    `--heartbeat_interval_secs=${heartbeatSecs}`,
    ...internalTlsFlags(certFilesIn(tlsDir, name)),
  ];
  return {
    dataPath,
    ports,
    logDir: join(dataPath, 'logs'),
    tlsDir,
    clusters: [
      clusterProcess('primary', 'primary cluster', ports.primary, '192.168.10.101', dataPath, heartbeatSecs, tlsDir),
      clusterProcess('secondary', 'secondary cluster', ports.secondary, '192.168.10.102', dataPath, heartbeatSecs, tlsDir),
    ],
    syncProcesses: [
      {
        name: 'meta-listener',
        title: 'meta listener',
        command: 'listener',
        seedMachine: '192.168.10.103',
        args: ['--role=meta', ...common('meta-listener'), `--port=${ports.metaListener}`, `--ws_http_port=${ports.syncHttp.metaListener}`, `--meta_server_addrs=${addr(ports.primary.meta)}`],
        ports: [
          { port: ports.metaListener, what: 'meta listener' },
          { port: ports.syncHttp.metaListener, what: 'meta listener HTTP' },
        ],
      },
      {
        name: 'storage-listener',
        title: 'storage listener',
        command: 'listener',
        seedMachine: '192.168.10.103',
        args: ['--role=storage', ...common('storage-listener'), `--port=${ports.storageListener}`, `--ws_http_port=${ports.syncHttp.storageListener}`, `--meta_server_addrs=${addr(ports.primary.meta)}`],
        ports: [
          { port: ports.storageListener, what: 'storage listener' },
          { port: ports.syncHttp.storageListener, what: 'storage listener HTTP' },
        ],
      },
      {
        name: 'drainer',
        title: 'drainer',
        command: 'drainer',
        seedMachine: '192.168.10.104',
        args: [...common('drainer'), `--port=${ports.drainer}`, `--ws_http_port=${ports.syncHttp.drainer}`, `--meta_server_addrs=${addr(ports.secondary.meta)}`],
        ports: [
          { port: ports.drainer, what: 'drainer' },
          { port: ports.syncHttp.drainer, what: 'drainer HTTP' },
        ],
      },
    ],
  };
}

/** One certificate per process, named as the process (its SANs: loopback). */
export function certSubjects(layout: PlaygroundLayout): CertSubject[] {
  return allProcesses(layout).map((p) => ({ name: p.name, ips: [LOOPBACK] }));
}

/** Every process of the layout, in start order. */
export function allProcesses(layout: PlaygroundLayout): readonly PlaygroundProcess[] {
  return [...layout.clusters, ...layout.syncProcesses];
}

/** The console command that connects to a cluster's graph port. */
export function consoleCommandFor(graphPort: number): string {
  return `npx nebula-sync console --addr ${LOOPBACK} --port ${graphPort} -u ${ROOT_USER} -p ${ROOT_PASSWORD}`;
}

/**
 * What the playground prints once everything is up: every address, its seed machine, its log, and
 * either that Steps 1-2 were done or, on a resumed start, what it found (`found`).
 */
export function bannerText(layout: PlaygroundLayout, bringup: { readonly resumed: boolean; readonly found: readonly string[] } = { resumed: false, found: [] }): string {
  const rows: string[][] = [['service', 'address', 'seed machine', 'log file']];
  for (const proc of allProcesses(layout)) {
    proc.ports.forEach((p, i) => {
      rows.push([p.what, addr(p.port), proc.seedMachine, i === 0 ? join(layout.logDir, `${proc.name}.log`) : '']);
    });
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const table = rows.map((r) => '  ' + r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
  return [
    `nebula-sync playground: the seed's five machines on loopback, data in ${layout.dataPath}`,
    '',
    ...table,
    '',
    ...(bringup.resumed
      ? ['Resumed as it was left (no set-up statement was run). Found:', ...bringup.found, 'To start from scratch: npm start -- --reset']
      : [`Steps 1 and 2 of the seed are done: ${PRIMARY_SPACE} (primary) syncs to ${TARGET_SPACE} (secondary, read_only).`]),
    `Where the seed says 192.168.10.10x, use ${LOOPBACK} and the port above.`,
    `Internal links (meta, storage, listeners, drainer) run mutual TLS: certificates of a throwaway CA in ${layout.tlsDir}.`,
    'The graph ports are plaintext, as the seed\'s clients expect (docs/tls.md says how to turn TLS on there).',
    '',
    `Connect to the primary:   ${consoleCommandFor(layout.ports.primary.graph)}`,
    `Connect to the secondary: ${consoleCommandFor(layout.ports.secondary.graph)}`,
    `Sync dashboard, primary:   http://${addr(layout.ports.primary.http)}/dashboard`,
    `Sync dashboard, secondary: http://${addr(layout.ports.secondary.http)}/dashboard`,
    'Every process answers /status, /flags, /stats and /metrics on its HTTP port (docs/http.md).',
    'Run the seed\'s Step 3:    examples/run-seed.sh',
    '',
    'Press Ctrl-C to stop every process; start again on the same --data_path to resume as it was left.',
  ].join('\n');
}
