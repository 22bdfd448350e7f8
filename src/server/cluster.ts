/**
 * A whole cluster in one process (graphd + metad + storaged, as in the seed's test environment):
 * the meta store and catalog, the storage engine, the graph service (Thrift) on `port`, the meta
 * and storage services (gRPC) on `metaPort` / `storagePort`, and a status page on `wsHttpPort`.
 *
 * @example
 *   const cluster = await Cluster.start({ ...defaultClusterOptions, dataPath: '/tmp/a', port: 0 });
 *   console.log(cluster.ports.graph);
 *   await cluster.close();
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { hashPassword, verifyPassword } from '../catalog/password.ts';
import { Liveness } from '../engine/meta/liveness.ts';
import { createMetaService } from '../engine/meta/meta-service.ts';
import { MetaStore } from '../engine/meta/meta-store.ts';
import { GIT_INFO_SHA } from '../engine/meta/version.ts';
import { createStorageEngine } from '../engine/storage/storage-engine.ts';
import type { StorageEngine } from '../engine/storage/types.ts';
import type { ExecConfig, ExecContext, MetaService, Session, SyncRuntime } from '../executor/types.ts';
import { silentLogger, type Logger } from '../log.ts';
import { GraphServer } from './graph-server.ts';
import { QueryHandler } from './query-handler.ts';
import { RpcServer } from './rpc/rpc-server.ts';

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
  readonly log?: Logger;
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

/** Synchronization is not running in this process yet: nothing ships, so everything is OFFLINE. */
const noSyncRuntime: SyncRuntime = {
  listenerStatus: () => 'OFFLINE',
  drainerStatus: () => 'OFFLINE',
  syncStatus: () => [],
  drainerSyncStatus: () => [],
};

async function listenHttp(server: HttpServer, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

export class Cluster {
  readonly ports = { graph: 0, meta: 0, storage: 0, http: 0 };
  private closed = false;

  private constructor(
    readonly options: ClusterOptions,
    readonly metaStore: MetaStore,
    readonly meta: MetaService,
    readonly storage: StorageEngine,
    readonly handler: QueryHandler,
    private readonly graph: GraphServer,
    private readonly rpc: RpcServer,
    private readonly http: HttpServer,
  ) {}

  static async start(options: ClusterOptions): Promise<Cluster> {
    const log = options.log ?? silentLogger;
    mkdirSync(options.dataPath, { recursive: true });
    const now = () => Date.now();
    const metaStore = MetaStore.open({ dataPath: options.dataPath, fsync: options.fsync });
    const storage = createStorageEngine({ dataPath: options.dataPath, walTtlSecs: options.walTtlSecs, fsync: options.fsync });
    for (const space of Object.values(metaStore.catalog().spaces)) {
      storage.openSpace(space.id, space.partitionNum, space.vidType.kind);
    }
    const liveness = new Liveness({ heartbeatIntervalSecs: options.heartbeatIntervalSecs });
    const rpc = new RpcServer({
      host: options.localIp,
      metaPort: options.metaPort,
      storagePort: options.storagePort,
      liveness,
      metaLogId: () => metaStore.catalog().logId,
      now,
      log: log.child({ component: 'rpc' }),
    });
    try {
      await rpc.start();
    } catch (cause) {
      storage.close();
      metaStore.close();
      throw cause;
    }
    const meta = createMetaService({
      store: metaStore,
      liveness,
      self: { localIp: options.localIp, graphPort: options.port, metaPort: rpc.metaPort, storagePort: rpc.storagePort },
      now,
    });
    // The graph port is known only after listening; ExecConfig reads it through this holder.
    const ports = { graph: options.port };
    const config = (): ExecConfig => ({
      enableAuthorize: options.enableAuthorize,
      localIp: options.localIp,
      graphPort: ports.graph,
      metaPort: rpc.metaPort,
      storagePort: rpc.storagePort,
    });
    const contextFor = (session: Session): ExecContext => ({
      session,
      meta,
      storage,
      sync: noSyncRuntime,
      config: config(),
      hashPassword,
      verifyPassword,
      now,
    });
    const handler = new QueryHandler({
      enableAuthorize: options.enableAuthorize,
      contextFor,
      checkPassword: (user, password) => {
        const desc = meta.catalog().users[user];
        if (desc === undefined) return 'no-user';
        return verifyPassword(password, desc.passwordHash) ? 'ok' : 'bad-password';
      },
      log: log.child({ component: 'graph' }),
    });
    const graph = new GraphServer({ host: options.localIp, port: options.port, handler, log: log.child({ component: 'graph' }) });
    const http = createServer((req, res) => {
      if (req.url === '/status') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ git_info_sha: GIT_INFO_SHA, status: 'running' }));
        return;
      }
      res.writeHead(404).end();
    });
    const cluster = new Cluster(options, metaStore, meta, storage, handler, graph, rpc, http);
    try {
      cluster.ports.graph = ports.graph = (await graph.start()).port;
      cluster.ports.http = await listenHttp(http, options.localIp, options.wsHttpPort);
    } catch (cause) {
      cluster.destroy();
      throw cause;
    }
    cluster.ports.meta = rpc.metaPort;
    cluster.ports.storage = rpc.storagePort;
    log.info('cluster started', { localIp: options.localIp, ports: cluster.ports, dataPath: options.dataPath });
    return cluster;
  }

  /** Stop accepting, finish what is in flight, flush and close the stores. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.graph.close();
    await this.rpc.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.storage.close();
    this.metaStore.close();
  }

  /** Abrupt stop: drop connections without waiting. Stores are still closed (committed data stays). */
  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.graph.destroy();
    this.rpc.destroy();
    this.http.close();
    this.storage.close();
    this.metaStore.close();
  }
}
