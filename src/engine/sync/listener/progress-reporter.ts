/**
 * Reports a listener's per-partition progress to the primary's meta (Meta.ReportProgress), which
 * feeds SHOW SYNC STATUS and SHOW LISTENER SYNC. A space is reported at most every
 * PROGRESS_REPORT_MS when it changed, and every PROGRESS_REFRESH_MS regardless, so a restarted
 * meta (whose registry is volatile) learns the picture again. One report is in flight at a time.
 */
import type { HostRole } from '../../../catalog/types.ts';
import type { Logger } from '../../../log.ts';
import { sleep, unary } from '../rpc-call.ts';
import type { PartProgressMsg } from '../wire.ts';
import { PROGRESS_REFRESH_MS, PROGRESS_REPORT_MS } from './listener-limits.ts';
import type { PartProgressState } from './part-shipper.ts';
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
  markIdle(space: string, part: number): void {
    const known = this.spacesByName.get(space)?.parts.get(part);
    if (known !== undefined && !known.shipping) return;
    this.set(space, part, { shipping: false, ackedLogId: known?.ackedLogId ?? 0, ackedTs: known?.ackedTs ?? 0 });
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
    const parts: PartProgressMsg[] = [...entry.parts].map(([part, s]) => ({
      part,
      shipping: s.shipping,
      acked_log_id: s.ackedLogId,
      acked_ts: s.ackedTs,
      received_log_id: 0,
      received_ts: 0,
    }));
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
