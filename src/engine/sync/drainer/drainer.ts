/**
 * A drainer (src/engine/sync/DESIGN.md, "Drainer"): serves the Drainer service (Health, Ship) on
 * its port, heartbeats to the secondary's meta (SHOW HOSTS DRAINER), polls which target spaces
 * added it and where the secondary's storage is, forwards every Ship stream to the secondary, and
 * reports per-part progress. It keeps nothing durable: the secondary holds the only position.
 * With `httpPort` it also answers HTTP there (/status, /flags, /stats, /metrics: src/server/http/).
 *
 * @example
 *   const drainer = new Drainer({ localIp: '127.0.0.1', port: 0, metaServerAddrs: ['127.0.0.1:9559'], heartbeatIntervalSecs: 10 });
 *   const { port } = await drainer.start();
 *   await drainer.close();
 */
import * as grpc from '@grpc/grpc-js';
import { silentLogger, type Logger } from '../../../log.ts';
import { DrainerMetrics } from '../../../server/http/drainer-metrics.ts';
import { HttpService } from '../../../server/http/http-server.ts';
import type { FlagValue } from '../../../server/http/info-pages.ts';
import { processRoutes } from '../../../server/http/process-routes.ts';
import { serviceDefinition, clientFor } from '../../../server/rpc/proto.ts';
import { openRpcPort, type RpcPort } from '../../../server/rpc/rpc-port.ts';
import { ENTRY_SERVER_OPTIONS } from '../../../server/rpc/rpc-server.ts';
import { linkSecurity, PLAINTEXT_LINKS_WARNING, type TlsOptions } from '../../../server/rpc/tls.ts';
import { GIT_INFO_SHA, PRODUCT_VERSION } from '../../meta/version.ts';
import { runHeartbeats } from '../heartbeat-loop.ts';
import { StateLog } from '../retry-log.ts';
import type { ShipReplyMsg, ShipRequestMsg } from '../wire.ts';
import { AssignmentPoller } from './assignment-poller.ts';
import { ProgressBook, reportProgress, runProgressReports } from './progress-book.ts';
import { SecondaryLink } from './secondary-link.ts';
import { ShipMux, type ShipCallLike, type ShipManyCall } from './ship-mux.ts';
import { ShipStream } from './ship-stream.ts';
import { VerifyRelay } from '../verify/drainer-relay.ts';
import type { VerifyReplyMsg, VerifyRequestMsg } from '../verify/verify-wire.ts';

/** How long close() lets the gRPC server finish before it is forced down. */
const CLOSE_GRACE_MS = 2_000;
/** Deadline of the last progress report (every stream stopped) sent while closing. */
const FINAL_REPORT_DEADLINE_MS = 500;

export interface DrainerOptions {
  readonly localIp: string;
  /** 0 binds a free port; start() answers the actual one. */
  readonly port: number;
  /** The SECONDARY cluster's meta addresses, "ip:port"; the first is used. */
  readonly metaServerAddrs: readonly string[];
  readonly heartbeatIntervalSecs: number;
  readonly log?: Logger;
  /** Mutual TLS on the Drainer service and on every call to the secondary; undefined = plaintext. */
  readonly tls?: TlsOptions | undefined;
  /** HTTP port (--ws_http_port; 0 = any free one); no HTTP service when absent. */
  readonly httpPort?: number | undefined;
  /** The resolved flags `/flags` shows. */
  readonly flags?: Readonly<Record<string, FlagValue>>;
}

export class Drainer {
  private readonly log: Logger;
  private readonly server = new grpc.Server(ENTRY_SERVER_OPTIONS);
  /** The internal port, once start() opened it. */
  private rpcPort: RpcPort | undefined;
  /** The bound port (0 before start()). */
  private get boundPort(): number {
    return this.rpcPort?.port ?? 0;
  }
  private readonly abort = new AbortController();
  private readonly streams = new Set<ShipStream>();
  private readonly book = new ProgressBook();
  private readonly meta: grpc.Client;
  private readonly assignment: AssignmentPoller;
  private readonly link: SecondaryLink;
  private readonly relay: VerifyRelay;
  /** Refusals of all streams, logged once per (target, code) state change. */
  private readonly states: StateLog;
  private readonly metrics: DrainerMetrics | undefined;
  private readonly http: HttpService | undefined;
  private loops: Promise<void>[] = [];
  private state: 'new' | 'running' | 'closed' = 'new';

