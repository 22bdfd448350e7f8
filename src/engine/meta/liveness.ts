/**
 * Who has been heard from lately: the volatile heartbeat registry of a meta service.
 *
 * Listeners, drainers and storage hosts heartbeat every `heartbeat_interval_secs`; a host is
 * ONLINE while its last heartbeat is at most 5 intervals old, and stays listed as OFFLINE after
 * that (as NebulaGraph keeps a silent host). Nothing here is durable: after a restart hosts are
 * simply heard again. Time is passed in, never read, so tests need no sleeping.
 */
import type { HostRole } from '../../catalog/types.ts';
import type { HostInfo, HostStatus } from '../../executor/types.ts';

/** Heartbeat intervals a host may miss before it counts as OFFLINE. */
export const MISSED_HEARTBEATS_MAX = 5;
/** Hosts remembered at once; a flood of made-up addresses cannot grow the registry past this. */
export const LIVENESS_HOSTS_MAX = 10_000;

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

export class Liveness {
  readonly #windowMs: number;
  readonly #heard = new Map<string, Heard>();

  /** @example new Liveness({ heartbeatIntervalSecs: 10 }) */
  constructor(options: LivenessOptions) {
    this.#windowMs = MISSED_HEARTBEATS_MAX * options.heartbeatIntervalSecs * 1000;
  }

  /** How long after a heartbeat a host stays ONLINE, in ms (5 intervals); progress reports age the same way. */
  get onlineWindowMs(): number {
    return this.#windowMs;
  }

  /**
   * Record a heartbeat heard at `nowMs`. Answers false (and records nothing) when the registry is
   * full and the host is new.
   */
  heartbeat(beat: Heartbeat, nowMs: number): boolean {
    const key = keyOf(beat.role, beat.host, beat.port);
    if (!this.#heard.has(key) && this.#heard.size >= LIVENESS_HOSTS_MAX) return false;
    const { role, host, port, gitInfoSha, version } = beat;
    this.#heard.set(key, { role, host, port, gitInfoSha, version, lastMs: nowMs });
    return true;
  }

  /** ONLINE while heard within the last 5 intervals; OFFLINE when older or never heard. */
  statusOf(role: HostRole, host: string, port: number, nowMs: number): HostStatus {
    const heard = this.#heard.get(keyOf(role, host, port));
    return heard !== undefined && this.#online(heard, nowMs) ? 'ONLINE' : 'OFFLINE';
  }

  /** Every host of `role` ever heard (since start), sorted by host then port. */
  list(role: HostRole, nowMs: number): readonly HostInfo[] {
    const rows: HostInfo[] = [];
    for (const heard of this.#heard.values()) {
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
    return rows.sort(byHostThenPort);
  }

  /** Forget a host (e.g. after DROP HOSTS) so it is no longer listed. */
  forget(role: HostRole, host: string, port: number): void {
    this.#heard.delete(keyOf(role, host, port));
  }

  #online(heard: Heard, nowMs: number): boolean {
    return nowMs - heard.lastMs <= this.#windowMs;
  }
}

/** The order SHOW HOSTS prints rows in. */
export function byHostThenPort(a: { host: string; port: number }, b: { host: string; port: number }): number {
  if (a.host !== b.host) return a.host < b.host ? -1 : 1;
  return a.port - b.port;
}
