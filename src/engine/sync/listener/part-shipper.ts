/**
 * Ships one source partition to its drainer for as long as it is assigned and not stopped:
 * hello, position, then the data or meta session; on any failure it backs off exponentially
 * (capped at RETRY_MAX_MS) and starts again from the drainer's answer, so it resumes exactly where
 * the secondary says it stopped (rule 9). Failures are logged once per state change through the
 * listener's StateLog ("apply refused: <code> ...; retrying with backoff", then "apply accepted
 * again" once a batch is acknowledged), never once per attempt; the primary ending its tails
 * (STOP SYNC) is an ordinary event, logged at info once.
 *
 * Its progress (docs/status.md) says shipping only between an accepted hello and the session's
 * end, what waits for an acknowledgement, the position only once a hello taught it, and the last
 * failure: shown from the failure until the next accepted hello, forgotten (count and all) once a
 * batch is acknowledged.
 */
import { ErrorCode } from '../../../errors.ts';
import type { Logger } from '../../../log.ts';
import type { PartFailure } from '../../meta/progress.ts';
import { Backoff, type StateLog } from '../retry-log.ts';
import { sleep } from '../rpc-call.ts';
import type { ShipCounters } from '../sync-counters.ts';
import { num, type PositionMsg } from '../wire.ts';
import type { PartAssignment, PartContext } from './part-context.ts';
import type { RpcClients } from './rpc-clients.ts';
import { shipData } from './ship-data.ts';
import { shipMeta } from './ship-meta.ts';
import { ShipRefused, ShipSession, TailEnded } from './ship-session.ts';

/** After a refusal the part waits as if it had failed this many times (a refusal rarely heals fast). */
const REFUSED_ATTEMPT = 5;
/** A session that stays up this long counts as healthy: the next failure backs off from the start. */
export const SESSION_HEALTHY_MS = 10_000;
/** The failure class of stream errors, dropped connections and the like (not a drainer's code). */
const INTERRUPTED = 'interrupted';

export interface PartProgressState {
  /** A drainer accepted the current session's hello and the session has not ended. */
  readonly shipping: boolean;
  readonly ackedLogId: number;
  readonly ackedTs: number;
  /** A hello was answered with the secondary's position (ackedLogId means something). */
  readonly positionKnown: boolean;
  /** The secondary has a snapshot of the partition in progress: its rows are being rebuilt. */
  readonly rebuilding: boolean;
  readonly targetSpace: string;
  /** Batches sent on the session and not yet acknowledged. */
  readonly outstanding: number;
  /** Since when (this process's clock) the session waits for an acknowledgement; 0 when none. */
  readonly waitingSinceMs: number;
  /** The last failure, on this process's clock; undefined once a hello was accepted after it. */
  readonly error: PartFailure | undefined;
}

/** A part that has learnt nothing yet. */
export function initialProgress(targetSpace: string): PartProgressState {
  return { shipping: false, ackedLogId: 0, ackedTs: 0, positionKnown: false, rebuilding: false, targetSpace, outstanding: 0, waitingSinceMs: 0, error: undefined };
}

const sameProgress = (a: PartProgressState, b: PartProgressState): boolean =>
  a.shipping === b.shipping &&
  a.ackedLogId === b.ackedLogId &&
  a.ackedTs === b.ackedTs &&
  a.positionKnown === b.positionKnown &&
  a.rebuilding === b.rebuilding &&
  a.outstanding === b.outstanding &&
  a.waitingSinceMs === b.waitingSinceMs &&
  a.error === b.error;

export interface PartShipperOptions {
  readonly assignment: PartAssignment;
  readonly clients: RpcClients;
  readonly listenerAddr: string;
  readonly windowBatches: number;
  readonly log: Logger;
  readonly onProgress: (state: PartProgressState) => void;
  /** The listener's failure states, shared by its shippers (one line per target and code). */
  readonly states: StateLog;
  /** Told of every batch or chunk sent (metrics); none when absent. */
  readonly counters?: ShipCounters | undefined;
}

export class PartShipper {
  private readonly controller = new AbortController();
  private readonly log: Logger;
  private readonly backoff = new Backoff();
  private readonly scope: string;
  private readonly member: string;
  private running: Promise<void> | undefined;
  /** The primary ended the tail and that was said; cleared once shipping works again. */
  private tailEndedSaid = false;
  /** When the current session's hello was answered (undefined before). */
  private connectedMs: number | undefined;
  private state: PartProgressState;
  /** The failures since a batch was last acknowledged (shown in `state.error` until a hello is accepted). */
  private failure: PartFailure | undefined;

  constructor(private readonly options: PartShipperOptions) {
    const a = options.assignment;
    this.log = options.log.child({ space: a.source.space_name, part: a.part, drainer: a.drainer, target: a.targetSpace });
    this.scope = a.targetSpace;
    this.member = `${a.source.cluster_id}/${a.source.space_name}/${a.part}`;
    this.state = initialProgress(a.targetSpace);
  }

