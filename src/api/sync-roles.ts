/**
 * `createListener` and `createDrainer`: the two sync processes inside the embedding program, the
 * in-process forms of `nebula-sync listener` and `nebula-sync drainer`. Each still serves on its
 * own port and talks to the clusters over the network, exactly as the processes do.
 */
import { Drainer } from '../engine/sync/drainer/drainer.ts';
import { Listener } from '../engine/sync/listener/listener.ts';
import type { Logger } from '../log.ts';
import type { InternalTlsOptions } from './cluster-role.ts';
import { Role, type RoleState } from './role.ts';

const LOCAL_IP_DEFAULT = '127.0.0.1';
const HEARTBEAT_INTERVAL_SECS_DEFAULT = 10;

/** What listeners and drainers share. */
interface SyncRoleOptions {
  /** Meta addresses "ip:port"; the first is used. */
  readonly metaServerAddrs: readonly string[];
  /** The address this process binds and registers. Default `127.0.0.1`. */
  readonly localIp?: string;
  /** 0 (the default) binds a free port. */
  readonly port?: number;
  /** Default 10. */
  readonly heartbeatIntervalSecs?: number;
  /** Mutual TLS on its service and on every call it makes; plaintext when absent. */
  readonly tls?: InternalTlsOptions;
  /** Structured log lines; silent by default (`onLog` sees them either way). */
  readonly log?: Logger;
}

/** Where a listener binds and which primary it serves. */
export interface ListenerRoleOptions extends SyncRoleOptions {
  /** `meta` ships the meta WAL (partition 0), `storage` the data partitions. */
  readonly role: 'meta' | 'storage';
  /** The PRIMARY cluster's meta addresses. */
  readonly metaServerAddrs: readonly string[];
}

/** Where a drainer binds and which secondary it applies to. */
export interface DrainerRoleOptions extends SyncRoleOptions {
  /** The SECONDARY cluster's meta addresses. */
  readonly metaServerAddrs: readonly string[];
}

/** What a Listener and a Drainer are made with, from the options they share, with the defaults. */
function processOptions(options: SyncRoleOptions, log: Logger) {
  return {
    localIp: options.localIp ?? LOCAL_IP_DEFAULT,
    port: options.port ?? 0,
    metaServerAddrs: options.metaServerAddrs,
    heartbeatIntervalSecs: options.heartbeatIntervalSecs ?? HEARTBEAT_INTERVAL_SECS_DEFAULT,
    tls: options.tls,
    log,
  };
}

/** A listener's or drainer's status as plain data. */
export interface SyncRoleStatus {
  readonly state: RoleState;
  /** "ip:port" as ADD LISTENER SYNC / SIGN IN DRAINER SERVICE name it; the port is 0 before start. */
  readonly address: string;
}

/** A listener's status: which kind it is, too. */
export interface ListenerStatus extends SyncRoleStatus {
  readonly role: 'meta' | 'storage';
}

/**
 * A meta or storage listener in this process; made by `createListener`.
 *
 * @example
 * ```ts
 * const listener: ListenerRole = createListener({ role: 'meta', metaServerAddrs: ['127.0.0.1:9559'] });
 * await listener.start();
 * listener.status(); // { state: 'running', role: 'meta', address: '127.0.0.1:<port>' }
 * ```
 */
export class ListenerRole extends Role<ListenerStatus> {
  readonly #listener: Listener;
  #port = 0;

  constructor(private readonly options: ListenerRoleOptions) {
    super(options.log);
    this.#listener = new Listener({ role: options.role, ...processOptions(options, this.log) });
  }

  /** Binds, then heartbeats to the primary and ships what it is assigned; answers the bound port. */
  start(): Promise<{ port: number }> {
    return this.starting(async () => {
      const bound = await this.#listener.start();
      this.#port = bound.port;
      return bound;
    });
  }

  status(): ListenerStatus {
    return { state: this.state, role: this.options.role, address: `${this.options.localIp ?? LOCAL_IP_DEFAULT}:${this.#port}` };
  }

  /** Stops every shipper (the drainer keeps the positions), then the loops and the port. */
  close(): Promise<void> {
    return this.closing(() => this.#listener.close());
  }

  /** Cuts every stream and connection now. */
  destroy(): void {
    this.cutting(() => this.#listener.destroy());
  }
}

/**
 * A drainer in this process; made by `createDrainer`.
 *
 * @example
 * ```ts
 * const drainer: DrainerRole = createDrainer({ metaServerAddrs: ['127.0.0.1:9561'] });
 * await drainer.start();
 * drainer.status(); // { state: 'running', address: '127.0.0.1:<port>' }
 * ```
 */
export class DrainerRole extends Role<SyncRoleStatus> {
  readonly #drainer: Drainer;

  constructor(options: DrainerRoleOptions) {
    super(options.log);
    this.#drainer = new Drainer(processOptions(options, this.log));
  }

  /** Binds, then heartbeats to the secondary and forwards what listeners ship; answers the bound port. */
  start(): Promise<{ port: number }> {
    return this.starting(() => this.#drainer.start());
  }

  status(): SyncRoleStatus {
    return { state: this.state, address: this.#drainer.address };
  }

  /** Finishes the applies in flight, ends every stream, reports them stopped, releases the port. */
  close(): Promise<void> {
    return this.closing(() => this.#drainer.close());
  }

  /** Drops every connection now; the secondary keeps whatever it applied. */
  destroy(): void {
    this.cutting(() => this.#drainer.destroy());
  }
}

/**
 * A meta or storage listener of a primary cluster, to run in this process: it ships the primary's
 * WALs (or a snapshot) to the drainer that the primary's ADD LISTENER SYNC / SIGN IN DRAINER
 * SERVICE name. Nothing binds until `start()`.
 *
 * @example
 * ```ts
 * const listener = createListener({ role: 'storage', metaServerAddrs: ['127.0.0.1:9559'] });
 * listener.onLog((line) => { if (line.level !== 'info') console.warn(line.msg, line.fields); });
 * const { port } = await listener.start(); // name it in ADD LISTENER SYNC ... STORAGE 127.0.0.1:<port>
 * await listener.close();
 * ```
 */
export function createListener(options: ListenerRoleOptions): ListenerRole {
  return new ListenerRole(options);
}

/**
 * A drainer in front of a secondary cluster, to run in this process: it takes the listeners' Ship
 * streams and applies them to the secondary. Nothing binds until `start()`.
 *
 * @example
 * ```ts
 * const drainer = createDrainer({ metaServerAddrs: ['127.0.0.1:9561'] });
 * drainer.onStatus((s) => console.log(s.state, s.address));
 * await drainer.start(); // 'running 127.0.0.1:<port>': name it in ADD DRAINER and SIGN IN DRAINER SERVICE
 * await drainer.close();
 * ```
 */
export function createDrainer(options: DrainerRoleOptions): DrainerRole {
  return new DrainerRole(options);
}
