/**
 * One Ship stream from a listener: a hello, then batches or snapshot chunks of one source
 * partition. The hello is answered with the secondary's position; each batch or chunk is forwarded
 * to the secondary strictly in order and answered only once the secondary answered, so an
 * acknowledged entry is durable downstream (DESIGN rule 2). While the secondary answers
 * E_SCHEMA_PENDING (schema first, FAQ), holds it for a VERIFY SYNC (E_VERIFY_HOLD, sent again
 * after a few ms, not a refusal) or cannot apply for now (E_RPC_FAILURE: it is down, its
 * disk is full; E_NO_HOSTS) the batch is held and retried with exponential backoff. Any other
 * refusal is answered and ends the stream: the listener reconnects and says hello again. Refusals
 * are logged once per (target, code) state change through the drainer's StateLog, not per attempt.
 * An idle stream checks its position every SHIP_IDLE_CHECK_MS, so a REMOVE DRAINER or a target
 * dropped and created again ends it (the listener starts over from the new position).
 *
 * At most SHIP_QUEUE_MAX requests wait here; beyond that the stream stops reading, so gRPC flow
 * control holds the listener back instead of this process buffering its backlog.
 */
import type * as grpc from '@grpc/grpc-js';
import { ErrorCode, MetaCode } from '../../../errors.ts';
import type { Logger } from '../../../log.ts';
import { Backoff, type StateLog } from '../retry-log.ts';
import { sleep } from '../rpc-call.ts';
import type { ForwardCounters } from '../sync-counters.ts';
import {
  E_SCHEMA_PENDING,
  E_VERIFY_HOLD,
  num,
  type ApplyReplyMsg,
  type ApplyRequestMsg,
  type ShipHelloMsg,
  type ShipReplyMsg,
  type ShipRequestMsg,
  type WalBatchMsg,
} from '../wire.ts';
import type { ProgressBook } from './progress-book.ts';
import type { ShipCallLike } from './ship-mux.ts';
import type { LinkSession, SecondaryLink } from './secondary-link.ts';

/** Requests read ahead of the one being applied, per stream. */
export const SHIP_QUEUE_MAX = 32;
/**
 * Batches that waited behind an apply go to the secondary together, as one contiguous batch of at
 * most this many entries: a burst costs one apply instead of one each, so a queue never builds up.
 */
export const MERGED_ENTRIES_MAX = 5_000;
/** ... and at most this many payload bytes (under gRPC's default 4 MiB message size). */
export const MERGED_BYTES_MAX = 3 * 1024 * 1024;
/** First wait before retrying a batch whose schema is pending; doubles up to the max. */
export const PENDING_RETRY_BASE_MS = 10;
export const PENDING_RETRY_MAX_MS = 500;
/**
 * First wait before sending again a batch a VERIFY SYNC holds at its barrier (E_VERIFY_HOLD); doubles
 * up to the max. Short: the verify lets go as soon as every partition stands at its barrier.
 */
export const VERIFY_HOLD_RETRY_BASE_MS = 5;
export const VERIFY_HOLD_RETRY_MAX_MS = 100;
/**
 * An idle stream asks the secondary for its position this often: a REMOVE DRAINER, or a target
 * dropped and created again, must not leave a partition with nothing new to ship connected to a
 * past it no longer has.
 */
export const SHIP_IDLE_CHECK_MS = 3_000;
/** Codes that may heal while the batch is held (the secondary restarts, its disk gets room). */
const HELD_CODES: ReadonlySet<number> = new Set([ErrorCode.E_RPC_FAILURE, MetaCode.E_NO_HOSTS]);

export interface ShipStreamDeps {
  readonly link: SecondaryLink;
  readonly book: ProgressBook;
  /** This drainer's "ip:port", as the target spaces added it. */
  readonly self: () => string;
  readonly log: Logger;
  /** The drainer's refusal states: one line per (target, code) change across all its streams. */
  readonly states: StateLog;
  /** Told of every batch or chunk the secondary accepted (metrics); none when absent. */
  readonly counters?: ForwardCounters | undefined;
}

/** A Ship call, or one virtual stream of a ShipMany call (ship-mux.ts). */
export type ShipCall = ShipCallLike;

function kindOf(req: ShipRequestMsg): 'hello' | 'batch' | 'snapshot' | undefined {
  if (req.body !== undefined) return req.body;
  if (req.hello) return 'hello';
  if (req.batch) return 'batch';
  return req.snapshot ? 'snapshot' : undefined;
}

const illegal = (message: string): ApplyReplyMsg => ({ code: MetaCode.E_DATA_ILLEGAL, message: `DataIllegal: ${message}`, position: null });

export class ShipStream {
  private readonly queue: ShipRequestMsg[] = [];
  private wake: (() => void) | undefined;
  private inputEnded = false;
  private paused = false;
  private readonly abort = new AbortController();
  /** The secondary's applied log id as last answered on this stream. */
  private appliedLogId = 0;
  /** This stream's way into the secondary: one apply stream, in order, closed with the stream. */
  private readonly link: LinkSession;
  /** Resolves once the stream is finished and its call ended. */
  readonly done: Promise<void>;

