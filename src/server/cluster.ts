/**
 * A whole cluster in one process (graphd + metad + storaged, as in the seed's test environment):
 * the engine (meta store and catalog, storage engine, sync runtime: engine.ts), the graph service
 * (Thrift) on `port` unless `graph` is false, the meta and storage services (gRPC) on `metaPort` /
 * `storagePort`, and HTTP on `wsHttpPort` (/status, /flags, /stats, /metrics and the sync dashboard:
 * src/server/http/).
 *
 * @example
 *   const cluster = await Cluster.start({ ...defaultClusterOptions, dataPath: '/tmp/a', port: 0 });
 *   console.log(cluster.ports.graph);
 *   await cluster.close();
 */
import type { ClusterMetaService } from '../engine/meta/meta-service.ts';
import type { MetaStore } from '../engine/meta/meta-store.ts';
import type { StorageEngine } from '../engine/storage/types.ts';
import { refusalsOf } from '../engine/sync/apply/refusals.ts';
import { silentLogger, type Logger } from '../log.ts';
import { openEngine, type EngineCore } from './engine.ts';
import { GraphServer } from './graph-server.ts';
import { QueryHandler } from './query-handler.ts';
import { defaultSessionLimits, validateSessionLimits, type SessionLimits } from './session-limits.ts';
import { coreHandlers } from './rpc/core-handlers.ts';
import { primaryHandlers } from './rpc/primary-handlers.ts';
import { progressHandlers } from './rpc/progress-handlers.ts';
import type { RpcDeps, ServiceHandlers } from './rpc/rpc-deps.ts';
import { RpcServer } from './rpc/rpc-server.ts';
import { secondaryHandlers } from './rpc/secondary-handlers.ts';
import { linkSecurity, PLAINTEXT_LINKS_WARNING, type GraphTlsOptions, type TlsOptions } from './rpc/tls.ts';
import { verifyHandlers } from './rpc/verify-handlers.ts';
import { ClusterMetrics } from './http/cluster-metrics.ts';
import { dashboardRoutes } from './http/dashboard-routes.ts';
import { HttpService } from './http/http-server.ts';
import type { FlagValue } from './http/info-pages.ts';
import { processRoutes } from './http/process-routes.ts';

export interface ClusterOptions {
  readonly localIp: string;
  /** Graph service port; 0 picks a free one. */
  readonly port: number;
  readonly metaPort: number;
  readonly storagePort: number;
  readonly wsHttpPort: number;
  readonly dataPath: string;
  readonly enableAuthorize: boolean;
  readonly walTtlSecs: number;
  readonly heartbeatIntervalSecs: number;
  /** fsync each group commit (power-loss safe); false still survives kill -9. */
  readonly fsync: boolean;
  /** Session and connection limits of the graph service; defaultSessionLimits when absent. */
  readonly sessionLimits?: SessionLimits;
  readonly log?: Logger;
  /** Mutual TLS on the meta and storage services (--enable_meta_ssl); undefined = plaintext. */
  readonly tls?: TlsOptions | undefined;
  /** TLS on the graph port (--enable_graph_ssl); undefined = plaintext. */
  readonly graphTls?: GraphTlsOptions | undefined;
  /** false: no graph service (ports.graph stays 0); an embedding program runs statements through `engine`. */
  readonly graph?: boolean;
  /** The resolved flags `/flags` shows (the command passes them); none when absent. */
  readonly flags?: Readonly<Record<string, FlagValue>>;
}

export const defaultClusterOptions: Omit<ClusterOptions, 'dataPath'> = {
  localIp: '127.0.0.1',
  port: 9669,
  metaPort: 9559,
  storagePort: 9779,
  wsHttpPort: 19669,
  enableAuthorize: false,
  walTtlSecs: 14400,
  heartbeatIntervalSecs: 10,
  fsync: true,
};

/** Every RPC module's handlers, merged per service. */
function composeHandlers(deps: RpcDeps): ServiceHandlers {
  const parts = [coreHandlers(deps), primaryHandlers(deps), secondaryHandlers(deps), progressHandlers(deps), verifyHandlers(deps)];
  return {
    meta: Object.assign({}, ...parts.map((p) => p.meta)),
    storage: Object.assign({}, ...parts.map((p) => p.storage)),
  };
}

