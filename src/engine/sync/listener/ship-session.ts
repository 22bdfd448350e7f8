/**
 * One Ship stream of one source partition (a Drainer.Ship call, or one virtual stream of the
 * listener's Drainer.ShipMany call, ship-mux.ts): the hello, then batches or snapshot chunks
 * with at most `windowBatches` unacknowledged. Each answer advances the acknowledged position to
 * what the drainer says was applied, never to what was sent (DESIGN rule 2). Any failure (a
 * refusal code, the stream's end or error, the parent's abort) ends the whole session once: its
 * `signal` aborts so the WAL reads feeding it stop too, and the part shipper starts over from the
 * drainer's position. It tells `onWindow` whenever what waits for an acknowledgement changes, so
 * the primary can tell a stream that acknowledges from one that is stuck (docs/status.md).
 */
import type { PositionMsg, ShipHelloMsg, ShipReplyMsg, ShipRequestMsg } from '../wire.ts';
import { HELLO_TIMEOUT_MS } from './listener-limits.ts';
import type { ShipCallLike } from './ship-mux.ts';

/** What feeds the session: the next request to ship, and how many wait. */
export interface ShipSource {
  take(): ShipRequestMsg | undefined;
  pending(): number;
}

/**
 * The primary ended a tail: what STOP SYNC does to every tail of the space (the listener learns of
 * the stop a poll later). An ordinary event, logged at info once per stream, not a warning.
 */
export class TailEnded extends Error {}

/** A drainer's refusal (code != 0): the part backs off longer than after a dropped stream. */
export class ShipRefused extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(`drainer refused (code ${code}): ${message}`);
  }
}

export class ShipSession {
  private readonly controller = new AbortController();
  private readonly call: ShipCallLike;
  private readonly waiters = new Set<() => void>();
  private hello: ((reply: ShipReplyMsg) => void) | undefined;
  private source: ShipSource | undefined;
  private inflightCount = 0;
  /** Since when the stream waits for an acknowledgement (0 when nothing is outstanding). */
  private waitingSinceMs = 0;
  private failure: Error | undefined;
  private readonly unlinkParent: () => void;

  /** Aborted once the session failed or its parent aborted. */
  readonly signal = this.controller.signal;

  constructor(
    /** A Ship call, or a virtual stream of the listener's ShipMany call to the drainer. */
    call: ShipCallLike,
    private readonly windowBatches: number,
    parent: AbortSignal,
    private readonly onAck: (position: PositionMsg) => void,
    /** Told of every batch or chunk written to the stream (metrics). */
    private readonly onSent?: (req: ShipRequestMsg) => void,
    /** Told whenever what waits for an acknowledgement changes (status). */
    private readonly onWindow: (outstanding: number, waitingSinceMs: number) => void = () => undefined,
  ) {
    this.call = call;
    this.call.on('data', (reply: ShipReplyMsg) => this.onReply(reply));
    this.call.on('error', (err: Error) => this.fail(err));
    this.call.on('end', () => this.fail(new Error('the drainer ended the stream')));
    const onAbort = () => this.fail(new Error('stopped'));
    parent.addEventListener('abort', onAbort, { once: true });
    this.unlinkParent = () => parent.removeEventListener('abort', onAbort);
    if (parent.aborted) onAbort();
  }

  /** Batches sent and not yet answered. */
  get inflight(): number {
    return this.inflightCount;
  }

  get error(): Error | undefined {
    return this.failure;
  }

  /** Send the hello and answer the drainer's reply (its applied position, or a refusal). */
  async sayHello(hello: ShipHelloMsg): Promise<ShipReplyMsg> {
    const reply = new Promise<ShipReplyMsg>((resolve) => (this.hello = resolve));
    const timer = setTimeout(() => this.fail(new Error(`no answer to hello in ${HELLO_TIMEOUT_MS} ms`)), HELLO_TIMEOUT_MS);
    try {
      this.call.write({ hello });
      await this.waitUntil(() => this.hello === undefined);
      return await reply;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ship from `source` from now on (snapshot chunks, then the tail's batches). */
  setSource(source: ShipSource): void {
    this.source = source;
    this.kick();
  }

  /** Send what the source has while the window has room. */
  kick(): void {
    const before = this.inflightCount;
    while (this.failure === undefined && this.source !== undefined && this.inflightCount < this.windowBatches) {
      const next = this.source.take();
      if (next === undefined) break;
      this.inflightCount += 1;
      this.call.write(next);
      this.onSent?.(next);
    }
    if (before === 0 && this.inflightCount > 0) {
      this.waitingSinceMs = Date.now();
      this.onWindow(this.inflightCount, this.waitingSinceMs);
    }
  }

  /** Resolves once `ready()` holds; rejects with the session's failure. */
  async waitUntil(ready: () => boolean): Promise<void> {
    for (;;) {
      if (this.failure !== undefined) throw this.failure;
      if (ready()) return;
      await new Promise<void>((resolve) => this.waiters.add(resolve));
    }
  }

  /** Resolves once everything sent was answered and nothing waits. */
  drained(): Promise<void> {
    return this.waitUntil(() => this.inflightCount === 0 && (this.source?.pending() ?? 0) === 0);
  }

  /** End the session (idempotent); the drainer sees the stream cancelled. */
  close(): void {
    this.fail(new Error('closed'));
  }

  private onReply(reply: ShipReplyMsg): void {
    if (this.hello !== undefined) {
      const answer = this.hello;
      this.hello = undefined;
      answer(reply);
    } else if (reply.code !== 0) {
      return this.fail(new ShipRefused(reply.code, reply.message));
    } else {
      this.inflightCount = Math.max(0, this.inflightCount - 1);
      // An acknowledgement restarts the wait for the next one.
      this.waitingSinceMs = this.inflightCount > 0 ? Date.now() : 0;
      if (reply.position !== null) this.onAck(reply.position);
      this.kick();
      this.onWindow(this.inflightCount, this.waitingSinceMs);
    }
    this.notify();
  }

  private fail(err: Error): void {
    if (this.failure !== undefined) return;
    this.failure = err;
    this.unlinkParent();
    this.controller.abort();
    this.call.cancel();
    this.notify();
  }

  private notify(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const resolve of waiting) resolve();
  }
}
