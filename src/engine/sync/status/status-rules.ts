/**
 * The rules both status tables share (docs/status.md, DESIGN section 4): when a progress report
 * shows a stream that is really working, why it does not, and how a lag becomes a row (lag and
 * latency never negative, latency 0 when lag is 0). Pure functions of a report and a clock.
 */
import { ErrorCode } from '../../../errors.ts';
import type { HostStatus, SyncErrorRow, SyncStatusRow } from '../../../executor/types.ts';
import type { ReportedProgress } from '../../meta/progress.ts';

/**
 * A report older than this says nothing about now: its reporter went quiet (killed, stalled, cut
 * off). Listeners and drainers report every PROGRESS_REFRESH_MS (2 s) even when nothing changed,
 * and within PROGRESS_REPORT_MS (100 ms) of a change.
 */
export const PROGRESS_FRESH_MS = 5_000;
/**
 * A stream with batches outstanding and no acknowledgement for longer than this is not
 * acknowledging: its drainer or secondary is stuck, or holds the batch (schema pending, disk full).
 */
export const ACK_WAIT_MS_MAX = 5_000;
/** A failure last seen longer ago than this is history, not a reason (SHOW SYNC ERRORS). */
export const ERRORS_RECENT_MS = 60_000;

/** Why a reported stream is not working now; undefined when it is. */
export type NotShipping =
  | { readonly kind: 'unreported' }
  | { readonly kind: 'silent'; readonly sinceMs: number }
  | { readonly kind: 'disconnected' }
  | { readonly kind: 'unacknowledged'; readonly sinceMs: number; readonly outstanding: number };

/**
 * A stream works while its latest report is fresh, says an accepted stream is open, and, when
 * batches are outstanding, an acknowledgement came within ACK_WAIT_MS_MAX. The wait keeps growing
 * on this clock after the report, so a reporter that stalls mid-wait still goes OFFLINE.
 */
export function whyNotShipping(report: ReportedProgress | undefined, nowMs: number): NotShipping | undefined {
  if (report === undefined) return { kind: 'unreported' };
  if (nowMs - report.atMs > PROGRESS_FRESH_MS) return { kind: 'silent', sinceMs: report.atMs };
  const p = report.progress;
  if (!p.shipping) return { kind: 'disconnected' };
  const since = p.waitingSinceMs;
  const outstanding = p.outstanding ?? 0;
  if (outstanding > 0 && since !== undefined && nowMs - since > ACK_WAIT_MS_MAX) return { kind: 'unacknowledged', sinceMs: since, outstanding };
  return undefined;
}

/** Whether a failure seen last at `lastMs` is still worth showing at `nowMs`. */
export function isRecent(lastMs: number, nowMs: number): boolean {
  return nowMs - lastMs <= ERRORS_RECENT_MS;
}

/** One status row; a clock step backwards or a stale report never shows a negative figure. */
export function lagRow(part: number, status: HostStatus, logIdLag: number, timeLatencyMs: number): SyncStatusRow {
  const lag = Math.max(0, logIdLag);
  return { part, status, logIdLag: lag, timeLatencyMs: lag === 0 ? 0 : Math.max(0, timeLatencyMs) };
}

/**
 * A SHOW SYNC ERRORS row for a part that reads OFFLINE for a reason no peer reported (a silent or
 * unheard process): E_RPC_FAILURE, seen once, last now.
 */
export function offlineReasonRow(part: number, side: SyncErrorRow['side'], message: string, firstMs: number | undefined, nowMs: number): SyncErrorRow {
  return { part, side, code: ErrorCode.E_RPC_FAILURE, message, count: 1, firstMs, lastMs: nowMs };
}
