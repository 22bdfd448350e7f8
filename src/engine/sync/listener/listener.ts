/**
 * A meta or storage listener (src/engine/sync/DESIGN.md, "Listener"), embeddable: it binds its own
 * address (Listener.Health), heartbeats to the primary's meta so SHOW HOSTS lists it, polls its
 * assignment, and runs one part shipper per assigned partition that is not stopped. It keeps no
 * durable state: every (re)start resumes from the position the drainer answers. With `httpPort`
 * it also answers HTTP there (/status, /flags, /stats, /metrics: src/server/http/).
 *
 * @example
 *   const listener = new Listener({ role: 'storage', localIp: '127.0.0.1', port: 0,
 *     metaServerAddrs: ['127.0.0.1:9559'], heartbeatIntervalSecs: 10, log });
 *   const { port } = await listener.start();
 *   await listener.close();
 */
import * as grpc from '@grpc/grpc-js';
import type { HostRole } from '../../../catalog/types.ts';
import type { Logger } from '../../../log.ts';
import { HttpService } from '../../../server/http/http-server.ts';
import type { FlagValue } from '../../../server/http/info-pages.ts';
import { ListenerMetrics } from '../../../server/http/listener-metrics.ts';
import { processRoutes } from '../../../server/http/process-routes.ts';
import { openRpcPort, type RpcPort } from '../../../server/rpc/rpc-port.ts';
import { serviceDefinition } from '../../../server/rpc/proto.ts';
import { linkSecurity, PLAINTEXT_LINKS_WARNING, type TlsOptions } from '../../../server/rpc/tls.ts';
import { GIT_INFO_SHA, PRODUCT_VERSION } from '../../meta/version.ts';
import { runHeartbeats } from '../heartbeat-loop.ts';
import { StateLog } from '../retry-log.ts';
import { sleep, unary } from '../rpc-call.ts';
import type { AssignmentReplyMsg } from '../wire.ts';
import { planAssignment } from './assignment-plan.ts';
import { ASSIGNMENT_POLL_MS, SHIP_WINDOW_BATCHES } from './listener-limits.ts';
import { PartShipper } from './part-shipper.ts';
import { ProgressReporter } from './progress-reporter.ts';
import { RpcClients } from './rpc-clients.ts';

export interface ListenerOptions {
  readonly role: 'meta' | 'storage';
  readonly localIp: string;
  /** 0 binds a free port; start() answers the actual one. */
  readonly port: number;
  /** The PRIMARY cluster's meta addresses, "ip:port". */
  readonly metaServerAddrs: readonly string[];
  readonly heartbeatIntervalSecs: number;
  readonly log: Logger;
  /** Unacknowledged batches per part (tests lower it); defaults to SHIP_WINDOW_BATCHES. */
  readonly windowBatches?: number;
  /** Mutual TLS on the Listener service and on every call it makes; undefined = plaintext. */
  readonly tls?: TlsOptions | undefined;
  /** HTTP port (--ws_http_port; 0 = any free one); no HTTP service when absent. */
  readonly httpPort?: number | undefined;
  /** The resolved flags `/flags` shows. */
  readonly flags?: Readonly<Record<string, FlagValue>>;
}

/** How long close() lets the listener's own server finish calls before cutting them. */
const CLOSE_GRACE_MS = 300;

export class Listener {
  private readonly server = new grpc.Server();
  /** The internal port, once start() opened it. */
  private rpcPort: RpcPort | undefined;
  /** The bound port (0 before start()). */
  private get port(): number {
    return this.rpcPort?.port ?? 0;
  }
  private readonly clients: RpcClients;
  private readonly controller = new AbortController();
  private readonly shippers = new Map<string, { shipper: PartShipper; space: string; part: number }>();
  private readonly reporter: ProgressReporter;
  private readonly loops: Promise<void>[] = [];
  private readonly role: HostRole;
  private pollFailing = false;
  private readonly metrics: ListenerMetrics | undefined;
  private readonly http: HttpService | undefined;
  /** Failures of all part shippers, logged once per (target, code) state change. */
  private readonly states: StateLog;

  constructor(private readonly options: ListenerOptions) {
    if (options.metaServerAddrs.length === 0) throw new Error('a listener needs the primary meta address (meta_server_addrs)');
    this.role = options.role === 'meta' ? 'META_LISTENER' : 'STORAGE_LISTENER';
    this.clients = new RpcClients(options.tls);
    this.states = new StateLog(options.log.child({ component: 'shipper' }), 'apply');
    this.reporter = new ProgressReporter({
      role: this.role,
      host: options.localIp,
      port: () => this.port,
      meta: () => this.meta(),
      log: options.log,
    });
    if (options.httpPort !== undefined) {
      const metrics = (this.metrics = new ListenerMetrics(() => this.partStates(), () => this.reporter.spaces()));
      const status = () => ({ role: this.role, internal_links: linkSecurity(options.tls) });
      this.http = new HttpService(processRoutes({ status, flags: () => options.flags ?? {}, metrics }));
    }
  }

