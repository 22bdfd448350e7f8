/**
 * Client sessions of one graph service: created by `authenticate`, ended by `signout`, by their
 * user being dropped, or by staying unused for `idleMs` (NebulaGraph's session_idle_timeout_secs).
 * Session ids are random positive int64s, as NebulaGraph hands out.
 *
 * Bounds, as NebulaGraph's graphd has them:
 * - at most `perIpUserMax` sessions of one user from one IP (max_sessions_per_ip_per_user); the next
 *   is refused with NebulaGraph's E_SESSION_INVALID "Create Session failed: Too many sessions
 *   created from ..." (graphd answers session-creation failures with that code);
 * - at most `sessionsMax` in all (max_allowed_connections), of which the last `reservedForRoot`
 *   only root may take, so that a flood by other users never locks root out: E_TOO_MANY_CONNECTIONS
 *   "Too many connections in the cluster".
 *
 * An idle session is gone for good: the next call with its id gets E_SESSION_INVALID, as in
 * NebulaGraph, whose reclaimer removes it (it never answers E_SESSION_TIMEOUT). The table is kept in
 * least-recently-used order (a use moves a session to the end), so `sweep()` removes expired
 * sessions from the front and stops at the first live one: work in proportion to what it removes
 * (plus the sessions it skips because a statement is running on them: those are never idle).
 */
import { randomBytes } from 'node:crypto';
import { Errors, type NgError } from '../errors.ts';
import { ROOT_USER } from '../executor/permissions.ts';
import type { Session } from '../executor/types.ts';

export interface SessionsOptions {
  /** A session unused this long is closed. */
  readonly idleMs: number;
  /** Sessions of one user from one IP. */
  readonly perIpUserMax: number;
  /** Sessions in all, root's reserve included. */
  readonly sessionsMax: number;
  /** Of `sessionsMax`, how many only root may open. */
  readonly reservedForRoot: number;
  /** Milliseconds; injected for tests. */
  readonly now?: () => number;
}

interface Entry {
  readonly session: Session;
  readonly ip: string;
  lastUsedMs: number;
  /** Statements running on it now: a session is never idle while one runs. */
  running: number;
}

export type OpenResult = { readonly ok: true; readonly session: Session } | { readonly ok: false; readonly error: NgError };

export class Sessions {
  /** Least recently used first. */
  private readonly byId = new Map<bigint, Entry>();
  private readonly perIpUser = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly opts: SessionsOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** A new session for `user` connected from `ip`, or the error NebulaGraph answers at a cap. */
  open(user: string, ip: string): OpenResult {
    const key = ipUserKey(user, ip);
    if ((this.perIpUser.get(key) ?? 0) >= this.opts.perIpUserMax) this.sweep();
    if ((this.perIpUser.get(key) ?? 0) >= this.opts.perIpUserMax) return { ok: false, error: Errors.tooManySessionsFromIp(ip, user, this.opts.perIpUserMax) };
    const cap = user === ROOT_USER ? this.opts.sessionsMax : this.opts.sessionsMax - this.opts.reservedForRoot;
    if (this.byId.size >= cap) this.sweep();
    if (this.byId.size >= cap) return { ok: false, error: Errors.tooManyConnectionsInCluster() };
    let id: bigint;
    do id = randomBytes(8).readBigInt64BE() & 0x7fffffffffffffffn;
    while (id === 0n || this.byId.has(id));
    const session: Session = { id, user };
    this.byId.set(id, { session, ip, lastUsedMs: this.now(), running: 0 });
    this.perIpUser.set(key, (this.perIpUser.get(key) ?? 0) + 1);
    return { ok: true, session };
  }

  /** The live session with `id`, marked used now; an expired one is closed and not answered. */
  get(id: bigint): Session | undefined {
    const entry = this.byId.get(id);
    if (entry === undefined) return undefined;
    if (this.expired(entry, this.now())) {
      this.remove(id, entry);
      return undefined;
    }
    this.touch(id, entry);
    return entry.session;
  }

  /** `get`, and the session stays live until the matching `end` (a statement runs on it). */
  begin(id: bigint): Session | undefined {
    const session = this.get(id);
    if (session !== undefined) this.byId.get(id)!.running++;
    return session;
  }

  /** A statement begun with `begin` is over: the session is used now. */
  end(id: bigint): void {
    const entry = this.byId.get(id);
    if (entry === undefined) return;
    entry.running = Math.max(0, entry.running - 1);
    this.touch(id, entry);
  }

  close(id: bigint): void {
    const entry = this.byId.get(id);
    if (entry !== undefined) this.remove(id, entry);
  }

  /** Sessions of a dropped user end with it. */
  closeUser(user: string): void {
    for (const [id, entry] of this.byId) if (entry.session.user === user) this.remove(id, entry);
  }

  /** Closes sessions idle past the timeout; answers how many. */
  sweep(): number {
    const now = this.now();
    let removed = 0;
    for (const [id, entry] of this.byId) {
      if (entry.running > 0) continue;
      if (!this.expired(entry, now)) break;
      this.remove(id, entry);
      removed++;
    }
    return removed;
  }

  get size(): number {
    return this.byId.size;
  }

  private expired(entry: Entry, nowMs: number): boolean {
    return entry.running === 0 && nowMs - entry.lastUsedMs >= this.opts.idleMs;
  }

  /** Marks `entry` used now and moves it to the most recently used end. */
  private touch(id: bigint, entry: Entry): void {
    entry.lastUsedMs = this.now();
    this.byId.delete(id);
    this.byId.set(id, entry);
  }

  private remove(id: bigint, entry: Entry): void {
    this.byId.delete(id);
    const key = ipUserKey(entry.session.user, entry.ip);
    const left = (this.perIpUser.get(key) ?? 1) - 1;
    if (left > 0) this.perIpUser.set(key, left);
    else this.perIpUser.delete(key);
  }
}

function ipUserKey(user: string, ip: string): string {
  return `${ip}\u0000${user}`;
}