export class Cluster {
  readonly ports = { graph: 0, meta: 0, storage: 0, http: 0 };
  private closed = false;
  readonly metaStore: MetaStore;
  readonly meta: ClusterMetaService;
  readonly storage: StorageEngine;

  private constructor(
    readonly options: ClusterOptions,
    readonly engine: EngineCore,
    readonly handler: QueryHandler,
    private readonly graph: GraphServer | undefined,
    private readonly rpc: RpcServer,
    private readonly http: HttpService,
  ) {
    this.metaStore = engine.metaStore;
    this.meta = engine.meta;
    this.storage = engine.storage;
  }

  static async start(options: ClusterOptions): Promise<Cluster> {
    const log = options.log ?? silentLogger;
    const sessionLimits = options.sessionLimits ?? defaultSessionLimits;
    const badLimits = validateSessionLimits(sessionLimits);
    if (badLimits !== undefined) throw badLimits;
    const engine = openEngine(options);
    const { metaStore, meta, storage, liveness, progress, now, self, sync } = engine;
    // The service ports are known only after binding; the meta service reads them through `self`.
    Object.assign(self, { graphPort: options.port, metaPort: options.metaPort, storagePort: options.storagePort });
    const metrics = new ClusterMetrics({ catalog: () => metaStore.catalog(), sync, progress, refusals: refusalsOf(metaStore), now });
    const deps: RpcDeps = { metaStore, meta, storage, liveness, progress, now, log: log.child({ component: 'rpc' }), applyCounters: metrics };
    const rpc = new RpcServer({
      host: options.localIp,
      metaPort: options.metaPort,
      storagePort: options.storagePort,
      handlers: composeHandlers(deps),
      tls: options.tls,
      log: deps.log,
    });
    try {
      await rpc.start();
    } catch (cause) {
      engine.close();
      throw cause;
    }
    self.metaPort = rpc.metaPort;
    self.storagePort = rpc.storagePort;
    const handler = new QueryHandler({
      enableAuthorize: options.enableAuthorize,
      contextFor: engine.contextFor,
      checkLogin: engine.checkLogin,
      userExists: engine.userExists,
      sessionIdleMs: sessionLimits.sessionIdleTimeoutSecs * 1000,
      sessionsPerIpUserMax: sessionLimits.maxSessionsPerIpPerUser,
      log: log.child({ component: 'graph' }),
    });
    const graph = options.graph === false ? undefined : new GraphServer({
      host: options.localIp,
      port: options.port,
      handler,
      log: log.child({ component: 'graph' }),
      handshakeMs: sessionLimits.handshakeTimeoutSecs * 1000,
      idleMs: sessionLimits.clientIdleTimeoutSecs * 1000,
      tls: options.graphTls,
    });
    const security = { internal_links: linkSecurity(options.tls), graph_ssl: options.graphTls !== undefined };
    const http = new HttpService(
      processRoutes({ status: () => security, flags: () => options.flags ?? {}, metrics, routes: dashboardRoutes(() => metrics.picture()) }),
    );
    const cluster = new Cluster(options, engine, handler, graph, rpc, http);
    try {
      cluster.ports.graph = self.graphPort = graph === undefined ? 0 : (await graph.start()).port;
      cluster.ports.http = await http.start(options.localIp, options.wsHttpPort);
    } catch (cause) {
      cluster.destroy();
      throw cause;
    }
    cluster.ports.meta = rpc.metaPort;
    cluster.ports.storage = rpc.storagePort;
    if (options.tls === undefined) log.warn(PLAINTEXT_LINKS_WARNING, { meta: cluster.ports.meta, storage: cluster.ports.storage });
    log.info('cluster started', { localIp: options.localIp, ports: cluster.ports, dataPath: options.dataPath, ...security });
    return cluster;
  }

  /** Stop accepting, finish what is in flight, flush and close the stores. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.handler.close();
    await this.graph?.close();
    await this.rpc.close();
    await this.http.close();
    this.engine.close();
  }

  /** Abrupt stop: drop connections without waiting. Stores are still closed (committed data stays). */
  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.handler.close();
    this.graph?.destroy();
    this.rpc.destroy();
    this.http.destroy();
    this.engine.close();
  }
}
