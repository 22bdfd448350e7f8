/**
 * Who has been heard from lately: the volatile heartbeat registry of a meta service.
 *
 * Listeners, drainers and storage hosts heartbeat every `heartbeat_interval_secs`; a host is
 * ONLINE while its last heartbeat is at most 5 intervals old, and stays listed as OFFLINE after
 * that (as NebulaGraph keeps a silent host), for up to HOST_EXPIRE_MS: a host not heard for a day
 * is forgotten, as NebulaGraph's metad forgets one after `removed_threshold_sec` (default one day).
 *
 * Anyone who reaches the meta port can heartbeat (without TLS), so the registry must not let a
 * flood of made-up hosts keep a real one out, or grow without bound:
 * - hosts the catalog names (ADD HOSTS storage hosts, ADD LISTENER SYNC listener addresses, SIGN IN
 *   DRAINER SERVICE drainers on a primary, ADD DRAINER drainers on a secondary) always get a slot;
 * - every other (unknown) host shares a pool of UNKNOWN_HOSTS_MAX slots, and the least recently
 *   heard is evicted first. A real process that heartbeats before the statement naming it ran
 *   keeps coming back (it heartbeats every interval) and is named, hence kept, once it ran.
 * Nothing here is durable: after a restart hosts are simply heard again. Time is passed in, never
 * read, so tests need no sleeping.
 */
import type { Catalog, HostAddr, HostRole } from '../../catalog/types.ts';
import type { HostInfo, HostStatus } from '../../executor/types.ts';

/** Heartbeat intervals a host may miss before it counts as OFFLINE. */
export const MISSED_HEARTBEATS_MAX = 5;
/** Slots shared by hosts the catalog does not name; least recently heard evicted first. */
export const UNKNOWN_HOSTS_MAX = 256;
/** Hosts the catalog names kept at once: a bound that a sane catalog never reaches. */
export const NAMED_HOSTS_MAX = 10_000;
/** A host not heard for this long is no longer listed (NebulaGraph's removed_threshold_sec, 1 day). */
export const HOST_EXPIRE_MS = 24 * 3600 * 1000;

export interface Heartbeat {
  readonly role: HostRole;
  readonly host: string;
  readonly port: number;
  readonly gitInfoSha: string;
  readonly version: string;
}

export interface LivenessOptions {
  readonly heartbeatIntervalSecs: number;
}

interface Heard extends Heartbeat {
  readonly lastMs: number;
}

const keyOf = (role: HostRole, host: string, port: number): string => `${role}\u0000${host}\u0000${port}`;

const names = (addrs: readonly HostAddr[] | undefined, host: string, port: number): boolean =>
  addrs !== undefined && addrs.some((a) => a.host === host && a.port === port);

/** Whether the catalog names `host:port` in `role` (so its heartbeats always get a slot). */
export function namedInCatalog(cat: Catalog, role: HostRole, host: string, port: number): boolean {
  switch (role) {
    case 'STORAGE':
      return cat.storageHosts.includes(`${host}:${port}`);
    case 'META_LISTENER':
      return Object.values(cat.listeners).some((l) => l.meta.host === host && l.meta.port === port);
    case 'STORAGE_LISTENER':
      return Object.values(cat.listeners).some((l) => names(l.storage, host, port));
    case 'DRAINER':
      return Object.values(cat.drainerClients).some((d) => names(d, host, port)) || Object.values(cat.drainers).some((d) => names(d, host, port));
    default:
      return false;
  }
}

export class Liveness {
  readonly #windowMs: number;
  /** Hosts the catalog named when last heard; each map is in last-heard order (oldest first). */
  readonly #named = new Map<string, Heard>();
  readonly #unknown = new Map<string, Heard>();

  /** @example new Liveness({ heartbeatIntervalSecs: 10 }) */
  constructor(options: LivenessOptions) {
    this.#windowMs = MISSED_HEARTBEATS_MAX * options.heartbeatIntervalSecs * 1000;
  }

  /** How long after a heartbeat a host stays ONLINE, in ms (5 intervals); progress reports age the same way. */
  get onlineWindowMs(): number {
    return this.#windowMs;
  }

  /** Hosts remembered now, named and unknown (for tests and status pages). */
  get size(): number {
    return this.#named.size + this.#unknown.size;
  }

  /**
   * Record a heartbeat heard at `nowMs`; `named` says whether the catalog names the host
   * (`namedInCatalog`). An unknown host always gets a slot too, by evicting the unknown host
   * heard least recently. Answers true (the host is recorded).
   */
  heartbeat(beat: Heartbeat, nowMs: number, named = false): boolean {
    this.#expire(nowMs);
    const key = keyOf(beat.role, beat.host, beat.port);
    const { role, host, port, gitInfoSha, version } = beat;
    const heard: Heard = { role, host, port, gitInfoSha, version, lastMs: nowMs };
    // Delete then set: each map stays in last-heard order, so its first entry is the stalest.
    this.#named.delete(key);
    this.#unknown.delete(key);
    const into = named ? this.#named : this.#unknown;
    into.set(key, heard);
    const max = named ? NAMED_HOSTS_MAX : UNKNOWN_HOSTS_MAX;
    while (into.size > max) into.delete(into.keys().next().value!);
    return true;
  }

  /** ONLINE while heard within the last 5 intervals; OFFLINE when older or never heard. */
  statusOf(role: HostRole, host: string, port: number, nowMs: number): HostStatus {
    const key = keyOf(role, host, port);
    const heard = this.#named.get(key) ?? this.#unknown.get(key);
    return heard !== undefined && this.#online(heard, nowMs) ? 'ONLINE' : 'OFFLINE';
  }

  /** Every host of `role` heard within HOST_EXPIRE_MS, sorted by host then port. */
  list(role: HostRole, nowMs: number): readonly HostInfo[] {
    this.#expire(nowMs);
    const rows: HostInfo[] = [];
    for (const map of [this.#named, this.#unknown]) {
      for (const heard of map.values()) {
        if (heard.role !== role) continue;
        rows.push({
          host: heard.host,
          port: heard.port,
          role,
          status: this.#online(heard, nowMs) ? 'ONLINE' : 'OFFLINE',
          gitInfoSha: heard.gitInfoSha,
          version: heard.version,
        });
      }
    }
    return rows.sort(byHostThenPort);
  }

  /** Forget a host (e.g. after DROP HOSTS) so it is no longer listed. */
  forget(role: HostRole, host: string, port: number): void {
    const key = keyOf(role, host, port);
    this.#named.delete(key);
    this.#unknown.delete(key);
  }

  #online(heard: Heard, nowMs: number): boolean {
    return nowMs - heard.lastMs <= this.#windowMs;
  }

  /** Drop hosts not heard for HOST_EXPIRE_MS: the stalest are first in each map. */
  #expire(nowMs: number): void {
    for (const map of [this.#named, this.#unknown]) {
      for (const [key, heard] of map) {
        if (nowMs - heard.lastMs <= HOST_EXPIRE_MS) break;
        map.delete(key);
      }
    }
  }
}

/** The order SHOW HOSTS prints rows in. */
export function byHostThenPort(a: { host: string; port: number }, b: { host: string; port: number }): number {
  if (a.host !== b.host) return a.host < b.host ? -1 : 1;
  return a.port - b.port;
}