  constructor(private readonly options: DrainerOptions) {
    if (options.metaServerAddrs.length === 0) throw new Error('a drainer needs the secondary cluster\'s meta address (meta_server_addrs)');
    this.log = (options.log ?? silentLogger).child({ component: 'drainer' });
    this.meta = clientFor('Meta', options.metaServerAddrs[0]!, options.tls);
    this.assignment = new AssignmentPoller({
      meta: this.meta,
      host: options.localIp,
      port: () => this.boundPort,
      log: this.log,
      signal: this.abort.signal,
    });
    this.link = new SecondaryLink(this.meta, this.assignment, options.tls);
    this.relay = new VerifyRelay(this.assignment, () => this.address, options.tls);
    this.states = new StateLog(this.log, 'apply');
    if (options.httpPort !== undefined) {
      const metrics = (this.metrics = new DrainerMetrics(() => this.streams.size, () => this.assignment.targets));
      const status = () => ({ role: 'DRAINER', internal_links: linkSecurity(options.tls) });
      this.http = new HttpService(processRoutes({ status, flags: () => options.flags ?? {}, metrics }));
    }
  }

  /** This drainer's address as target spaces name it in ADD DRAINER. */
  get address(): string {
    return `${this.options.localIp}:${this.boundPort}`;
  }

  async start(): Promise<{ port: number; httpPort: number }> {
    if (this.state !== 'new') throw new Error('a drainer starts once');
    this.server.addService(serviceDefinition('Drainer'), {
      // The secondary's id: which cluster this drainer writes to, what a primary's ADD LISTENER
      // SYNC checks for a cycle (src/engine/sync/DESIGN.md, "Cycles").
      Health: (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
        callback(null, {
          role: 'DRAINER',
          status: 'ONLINE',
          version: PRODUCT_VERSION,
          git_info_sha: GIT_INFO_SHA,
          meta_log_id: '0',
          cluster_id: this.assignment.clusterId,
        }),
      Ship: (call: grpc.ServerDuplexStream<ShipRequestMsg, ShipReplyMsg>) => this.serveShip(call),
      ShipMany: (call: ShipManyCall) => void new ShipMux(call, (stream) => this.serveShip(stream)),
      Verify: (call: grpc.ServerUnaryCall<VerifyRequestMsg, VerifyReplyMsg>, callback: grpc.sendUnaryData<VerifyReplyMsg>) =>
        void this.relay.verify(call.request).then((reply) => callback(null, reply)),
    });
    const rpcPort = await openRpcPort(this.server, `${this.options.localIp}:${this.options.port}`, this.options.tls, this.log);
    this.rpcPort = rpcPort;
    const httpPort = await this.http?.start(this.options.localIp, this.options.httpPort ?? 0).catch((cause: Error) => {
      rpcPort.destroy();
      throw new Error(`HTTP port ${this.options.httpPort}: ${cause.message}`);
    });
    this.state = 'running';
    const signal = this.abort.signal;
    const report = { meta: this.meta, book: this.book, host: this.options.localIp, port: () => this.boundPort, log: this.log };
    this.loops = [
      runHeartbeats({
        meta: this.meta,
        role: 'DRAINER',
        host: this.options.localIp,
        port: this.boundPort,
        intervalMs: this.options.heartbeatIntervalSecs * 1000,
        log: this.log,
        signal,
      }),
      this.assignment.run(),
      runProgressReports({ ...report, signal }),
    ];
    if (this.options.tls === undefined) this.log.warn(PLAINTEXT_LINKS_WARNING, { address: this.address });
    this.log.info('drainer started', { address: this.address, meta: this.options.metaServerAddrs[0], internal_links: linkSecurity(this.options.tls) });
    return { port: this.boundPort, httpPort: httpPort ?? 0 };
  }

  private serveShip(call: ShipCallLike): void {
    if (this.state !== 'running') {
      call.end();
      return;
    }
    const stream = new ShipStream(call, { link: this.link, book: this.book, self: () => this.address, log: this.log, states: this.states, counters: this.metrics });
    this.streams.add(stream);
    void stream.done.then(() => this.streams.delete(stream));
  }

  /** Finish the applies in flight, end every stream, report them stopped, and release the port. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const wasRunning = this.state === 'running';
    this.state = 'closed';
    this.abort.abort();
    for (const stream of this.streams) stream.stop();
    await Promise.all([...this.streams].map((s) => s.done));
    await Promise.all(this.loops);
    if (wasRunning) {
      await reportProgress({ meta: this.meta, book: this.book, host: this.options.localIp, port: () => this.boundPort, log: this.log, deadlineMs: FINAL_REPORT_DEADLINE_MS });
    }
    await this.rpcPort?.close(CLOSE_GRACE_MS);
    await this.http?.close();
    this.link.close();
    this.relay.close();
    this.meta.close();
    this.log.info('drainer stopped', { address: this.address });
  }

  /** Abrupt stop: drop every connection now. The secondary keeps whatever it applied. */
  destroy(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.abort.abort();
    for (const stream of this.streams) stream.stop();
    this.server.forceShutdown();
    this.http?.destroy();
    this.link.close();
    this.relay.close();
    this.meta.close();
  }
}
