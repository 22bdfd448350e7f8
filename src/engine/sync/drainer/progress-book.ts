/**
 * What the drainer knows per (target space, source part): the last batch received from the
 * listener, the position the secondary answered, and whether a stream is open. It is reported to
 * the secondary's meta (ReportProgress, role DRAINER) at most every PROGRESS_REPORT_MS and only
 * for spaces that changed; SHOW DRAINER SYNC STATUS reads it there.
 */
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '../../../log.ts';
import { sleep, unary } from '../rpc-call.ts';
import type { PartProgressMsg } from '../wire.ts';

/** Shortest time between two reports. */
export const PROGRESS_REPORT_MS = 100;

interface PartState {
  receivedLogId: number;
  receivedTs: number;
  appliedLogId: number;
  appliedTs: number;
  streams: number;
}

export class ProgressBook {
  private readonly spaces = new Map<string, Map<number, PartState>>();
  private readonly dirty = new Set<string>();

  private state(space: string, part: number): PartState {
    let parts = this.spaces.get(space);
    if (parts === undefined) {
      parts = new Map();
      this.spaces.set(space, parts);
    }
    let state = parts.get(part);
    if (state === undefined) {
      state = { receivedLogId: 0, receivedTs: 0, appliedLogId: 0, appliedTs: 0, streams: 0 };
      parts.set(part, state);
    }
    this.dirty.add(space);
    return state;
  }

  streamOpened(space: string, part: number): void {
    this.state(space, part).streams += 1;
  }

  streamClosed(space: string, part: number): void {
    const state = this.state(space, part);
    state.streams = Math.max(0, state.streams - 1);
  }

  received(space: string, part: number, logId: number, ts: number): void {
    const state = this.state(space, part);
    state.receivedLogId = logId;
    state.receivedTs = ts;
  }

  /** The secondary's answer; received never trails applied (a hello answers an older position). */
  applied(space: string, part: number, logId: number, ts: number): void {
    const state = this.state(space, part);
    state.appliedLogId = logId;
    state.appliedTs = ts;
    if (state.receivedLogId < logId) {
      state.receivedLogId = logId;
      state.receivedTs = ts;
    }
  }

  /** The parts of every space that changed since the last call, as ReportProgress parts. */
  takeChanged(): Map<string, PartProgressMsg[]> {
    const out = new Map<string, PartProgressMsg[]>();
    for (const space of this.dirty) {
      const parts = [...(this.spaces.get(space) ?? new Map<number, PartState>())].map(([part, s]) => ({
        part,
        shipping: s.streams > 0,
        acked_log_id: String(s.appliedLogId),
        acked_ts: String(s.appliedTs),
        received_log_id: String(s.receivedLogId),
        received_ts: String(s.receivedTs),
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

/** Report changes every PROGRESS_REPORT_MS until the signal aborts; an outage is logged once. */
export async function runProgressReports(options: ProgressReportOptions): Promise<void> {
  let failing = false;
  while (!options.signal.aborted) {
    const delivered = await reportProgress(options);
    if (!delivered && !failing) options.log.warn('cannot report progress to the secondary meta; retrying');
    failing = !delivered;
    await sleep(PROGRESS_REPORT_MS, options.signal);
  }
}