  constructor(
    private readonly call: ShipCall,
    private readonly deps: ShipStreamDeps,
  ) {
    this.link = deps.link.session();
    call.on('data', (req: ShipRequestMsg) => this.push(req));
    call.on('end', () => {
      this.inputEnded = true;
      this.notify();
    });
    call.on('cancelled', () => this.stop());
    call.on('error', () => this.stop());
    this.done = this.run();
  }

  /** Stop after the apply in flight (atomic on the secondary); nothing queued is forwarded. */
  stop(): void {
    this.abort.abort();
    this.notify();
  }

  private push(req: ShipRequestMsg): void {
    this.queue.push(req);
    if (!this.paused && this.queue.length >= SHIP_QUEUE_MAX) {
      this.paused = true;
      this.call.pause();
    }
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** The next request; 'idle' when none came for `idleMs`; undefined once the stream ended. */
  private async next(idleMs?: number): Promise<ShipRequestMsg | 'idle' | undefined> {
    for (;;) {
      if (this.abort.signal.aborted) return undefined;
      const req = this.queue.shift();
      if (req !== undefined) {
        if (this.paused && this.queue.length <= SHIP_QUEUE_MAX / 2) {
          this.paused = false;
          this.call.resume();
        }
        return req;
      }
      if (this.inputEnded) return undefined;
      let timer: NodeJS.Timeout | undefined;
      const woke = await new Promise<boolean>((resolve) => {
        this.wake = () => resolve(true);
        if (idleMs !== undefined) timer = setTimeout(() => resolve(false), idleMs);
      });
      clearTimeout(timer);
      if (!woke) {
        this.wake = undefined;
        return 'idle';
      }
    }
  }

  /**
   * While a stream is idle, whether the secondary still takes it from where it left off: a REMOVE
   * DRAINER (refused), or a target space dropped and created again (its position went back),
   * ends the stream, so the listener says hello again and starts over from the new position.
   */
  private async stillFollows(hello: ShipHelloMsg): Promise<boolean> {
    const answer = await this.link.apply({ ...this.base(hello), position_only: true });
    if (answer.code !== 0) {
      this.refused(hello, answer);
      this.send(answer);
      return false;
    }
    const now = num(answer.position?.applied_log_id);
    if (now >= this.appliedLogId) return true;
    const message = `LogStale: the target's position went back to ${now} from ${this.appliedLogId} (was it dropped and created again?); start over`;
    this.deps.log.info('the target went back; ending the ship stream', { ...this.who(hello), applied: now, was: this.appliedLogId });
    this.send({ code: MetaCode.E_LOG_STALE, message, position: answer.position });
    return false;
  }

  private send(answer: ApplyReplyMsg): void {
    if (!this.call.cancelled && this.call.writable) this.call.write(answer satisfies ShipReplyMsg);
  }

  private end(): void {
    if (!this.call.cancelled && this.call.writable) this.call.end();
  }

  private async run(): Promise<void> {
    let opened: ShipHelloMsg | undefined;
    try {
      const first = await this.next();
      if (first === undefined || first === 'idle') return;
      if (kindOf(first) !== 'hello') return this.send(illegal('a ship stream must start with a hello'));
      const hello = first.hello!;
      const answer = await this.link.apply({ ...this.base(hello), position_only: true });
      if (answer.code !== 0) {
        this.refused(hello, answer);
        return this.send(answer);
      }
      opened = hello;
      this.appliedLogId = num(answer.position?.applied_log_id);
      this.deps.book.accepted(hello.target_space, hello.part, this.appliedLogId, num(answer.position?.applied_ts));
      this.send(answer);
      for (;;) {
        const first = await this.next(SHIP_IDLE_CHECK_MS);
        if (first === undefined) return;
        if (first === 'idle') {
          if (await this.stillFollows(hello)) continue;
          return;
        }
        const { req, count } = this.mergeQueued(first);
        const forwarded = await this.forward(hello, req);
        if (forwarded === undefined) return;
        if (forwarded.code !== 0) {
          // The refusal is logged (once) by forward(); the listener reconnects with backoff.
          return this.send(forwarded);
        }
        this.deps.states.ok(this.scopeOf(hello), this.memberOf(hello), this.who(hello));
        this.noteApplied(hello, forwarded);
        this.deps.counters?.forwarded(hello.target_space, hello.part, req);
        // One answer per batch the listener sent: its window counts them one by one.
        for (let i = 0; i < count; i++) this.send(forwarded);
      }
    } catch (cause) {
      this.deps.log.error('ship stream failed', { cause });
    } finally {
      if (opened !== undefined) this.deps.book.streamClosed(opened.target_space, opened.part);
      this.link.close();
      this.end();
    }
  }

  /**
   * `first` and the batches queued right behind it that continue it without a gap, as one batch
   * (bounded by MERGED_ENTRIES_MAX / MERGED_BYTES_MAX); snapshot chunks are never merged.
   */
  private mergeQueued(first: ShipRequestMsg): { req: ShipRequestMsg; count: number } {
    if (kindOf(first) !== 'batch') return { req: first, count: 1 };
    const head = first.batch!;
    let entries = head.entries.length;
    let bytes = head.entries.reduce((n, e) => n + e.length, 0);
    const merged: WalBatchMsg[] = [head];
    for (;;) {
      const next = this.queue[0];
      if (next === undefined || kindOf(next) !== 'batch') break;
      const b = next.batch!;
      const size = b.entries.reduce((n, e) => n + e.length, 0);
      if (num(b.first_log_id) !== num(merged[merged.length - 1]!.last_log_id) + 1) break;
      if (entries + b.entries.length > MERGED_ENTRIES_MAX || bytes + size > MERGED_BYTES_MAX) break;
      this.queue.shift();
      merged.push(b);
      entries += b.entries.length;
      bytes += size;
    }
    if (this.paused && this.queue.length <= SHIP_QUEUE_MAX / 2) {
      this.paused = false;
      this.call.resume();
    }
    if (merged.length === 1) return { req: first, count: 1 };
    const last = merged[merged.length - 1]!;
    const batch: WalBatchMsg = {
      ...last,
      first_log_id: head.first_log_id,
      entries: merged.flatMap((b) => b.entries),
      schema_changes: merged.flatMap((b) => b.schema_changes ?? []),
    };
    return { req: { batch }, count: merged.length };
  }

  /** Forward one batch or chunk, holding it while its schema is pending; undefined when stopped. */
  private async forward(hello: ShipHelloMsg, req: ShipRequestMsg): Promise<ApplyReplyMsg | undefined> {
    const kind = kindOf(req);
    let request: ApplyRequestMsg;
    if (kind === 'batch') {
      this.deps.book.received(hello.target_space, hello.part, num(req.batch!.last_log_id), num(req.batch!.last_ts));
      request = { ...this.base(hello), batch: req.batch! };
    } else if (kind === 'snapshot') {
      this.deps.book.received(hello.target_space, hello.part, num(req.snapshot!.log_id), num(req.snapshot!.ts));
      request = { ...this.base(hello), snapshot: req.snapshot! };
    } else {
      return illegal('only one hello per ship stream');
    }
    const pending = new Backoff(PENDING_RETRY_BASE_MS, PENDING_RETRY_MAX_MS);
    const held = new Backoff();
    const verifyHold = new Backoff(VERIFY_HOLD_RETRY_BASE_MS, VERIFY_HOLD_RETRY_MAX_MS);
    for (;;) {
      const answer = await this.link.apply(request);
      if (answer.code === 0) return answer;
      if (answer.code === E_VERIFY_HOLD) {
        // Applied up to the verify's barrier (the answer's position), not a refusal: the same
        // request again after a while, its entries up to the position skipped as replays.
        this.noteApplied(hello, answer);
        await sleep(verifyHold.next(), this.abort.signal);
        if (this.abort.signal.aborted) return undefined;
        continue;
      }
      this.refused(hello, answer);
      if (answer.code !== E_SCHEMA_PENDING && !HELD_CODES.has(answer.code)) return answer;
      await sleep(answer.code === E_SCHEMA_PENDING ? pending.next() : held.next(), this.abort.signal);
      if (this.abort.signal.aborted) return undefined;
    }
  }

  /** Log a refusal once per (target, code) state change, whatever the number of attempts. */
  private refused(hello: ShipHelloMsg, answer: ApplyReplyMsg): void {
    this.deps.states.failed(this.scopeOf(hello), this.memberOf(hello), answer.code, answer.message, this.who(hello));
    this.deps.book.failed(hello.target_space, hello.part, answer.code, answer.message);
  }

  private scopeOf(hello: ShipHelloMsg): string {
    return hello.target_space;
  }

  private memberOf(hello: ShipHelloMsg): string {
    return `${this.who(hello)['source']}/${hello.part}`;
  }

  private base(hello: ShipHelloMsg): ApplyRequestMsg {
    return { source: hello.source, target_space: hello.target_space, part: hello.part, drainer: this.deps.self() };
  }

  private who(hello: ShipHelloMsg): Record<string, unknown> {
    const source = hello.source === null || hello.source === undefined ? '?' : `${hello.source.cluster_id}/${hello.source.space_name}`;
    return { listener: hello.listener, source, target: hello.target_space, part: hello.part };
  }

  private noteApplied(hello: ShipHelloMsg, answer: ApplyReplyMsg): void {
    if (answer.position === null) return;
    this.appliedLogId = num(answer.position.applied_log_id);
    this.deps.book.applied(hello.target_space, hello.part, num(answer.position.applied_log_id), num(answer.position.applied_ts));
  }
}
