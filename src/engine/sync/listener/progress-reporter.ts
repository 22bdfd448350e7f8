/**
 * Reports a listener's per-partition progress to the primary's meta (Meta.ReportProgress), which
 * feeds SHOW SYNC STATUS and SHOW LISTENER SYNC. A space is reported at most every
 * PROGRESS_REPORT_MS when it changed, and every PROGRESS_REFRESH_MS regardless, so a restarted
 * meta (whose registry is volatile) learns the picture again, and the primary can tell a silent
 * listener from a quiet one (docs/status.md). One report is in flight at a time. Durations go as
 * ages measured when the report is sent, so the two clocks need not agree.
 */
import type { HostRole } from '../../../catalog/types.ts';
import type { Logger } from '../../../log.ts';
import { sleep, unary } from '../rpc-call.ts';
import type { PartProgressMsg } from '../wire.ts';
import { PROGRESS_REFRESH_MS, PROGRESS_REPORT_MS } from './listener-limits.ts';
import { initialProgress, type PartProgressState } from './part-shipper.ts';
import type { RpcClient } from './rpc-clients.ts';

export interface ProgressReporterOptions {
  readonly role: HostRole;
  readonly host: string;
  readonly port: () => number;
  readonly meta: () => RpcClient;
  readonly log: Logger;
}

interface SpaceProgress {
  readonly parts: Map<number, PartProgressState>;
  dirty: boolean;
  sentAtMs: number;
  /** Report once more, then drop (its sync was removed). */
  forgotten: boolean;
}

export class ProgressReporter {
  private readonly spacesByName = new Map<string, SpaceProgress>();
  private failing = false;

  constructor(private readonly options: ProgressReporterOptions) {}

  set(space: string, part: number, state: PartProgressState): void {
    let entry = this.spacesByName.get(space);
    if (entry === undefined) {
      entry = { parts: new Map(), dirty: true, sentAtMs: 0, forgotten: false };
      this.spacesByName.set(space, entry);
    }
    entry.parts.set(part, state);
    entry.dirty = true;
    entry.forgotten = false;
  }

  /** The part is assigned but not shipped: shipping = false, keeping its last acknowledged position. */
  markIdle(space: string, part: number, targetSpace: string): void {
    const known = this.spacesByName.get(space)?.parts.get(part);
    if (known !== undefined && !known.shipping && known.targetSpace === targetSpace) return;
    const base = known !== undefined && known.targetSpace === targetSpace ? known : initialProgress(targetSpace);
    this.set(space, part, { ...base, shipping: false, outstanding: 0, waitingSinceMs: 0 });
  }

  /** Spaces being reported. */
  spaces(): string[] {
    return [...this.spacesByName.keys()];
  }

  /** Report `space` once more (as it is now), then stop reporting it. */
  forget(space: string): void {
    const entry = this.spacesByName.get(space);
    if (entry !== undefined) entry.forgotten = true;
  }

  /** Report until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await sleep(PROGRESS_REPORT_MS, signal);
      const now = Date.now();
      for (const [space, entry] of [...this.spacesByName]) {
        if (signal.aborted) return;
        if (!entry.dirty && !entry.forgotten && now - entry.sentAtMs < PROGRESS_REFRESH_MS) continue;
        entry.dirty = false;
        entry.sentAtMs = now;
        const sent = await this.report(space, entry);
        if (!sent) entry.dirty = true;
        else if (entry.forgotten && !entry.dirty) this.spacesByName.delete(space);
      }
    }
  }

  private async report(space: string, entry: SpaceProgress): Promise<boolean> {
    const now = Date.now();
    const parts = [...entry.parts].map(([part, s]) => progressMsg(part, s, now));
    const o = this.options;
    try {
      const reply = await unary<{ code: number; message: string }>(o.meta(), 'ReportProgress', {
        role: o.role,
        host: o.host,
        port: o.port(),
        space,
        parts,
      });
      if (reply.code !== 0 && !this.failing) o.log.warn('progress report refused', { code: reply.code, message: reply.message });
      this.failing = reply.code !== 0;
      return reply.code === 0;
    } catch (cause) {
      if (!this.failing) o.log.warn('progress report failed', { cause: (cause as Error).message });
      this.failing = true;
      return false;
    }
  }
}

/**
 * One part as reported. While a snapshot rebuilds the partition on the secondary, the rows it
 * held are being replaced, so nothing of it counts as durable (acked 0) until the snapshot ends.
 */
export function progressMsg(part: number, s: PartProgressState, nowMs: number): PartProgressMsg {
  const age = (ms: number) => Math.max(0, nowMs - ms);
  return {
    part,
    shipping: s.shipping,
    acked_log_id: s.rebuilding ? 0 : s.ackedLogId,
    acked_ts: s.rebuilding ? 0 : s.ackedTs,
    received_log_id: 0,
    received_ts: 0,
    outstanding: s.outstanding,
    unacked_ms: s.outstanding > 0 ? age(s.waitingSinceMs) : 0,
    position_unknown: !s.positionKnown,
    target_space: s.targetSpace,
    ok_age_ms: 0,
    error:
      s.error === undefined
        ? null
        : { code: s.error.code, message: s.error.message, count: s.error.count, first_age_ms: age(s.error.firstMs), last_age_ms: age(s.error.lastMs) },
  };
}
