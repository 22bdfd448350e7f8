/**
 * `createCluster`: a whole cluster (graph, meta and storage services over one engine) inside the
 * embedding program, the in-process form of `nebula-sync cluster`. The graph service is optional:
 * without it the program runs statements through `engine` and only listeners and drainers connect.
 */
import { Cluster, defaultClusterOptions } from '../server/cluster.ts';
import { publicEngine } from './engine.ts';
import type { Engine, EngineOptions } from './engine-types.ts';
import { Role, type RoleState } from './role.ts';

/** Mutual TLS on the internal links: PEM buffers, the key decrypted (see docs/tls.md). */
export interface InternalTlsOptions {
  readonly ca: Buffer;
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** The engine's options plus the cluster's services; every port defaults to 0 (a free one). */
export interface ClusterRoleOptions extends EngineOptions {
  /** Graph service port (NebulaGraph's protocol); 0 (the default) picks a free one; false runs no graph service. */
  readonly graphPort?: number | false;
  /** Meta service port (listeners and drainers report here); 0 (the default) picks a free one. */
  readonly metaPort?: number;
  /** Storage service port; 0 (the default) picks a free one. */
  readonly storagePort?: number;
  /** HTTP status port; 0 (the default) picks a free one. */
  readonly httpPort?: number;
  /** Mutual TLS on the meta and storage services (`--enable_meta_ssl`); plaintext when absent. */
  readonly tls?: InternalTlsOptions;
  /** TLS on the graph port (`--enable_graph_ssl`); plaintext when absent. */
  readonly graphTls?: { readonly cert: Buffer; readonly key: Buffer };
}

/** The bound ports of a running cluster; 0 for a service not started. */
export interface ClusterPorts {
  readonly graph: number;
  readonly meta: number;
  readonly storage: number;
  readonly http: number;
}

/** A cluster's status as plain data: what `status()` answers and `onStatus` hands over. */
export interface ClusterStatus {
  readonly state: RoleState;
  readonly dataPath: string;
  readonly localIp: string;
  readonly ports: ClusterPorts;
}

const NO_PORTS: ClusterPorts = { graph: 0, meta: 0, storage: 0, http: 0 };

/**
 * A cluster in this process; made by `createCluster`.
 *
 * @example
 * ```ts
 * const cluster: ClusterRole = createCluster({ dataPath: '/tmp/c' });
 * const { graph } = await cluster.start(); // nebula-console -port <graph> works against it
 * await cluster.close();
 * ```
 */
export class ClusterRole extends Role<ClusterStatus> {
  #cluster: Cluster | undefined;
  #engine: Engine | undefined;

  constructor(private readonly options: ClusterRoleOptions) {
    super(options.log);
  }

  /** Binds every service and opens the stores; answers the bound ports. */
  start(): Promise<ClusterPorts> {
    return this.starting(async () => {
      const o = this.options;
      this.#cluster = await Cluster.start({
        ...defaultClusterOptions,
        ...definedOnly({ enableAuthorize: o.enableAuthorize, walTtlSecs: o.walTtlSecs, fsync: o.fsync, heartbeatIntervalSecs: o.heartbeatIntervalSecs, localIp: o.localIp }),
        dataPath: o.dataPath,
        port: o.graphPort === false ? 0 : (o.graphPort ?? 0),
        graph: o.graphPort !== false,
        metaPort: o.metaPort ?? 0,
        storagePort: o.storagePort ?? 0,
        wsHttpPort: o.httpPort ?? 0,
        tls: o.tls,
        graphTls: o.graphTls,
        log: this.log,
      });
      return { ...this.#cluster.ports };
    });
  }

  /** The cluster's engine: run statements in-process (`execute`), read the catalog and the status rows. */
  get engine(): Engine {
    if (this.#cluster === undefined) throw new Error('the cluster has no engine before start()');
    this.#engine ??= publicEngine(this.#cluster.engine);
    return this.#engine;
  }

  status(): ClusterStatus {
    const ports = this.#cluster === undefined ? NO_PORTS : { ...this.#cluster.ports };
    return { state: this.state, dataPath: this.options.dataPath, localIp: this.options.localIp ?? defaultClusterOptions.localIp, ports };
  }

  /** Stops accepting, answers the calls in flight, then flushes and closes the stores. */
  close(): Promise<void> {
    return this.closing(() => this.#cluster!.close());
  }

  /** Drops every connection now; the stores are still closed (committed data stays). */
  destroy(): void {
    this.cutting(() => this.#cluster!.destroy());
  }
}

/** The fields of `o` that are set: an option left undefined keeps its default. */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A cluster (graph, meta and storage services over one engine) to run in this process; nothing
 * binds until `start()`. Every port defaults to 0, a free one; `status().ports` tells which.
 *
 * @example
 * ```ts
 * const cluster = createCluster({ dataPath: '/tmp/primary', graphPort: false });
 * cluster.onStatus((s) => console.log(s.state, s.ports.meta));
 * const ports = await cluster.start(); // 'starting', then 'running' with the meta port
 * await cluster.engine.execute({ user: 'root' }, `ADD HOSTS 127.0.0.1:${ports.storage}`);
 * await cluster.close();
 * ```
 */
export function createCluster(options: ClusterRoleOptions): ClusterRole {
  return new ClusterRole(options);
}
