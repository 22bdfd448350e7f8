/**
 * What the drainer knows per (target space, source part): the last batch received from the
 * listener, the position the secondary answered, whether an accepted stream is open, when the part
 * last worked and the last failure. It is reported to the secondary's meta (ReportProgress, role
 * DRAINER) within PROGRESS_REPORT_MS of a change and every PROGRESS_REFRESH_MS regardless, so SHOW
 * DRAINER SYNC STATUS reads an idle but connected partition ONLINE and a silent drainer OFFLINE
 * (docs/status.md). A part is registered on an accepted hello, with the secondary's position as
 * both received and applied.
 */
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '../../../log.ts';
import type { PartFailure } from '../../meta/progress.ts';
import { sleep, unary } from '../rpc-call.ts';
import type { PartProgressMsg } from '../wire.ts';

/** Shortest time between two reports. */
export const PROGRESS_REPORT_MS = 100;
/** Unchanged progress is reported again this often: the secondary's meta ages reports out. */
export const PROGRESS_REFRESH_MS = 2_000;

interface PartState {
  receivedLogId: number;
  receivedTs: number;
  appliedLogId: number;
  appliedTs: number;
  streams: number;
  /** When the part last worked (accepted hello, applied batch); 0 = never. */
  okAtMs: number;
  /** Failures since the part last applied a batch; shown until the next accepted hello. */
  failure: PartFailure | undefined;
  failureShown: boolean;
}

export class ProgressBook {
  private readonly spaces = new Map<string, Map<number, PartState>>();
  private readonly dirty = new Set<string>();

  constructor(private readonly now: () => number = Date.now) {}

  private state(space: string, part: number): PartState {
    let parts = this.spaces.get(space);
    if (parts === undefined) {
      parts = new Map();
      this.spaces.set(space, parts);
    }
    let state = parts.get(part);
    if (state === undefined) {
      state = { receivedLogId: 0, receivedTs: 0, appliedLogId: 0, appliedTs: 0, streams: 0, okAtMs: 0, failure: undefined, failureShown: false };
      parts.set(part, state);
    }
    this.dirty.add(space);
    return state;
  }

  /** A hello was accepted: the part ships from the secondary's position, nothing received beyond it. */
  accepted(space: string, part: number, logId: number, ts: number): void {
    const state = this.state(space, part);
    state.streams += 1;
    state.receivedLogId = state.appliedLogId = logId;
    state.receivedTs = state.appliedTs = ts;
    state.okAtMs = this.now();
    state.failureShown = false;
  }

  /** A stream ended: with none left, nothing received is held here any more. */
  streamClosed(space: string, part: number): void {
    const state = this.state(space, part);
    state.streams = Math.max(0, state.streams - 1);
    if (state.streams === 0) {
      state.receivedLogId = state.appliedLogId;
      state.receivedTs = state.appliedTs;
    }
  }

  received(space: string, part: number, logId: number, ts: number): void {
    const state = this.state(space, part);
    state.receivedLogId = logId;
    state.receivedTs = ts;
  }

  /** The secondary applied up to `logId`; received never trails applied. */
  applied(space: string, part: number, logId: number, ts: number): void {
    const state = this.state(space, part);
    state.appliedLogId = logId;
    state.appliedTs = ts;
    if (state.receivedLogId < logId) {
      state.receivedLogId = logId;
      state.receivedTs = ts;
    }
    state.okAtMs = this.now();
    state.failure = undefined;
  }

  /** The secondary refused, or could not apply for now: counted in a row while the code stays the same. */
  failed(space: string, part: number, code: number, message: string): void {
    const state = this.state(space, part);
    const nowMs = this.now();
    const was = state.failure;
    state.failure =
      was !== undefined && was.code === code
        ? { ...was, message, count: was.count + 1, lastMs: nowMs }
        : { code, message, count: 1, firstMs: nowMs, lastMs: nowMs };
    state.failureShown = true;
  }

  /** Report every space at the next turn (the periodic refresh). */
  touchAll(): void {
    for (const space of this.spaces.keys()) this.dirty.add(space);
  }

  /** The parts of every space that changed since the last call, as ReportProgress parts. */
  takeChanged(): Map<string, PartProgressMsg[]> {
    const nowMs = this.now();
    const age = (ms: number) => Math.max(0, nowMs - ms);
    const out = new Map<string, PartProgressMsg[]>();
    for (const space of this.dirty) {
      const parts = [...(this.spaces.get(space) ?? new Map<number, PartState>())].map(([part, s]) => ({
        part,
        shipping: s.streams > 0,
        acked_log_id: String(s.appliedLogId),
        acked_ts: String(s.appliedTs),
        received_log_id: String(s.receivedLogId),
        received_ts: String(s.receivedTs),
        ok_age_ms: String(s.okAtMs === 0 ? 0 : Math.max(1, age(s.okAtMs))),
        error:
          s.failure === undefined || !s.failureShown
            ? null
            : {
                code: s.failure.code,
                message: s.failure.message,
                count: String(s.failure.count),
                first_age_ms: String(age(s.failure.firstMs)),
                last_age_ms: String(age(s.failure.lastMs)),
              },
      }));
      out.set(space, parts);
    }
    this.dirty.clear();
    return out;
  }

  /** Mark `space` changed again (its report did not get through). */
  retry(space: string): void {
    if (this.spaces.has(space)) this.dirty.add(space);
  }
}

export interface ProgressReportOptions {
  readonly meta: grpc.Client;
  /** Deadline of one report; close() uses a short one so a dead meta does not hold it up. */
  readonly deadlineMs?: number;
  readonly book: ProgressBook;
  readonly host: string;
  readonly port: () => number;
  readonly log: Logger;
  readonly signal: AbortSignal;
}

/** Send one report per changed space; answers whether every one got through. */
export async function reportProgress(options: Omit<ProgressReportOptions, 'signal'>): Promise<boolean> {
  let delivered = true;
  for (const [space, parts] of options.book.takeChanged()) {
    try {
      const reply = await unary<{ code: number; message: string }>(options.meta, 'ReportProgress', {
        role: 'DRAINER',
        host: options.host,
        port: options.port(),
        space,
        parts,
      }, options.deadlineMs);
      if (reply.code !== 0) throw new Error(`code ${reply.code}: ${reply.message}`);
    } catch (cause) {
      options.book.retry(space);
      options.log.debug('cannot report progress to the secondary meta', { space, cause: (cause as Error).message });
      delivered = false;
    }
  }
  return delivered;
}

/**
 * Report changes every PROGRESS_REPORT_MS, and everything every PROGRESS_REFRESH_MS, until the
 * signal aborts; an outage is logged once.
 */
export async function runProgressReports(options: ProgressReportOptions): Promise<void> {
  let failing = false;
  let refreshedMs = 0;
  while (!options.signal.aborted) {
    if (Date.now() - refreshedMs >= PROGRESS_REFRESH_MS) {
      options.book.touchAll();
      refreshedMs = Date.now();
    }
    const delivered = await reportProgress(options);
    if (!delivered && !failing) options.log.warn('cannot report progress to the secondary meta; retrying');
    failing = !delivered;
    await sleep(PROGRESS_REPORT_MS, options.signal);
  }
}