  get progress(): PartProgressState {
    return this.state;
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Cancel the streams and wait for the loop to end; the part then reports shipping = false. */
  async stop(): Promise<void> {
    if (!this.controller.signal.aborted && !this.tailEndedSaid) this.log.info('stopped shipping');
    this.controller.abort();
    this.options.states.forget(this.scope, this.member);
    await this.running;
  }

  private async run(): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      const session = new ShipSession(
        this.options.clients.shipCall(this.options.assignment.drainer),
        this.options.windowBatches,
        signal,
        (p) => this.batchAcked(p),
        (req) => this.options.counters?.sent(this.options.assignment.source.space_name, this.options.assignment.part, req),
        (outstanding, waitingSinceMs) => this.update({ ...this.state, outstanding, waitingSinceMs }),
      );
      this.connectedMs = undefined;
      try {
        await this.session(session);
      } catch (err) {
        if (signal.aborted) break;
        if (this.connectedMs !== undefined && Date.now() - this.connectedMs >= SESSION_HEALTHY_MS) this.backoff.reset();
        this.failed(err as Error);
      } finally {
        session.close();
        this.update({ ...this.state, shipping: false, outstanding: 0, waitingSinceMs: 0 });
      }
      await sleep(this.backoff.next(), signal);
    }
  }

  private async session(session: ShipSession): Promise<never> {
    const a = this.options.assignment;
    const reply = await session.sayHello({ source: a.source, target_space: a.targetSpace, part: a.part, listener: this.options.listenerAddr });
    if (reply.code !== 0) throw new ShipRefused(reply.code, reply.message);
    const position: PositionMsg = reply.position ?? { applied_log_id: 0, applied_ts: 0, needs_snapshot: false };
    this.connectedMs = Date.now();
    // Accepted: whatever failed before is not why the part stops now (it counts on if it recurs).
    this.update({ ...this.progressAt(position), shipping: true, error: undefined });
    const fields = { applied: num(position.applied_log_id), needsSnapshot: position.needs_snapshot };
    // While a refusal or an outage lasts the part reconnects again and again: say so once.
    if (this.options.states.failing(this.scope, this.member) || this.tailEndedSaid) this.log.debug('connected to the drainer', fields);
    else this.log.info('connected to the drainer', fields);
    const ctx: PartContext = {
      assignment: a,
      clients: this.options.clients,
      listenerAddr: this.options.listenerAddr,
      log: this.log,
      windowBatches: this.options.windowBatches,
      attempt: () => this.backoff.attempt,
      ackedLogId: () => this.state.ackedLogId,
    };
    return a.part === 0 ? shipMeta(ctx, session, position) : shipData(ctx, session, position);
  }

  private failed(err: Error): void {
    const fields = { source: this.member };
    if (err instanceof ShipRefused) {
      this.backoff.atLeast(REFUSED_ATTEMPT);
      this.options.states.failed(this.scope, this.member, err.code, err.message, fields);
      this.noteFailure(err.code, err.message);
    } else if (err instanceof TailEnded) {
      if (!this.tailEndedSaid) this.log.info('the primary ended the tail (STOP SYNC?); shipping paused', { cause: err.message });
      this.tailEndedSaid = true;
    } else {
      const message = `shipping interrupted: ${err.message}`;
      this.options.states.failed(this.scope, this.member, INTERRUPTED, message, fields);
      this.noteFailure(ErrorCode.E_RPC_FAILURE, message);
    }
  }

  /** Count a failure (in a row with the last one when the code is the same) and show it. */
  private noteFailure(code: number, message: string): void {
    const nowMs = Date.now();
    const was = this.failure;
    this.failure =
      was !== undefined && was.code === code
        ? { ...was, message, count: was.count + 1, lastMs: nowMs }
        : { code, message, count: 1, firstMs: nowMs, lastMs: nowMs };
    this.update({ ...this.state, error: this.failure });
  }

  /** The drainer applied a batch or chunk: whatever failed before works again. */
  private batchAcked(position: PositionMsg): void {
    this.failure = undefined;
    this.update({ ...this.progressAt(position), error: undefined });
    this.backoff.reset();
    this.tailEndedSaid = false;
    this.options.states.ok(this.scope, this.member, { source: this.member });
  }

  /** The state with the drainer's answer as the position. */
  private progressAt(position: PositionMsg): PartProgressState {
    return {
      ...this.state,
      ackedLogId: num(position.applied_log_id),
      ackedTs: num(position.applied_ts),
      positionKnown: true,
      rebuilding: position.needs_snapshot === true,
    };
  }

  private update(next: PartProgressState): void {
    if (sameProgress(this.state, next)) return;
    this.state = next;
    this.options.onProgress(next);
  }
}