  /** Bind, then start heartbeats, assignment polling and progress reports. */
  async start(): Promise<{ port: number; httpPort: number }> {
    this.server.addService(serviceDefinition('Listener'), {
      Health: (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
        callback(null, { role: this.role, status: 'ONLINE', version: PRODUCT_VERSION, git_info_sha: GIT_INFO_SHA }),
    });
    const rpcPort = await openRpcPort(this.server, `${this.options.localIp}:${this.options.port}`, this.options.tls, this.options.log);
    this.rpcPort = rpcPort;
    const httpPort = await this.http?.start(this.options.localIp, this.options.httpPort ?? 0).catch((cause: Error) => {
      rpcPort.destroy();
      throw new Error(`HTTP port ${this.options.httpPort}: ${cause.message}`);
    });
    const signal = this.controller.signal;
    this.loops.push(
      runHeartbeats({
        meta: this.meta(),
        role: this.role,
        host: this.options.localIp,
        port: this.port,
        intervalMs: this.options.heartbeatIntervalSecs * 1000,
        log: this.options.log,
        signal,
      }),
      this.pollAssignments(signal),
      this.reporter.run(signal),
    );
    if (this.options.tls === undefined) this.options.log.warn(PLAINTEXT_LINKS_WARNING, { addr: this.addr() });
    this.options.log.info('listener started', { role: this.role, addr: this.addr(), meta: this.options.metaServerAddrs, internal_links: linkSecurity(this.options.tls) });
    return { port: this.port, httpPort: httpPort ?? 0 };
  }

  /** Every partition a shipper runs for, as it stands (the /metrics gauges). */
  private partStates() {
    return [...this.shippers.values()].map((s) => ({ space: s.space, part: s.part, shipping: s.shipper.progress.shipping, ackedLogId: s.shipper.progress.ackedLogId }));
  }

  /** Stop every shipper (closing its streams), the loops and the server. */
  async close(): Promise<void> {
    this.controller.abort();
    await Promise.all([...this.shippers.values()].map((s) => s.shipper.stop()));
    this.shippers.clear();
    // A heartbeat or poll in flight to a dead primary would hold close() up to its deadline.
    await Promise.race([Promise.all(this.loops), sleep(CLOSE_GRACE_MS)]);
    await this.rpcPort?.close(CLOSE_GRACE_MS);
    await this.http?.close();
    this.clients.close();
  }

  /** Abrupt stop: cut every stream and connection now. */
  destroy(): void {
    this.controller.abort();
    for (const s of this.shippers.values()) void s.shipper.stop();
    this.shippers.clear();
    this.server.forceShutdown();
    this.http?.destroy();
    this.clients.close();
  }

  private addr(): string {
    return `${this.options.localIp}:${this.port}`;
  }

  private meta() {
    return this.clients.get('Meta', this.options.metaServerAddrs[0]!);
  }

  private async pollAssignments(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const reply = await unary<AssignmentReplyMsg>(this.meta(), 'GetAssignment', { role: this.role, host: this.options.localIp, port: this.port });
        if (this.pollFailing) this.options.log.info('assignment poll works again');
        this.pollFailing = false;
        if (!signal.aborted && reply.code === 0) await this.reconcile(reply);
      } catch (cause) {
        // Shippers keep running on their last assignment; their own streams notice a dead primary.
        if (!this.pollFailing) this.options.log.warn('assignment poll failed', { cause: (cause as Error).message });
        this.pollFailing = true;
      }
      await sleep(ASSIGNMENT_POLL_MS, signal);
    }
  }

  /** Start the shippers the plan wants, stop the ones it no longer does. */
  private async reconcile(reply: AssignmentReplyMsg): Promise<void> {
    const plan = planAssignment(reply, this.options.metaServerAddrs);
    const stopping: Promise<void>[] = [];
    for (const [key, running] of this.shippers) {
      if (plan.run.has(key)) continue;
      this.shippers.delete(key);
      stopping.push(running.shipper.stop().then(() => this.reporter.set(running.space, running.part, running.shipper.progress)));
    }
    await Promise.all(stopping);
    for (const { space, part, targetSpace } of plan.idle) this.reporter.markIdle(space, part, targetSpace);
    for (const space of this.reporter.spaces()) if (!plan.spaces.has(space)) this.reporter.forget(space);
    for (const [key, planned] of plan.run) {
      if (this.shippers.has(key) || this.controller.signal.aborted) continue;
      const { source, part } = planned.assignment;
      const shipper = new PartShipper({
        assignment: planned.assignment,
        clients: this.clients,
        listenerAddr: this.addr(),
        windowBatches: this.options.windowBatches ?? SHIP_WINDOW_BATCHES,
        log: this.options.log.child({ component: 'shipper' }),
        onProgress: (state) => this.reporter.set(source.space_name, part, state),
        states: this.states,
        counters: this.metrics,
      });
      this.shippers.set(key, { shipper, space: source.space_name, part });
      this.reporter.set(source.space_name, part, shipper.progress);
      shipper.start();
    }
  }
}
