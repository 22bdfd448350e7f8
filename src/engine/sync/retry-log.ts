/**
 * Retries that back off, and logs that speak once per state change instead of once per attempt
 * (STYLE: every retry backs off). A refused apply (full disk, E_SCHEMA_PENDING, E_LOG_GAP, a
 * drainer's refusal, an RPC failure) is retried by drainers and listeners for as long as it
 * lasts: a line per attempt would be a line every few seconds per partition, and a stack per
 * attempt about 1 GB a day. So each process says "apply refused: <code> ...; retrying with
 * backoff" when a (scope, code) starts failing, "apply accepted again" when its last member
 * heals, and nothing in between.
 *
 * @example
 *   const backoff = new Backoff();
 *   const states = new StateLog(log, 'apply');
 *   states.failed('target', 'source/3', -4001, 'LogGap: ...'); // logs once for 'target'
 *   await sleep(backoff.next(), signal);
 *   states.ok('target', 'source/3');                          // logs "apply accepted again"
 */
import type { Logger } from '../../log.ts';
import { backoffMs } from './rpc-call.ts';

/** First wait of a retried refusal; doubles per attempt up to RETRY_MAX_MS. */
export const RETRY_BASE_MS = 50;
/** Longest wait between two attempts: a healed peer is noticed within this. */
export const RETRY_MAX_MS = 3_000;
/** Members (e.g. source partitions) whose state a StateLog remembers; the oldest are forgotten. */
export const STATE_LOG_MEMBERS_MAX = 4_096;
/** Lines a StateLog may write per STATE_LOG_WINDOW_MS, however many members misbehave. */
export const STATE_LOG_LINES_MAX = 30;
export const STATE_LOG_WINDOW_MS = 60_000;

/** Exponential backoff: base, 2 x base, ... capped at max. */
export class Backoff {
  #attempt = 0;

  constructor(
    private readonly baseMs = RETRY_BASE_MS,
    private readonly maxMs = RETRY_MAX_MS,
  ) {}

  /** Failed attempts since the last reset. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The wait before the next attempt (and count this failure). */
  next(): number {
    return backoffMs(this.#attempt++, this.baseMs, this.maxMs);
  }

  /** Wait as if at least `attempt` attempts had failed (a refusal rarely heals fast). */
  atLeast(attempt: number): void {
    this.#attempt = Math.max(this.#attempt, attempt);
  }

  reset(): void {
    this.#attempt = 0;
  }
}

interface MemberState {
  readonly scope: string;
  readonly code: string;
}

/**
 * Which members of each scope are failing and with which code. A line when a (scope, code) gets
 * its first failing member, a line when its last one heals; moving between codes logs the new one.
 * At most STATE_LOG_LINES_MAX lines per window: members are named by peers (a source, a part),
 * so a flood of made-up ones must not become a flood of lines; what was held back is counted in
 * the next line (`suppressed`).
 */
export class StateLog {
  readonly #members = new Map<string, MemberState>();
  readonly #active = new Map<string, number>();
  #tokens = STATE_LOG_LINES_MAX;
  #refilledMs: number;
  #suppressed = 0;

  constructor(
    private readonly log: Logger,
    private readonly what: string,
    private readonly now: () => number = Date.now,
  ) {
    this.#refilledMs = now();
  }

  /** Whether `member` of `scope` is in a failing state. */
  failing(scope: string, member: string): boolean {
    return this.#members.has(keyOf(scope, member));
  }

  /** `member` failed with `code`; logs (warn) when the scope had no member failing with it. */
  failed(scope: string, member: string, code: number | string, message: string, fields: Record<string, unknown> = {}): boolean {
    const key = keyOf(scope, member);
    const state = { scope, code: String(code) };
    const was = this.#members.get(key);
    if (was !== undefined && was.code === state.code) return false;
    if (was !== undefined) this.#leave(was);
    this.#members.delete(key);
    this.#members.set(key, state);
    if (this.#members.size > STATE_LOG_MEMBERS_MAX) this.#evictOldest();
    const active = keyOf(scope, state.code);
    const n = (this.#active.get(active) ?? 0) + 1;
    this.#active.set(active, n);
    if (n > 1) return false;
    return this.#write('warn', `${this.what} refused: ${code} ${message}; retrying with backoff`, { ...fields, code });
  }

  /** `member` succeeded; logs (info) when it was the last member of its scope failing with its code. */
  ok(scope: string, member: string, fields: Record<string, unknown> = {}): boolean {
    const key = keyOf(scope, member);
    const was = this.#members.get(key);
    if (was === undefined) return false;
    this.#members.delete(key);
    if (!this.#leave(was)) return false;
    return this.#write('info', `${this.what} accepted again`, { ...fields, code: was.code });
  }

  /** Drop `member` silently (its stream or shipper ended for good). */
  forget(scope: string, member: string): void {
    const key = keyOf(scope, member);
    const was = this.#members.get(key);
    if (was === undefined) return;
    this.#members.delete(key);
    this.#leave(was);
  }

  /** One member fewer in its (scope, code); answers whether it was the last. */
  #leave(state: MemberState): boolean {
    const active = keyOf(state.scope, state.code);
    const n = (this.#active.get(active) ?? 1) - 1;
    if (n > 0) {
      this.#active.set(active, n);
      return false;
    }
    this.#active.delete(active);
    return true;
  }

  #evictOldest(): void {
    const oldest = this.#members.keys().next();
    if (oldest.done === true) return;
    const state = this.#members.get(oldest.value)!;
    this.#members.delete(oldest.value);
    this.#leave(state);
  }

  #write(level: 'warn' | 'info', msg: string, fields: Record<string, unknown>): boolean {
    const nowMs = this.now();
    const refill = ((nowMs - this.#refilledMs) * STATE_LOG_LINES_MAX) / STATE_LOG_WINDOW_MS;
    this.#tokens = Math.min(STATE_LOG_LINES_MAX, this.#tokens + Math.max(0, refill));
    this.#refilledMs = nowMs;
    if (this.#tokens < 1) {
      this.#suppressed += 1;
      return false;
    }
    this.#tokens -= 1;
    const extra = this.#suppressed > 0 ? { suppressed: this.#suppressed } : {};
    this.#suppressed = 0;
    this.log[level](msg, { ...fields, ...extra });
    return true;
  }
}

const keyOf = (a: string, b: string): string => `${a}\u0000${b}`;
