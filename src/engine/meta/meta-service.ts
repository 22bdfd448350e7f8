/**
 * The meta service of one cluster: the durable catalog (MetaStore) plus who is alive (Liveness),
 * behind the `MetaService` interface that executors use.
 *
 * A cluster runs graphd, metad and storaged in one process, so its own graph, meta and storage
 * addresses are always ONLINE; everything else is ONLINE only while it heartbeats.
 */
import type { Catalog, HostRole, MetaEntry, MetaOp } from '../../catalog/types.ts';
import { parseHostPort } from '../../catalog/lookup.ts';
import type { HostInfo, MetaService } from '../../executor/types.ts';
import { byHostThenPort, namedInCatalog, type Heartbeat, type Liveness } from './liveness.ts';
import type { MetaStore } from './meta-store.ts';
import { GIT_INFO_SHA, PRODUCT_VERSION } from './version.ts';

export interface SelfAddress {
  readonly localIp: string;
  readonly graphPort: number;
  readonly metaPort: number;
  readonly storagePort: number;
}

export interface MetaServiceOptions {
  readonly store: MetaStore;
  readonly liveness: Liveness;
  readonly self: SelfAddress;
  /** Milliseconds since the epoch; injected so tests control liveness and entry timestamps. */
  readonly now: () => number;
}

/** The executor's MetaService plus what the cluster's RPC side needs (heartbeats, WAL reads). */
export interface ClusterMetaService extends MetaService {
  /** Record a heartbeat heard now (hosts the catalog names always get a slot). */
  heartbeat(beat: Heartbeat): boolean;
  readWal(fromLogId: number, max: number): readonly MetaEntry[];
  lastLogId(): number;
  lastTs(): number;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);
const WILDCARD = new Set(['0.0.0.0', '::']);

/**
 * Whether `host` reaches a service of this cluster, which listens on `localIp` only: the same
 * address, `localhost` for a loopback address, or any loopback name when it listens everywhere.
 * 127.0.0.2 is another (test) host, not this one.
 */
export function isSameMachine(localIp: string, host: string): boolean {
  const name = host.toLowerCase();
  if (name === localIp) return true;
  if (WILDCARD.has(localIp)) return LOOPBACK_NAMES.has(name);
  return name === 'localhost' && (localIp === '127.0.0.1' || localIp === '::1');
}

const row = (host: string, port: number, role: HostRole, online: boolean): HostInfo => ({
  host,
  port,
  role,
  status: online ? 'ONLINE' : 'OFFLINE',
  gitInfoSha: GIT_INFO_SHA,
  version: PRODUCT_VERSION,
});

/**
 * The meta service over `store` and `liveness`.
 *
 * @example
 * const meta = createMetaService({ store, liveness, self: { localIp: '127.0.0.1', graphPort: 9669, metaPort: 9559, storagePort: 9779 }, now: Date.now });
 * meta.hosts('GRAPH'); // [{ host: '127.0.0.1', port: 9669, role: 'GRAPH', status: 'ONLINE', ... }]
 */
export function createMetaService(options: MetaServiceOptions): ClusterMetaService {
  const { store, liveness, self, now } = options;

  const storageHosts = (): readonly HostInfo[] => {
    const nowMs = now();
    const rows = store.catalog().storageHosts.map((text) => {
      const { host, port } = parseHostPort(text);
      const ownStorage = port === self.storagePort && isSameMachine(self.localIp, host);
      return row(host, port, 'STORAGE', ownStorage || liveness.statusOf('STORAGE', host, port, nowMs) === 'ONLINE');
    });
    return rows.sort(byHostThenPort);
  };

  const hosts = (role: HostRole): readonly HostInfo[] => {
    switch (role) {
      case 'GRAPH':
        return [row(self.localIp, self.graphPort, 'GRAPH', true)];
      case 'META':
        return [row(self.localIp, self.metaPort, 'META', true)];
      case 'STORAGE':
        return storageHosts();
      case 'STORAGE_LISTENER':
      case 'META_LISTENER':
      case 'DRAINER':
        return liveness.list(role, now());
    }
  };

  return {
    catalog: (): Catalog => store.catalog(),
    commit: (op: MetaOp): Catalog => store.commit(op, now()),
    hosts,
    heartbeat: (beat) => liveness.heartbeat(beat, now(), namedInCatalog(store.catalog(), beat.role, beat.host, beat.port)),
    readWal: (fromLogId, max) => store.readWal(fromLogId, max),
    lastLogId: () => store.lastLogId(),
    lastTs: () => store.lastTs(),
  };
}
