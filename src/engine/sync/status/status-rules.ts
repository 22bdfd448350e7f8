/**
 * The rules both status tables share (DESIGN section 4): when a progress report still counts as
 * shipping, and how a lag becomes a row (lag and latency never negative, latency 0 when lag is 0).
 */
import type { HostStatus, SyncStatusRow } from '../../../executor/types.ts';
import type { ReportedProgress } from '../../meta/progress.ts';

/**
 * A report counts while it says shipping and is no older than `freshMs` (5 heartbeat intervals,
 * the same window that keeps a host ONLINE): a reporter that went quiet is not shipping.
 */
export function isShipping(report: ReportedProgress, nowMs: number, freshMs: number): boolean {
  return report.progress.shipping && nowMs - report.atMs <= freshMs;
}

/** One status row; a clock step backwards or a stale report never shows a negative figure. */
export function lagRow(part: number, status: HostStatus, logIdLag: number, timeLatencyMs: number): SyncStatusRow {
  const lag = Math.max(0, logIdLag);
  return { part, status, logIdLag: lag, timeLatencyMs: lag === 0 ? 0 : Math.max(0, timeLatencyMs) };
}
