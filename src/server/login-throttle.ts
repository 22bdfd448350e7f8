/**
 * Failed logins back off, so that guessing passwords is slow and cheap for us to refuse.
 *
 * Two tables of consecutive failures: per (user, IP) and per IP. After `USER_IP_FAILURES_FREE`
 * failures of one user from one IP, or `IP_FAILURES_FREE` failures from one IP for any users, that
 * key is blocked for a window that doubles with each further failure (1 s, 2 s, 4 s ... capped at
 * 30 s). An attempt during a window is refused at once, without hashing; it does not lengthen the
 * window, so an honest user who waits it out always gets one real try. A success forgets the
 * (user, IP) failures; the IP's failures are forgotten only with time, so one valid account cannot
 * launder a spray of guesses at others.
 *
 * Why these keys, and root: keying on the user alone would let anyone lock root out by guessing
 * root's password from anywhere (NebulaGraph's failed_login_attempts does that). Here a guesser
 * only blocks (root, their IP) and their own IP. Root is never held back by the per-IP table: others'
 * failures on other users from root's IP never block root; only failed logins as root from that
 * same IP do, for at most 30 s at a time. A root session already open is never affected.
 *
 * Bounded: each table keeps at most `limits.loginFailureEntriesMax` keys, least recently failed
 * dropped first, and forgets a key `LOGIN_FAILURES_FORGET_MS` after its last failure; user names are
 * cut to `USER_KEY_CHARS_MAX` characters in keys. A flood of made-up users or IPs cannot grow memory.
 */
import { limits } from '../limits.ts';
import { ROOT_USER } from '../executor/permissions.ts';

/** Failures of one user from one IP before backoff starts. */
export const USER_IP_FAILURES_FREE = 3;
/** Failures from one IP, any users, before backoff starts (a spray over many names). */
export const IP_FAILURES_FREE = 10;
/** The first backoff window; each further failure doubles it. */
export const LOGIN_BACKOFF_MS_FIRST = 1000;
export const LOGIN_BACKOFF_MS_MAX = 30_000;
/** A key with no failure for this long starts again from zero. */
export const LOGIN_FAILURES_FORGET_MS = 15 * 60_000;
/** Longest user name kept in a key (real names are at most 16 characters). */
const USER_KEY_CHARS_MAX = 64;
/** Stale keys dropped per recorded failure, so cleanup stays bounded work. */
const STALE_DROPPED_PER_FAILURE_MAX = 8;

interface Failures {
  count: number;
  lastMs: number;
  blockedUntilMs: number;
}

/** One table of consecutive failures per key, kept in least-recently-failed order. */
class FailureTable {
  private readonly byKey = new Map<string, Failures>();

  constructor(
    private readonly free: number,
    private readonly entriesMax: number,
  ) {}

  get size(): number {
    return this.byKey.size;
  }

  /** Milliseconds left in the key's backoff window, 0 when an attempt may go on. */
  blockedMs(key: string, nowMs: number): number {
    const f = this.live(key, nowMs);
    return f === undefined ? 0 : Math.max(0, f.blockedUntilMs - nowMs);
  }

  fail(key: string, nowMs: number): void {
    const f = this.live(key, nowMs) ?? { count: 0, lastMs: nowMs, blockedUntilMs: 0 };
    f.count++;
    f.lastMs = nowMs;
    if (f.count >= this.free) {
      const doublings = Math.min(f.count - this.free, 30);
      f.blockedUntilMs = nowMs + Math.min(LOGIN_BACKOFF_MS_FIRST * 2 ** doublings, LOGIN_BACKOFF_MS_MAX);
    }
    // Re-insert so the Map's order stays least recently failed first.
    this.byKey.delete(key);
    this.byKey.set(key, f);
    this.dropStale(nowMs);
  }

  forget(key: string): void {
    this.byKey.delete(key);
  }

  private live(key: string, nowMs: number): Failures | undefined {
    const f = this.byKey.get(key);
    if (f !== undefined && this.stale(f, nowMs)) {
      this.byKey.delete(key);
      return undefined;
    }
    return f;
  }

  private stale(f: Failures, nowMs: number): boolean {
    return nowMs - f.lastMs >= LOGIN_FAILURES_FORGET_MS && nowMs >= f.blockedUntilMs;
  }

  private dropStale(nowMs: number): void {
    let dropped = 0;
    for (const [key, f] of this.byKey) {
      const over = this.byKey.size > this.entriesMax;
      if (!over && (dropped >= STALE_DROPPED_PER_FAILURE_MAX || !this.stale(f, nowMs))) return;
      this.byKey.delete(key);
      dropped++;
    }
  }
}

export interface LoginThrottleOptions {
  /** Milliseconds; injected for tests. */
  readonly now?: () => number;
  readonly entriesMax?: number;
}

export class LoginThrottle {
  private readonly userIp: FailureTable;
  private readonly ip: FailureTable;
  private readonly now: () => number;

  constructor(opts: LoginThrottleOptions = {}) {
    const entriesMax = opts.entriesMax ?? limits.loginFailureEntriesMax;
    this.userIp = new FailureTable(USER_IP_FAILURES_FREE, entriesMax);
    this.ip = new FailureTable(IP_FAILURES_FREE, entriesMax);
    this.now = opts.now ?? Date.now;
  }

  /** Milliseconds `user` from `ip` must wait before an attempt is heard; 0 when it may go on. */
  retryAfterMs(user: string, ip: string): number {
    const now = this.now();
    const own = this.userIp.blockedMs(userIpKey(user, ip), now);
    if (user === ROOT_USER) return own;
    return Math.max(own, this.ip.blockedMs(ip, now));
  }

  failed(user: string, ip: string): void {
    const now = this.now();
    this.userIp.fail(userIpKey(user, ip), now);
    this.ip.fail(ip, now);
  }

  succeeded(user: string, ip: string): void {
    this.userIp.forget(userIpKey(user, ip));
  }

  /** Keys held, for tests and status. */
  get entries(): { userIp: number; ip: number } {
    return { userIp: this.userIp.size, ip: this.ip.size };
  }
}

function userIpKey(user: string, ip: string): string {
  return `${ip}\u0000${user.slice(0, USER_KEY_CHARS_MAX)}`;
}
