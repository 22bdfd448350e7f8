/**
 * SHOW SYNC ERRORS on a primary (docs/status.md): per partition of the synced space, the last
 * failure the serving listener reported (Side LISTENER: the drainer's or secondary's refusal code
 * and message, or E_RPC_FAILURE for a dropped stream), and, for a partition that reads OFFLINE in
 * SHOW SYNC STATUS for another reason, that reason as the primary sees it (Side PRIMARY: the
 * listener is silent, not heartbeating, not connected, or its batches go unacknowledged). So every
 * OFFLINE row of a running sync has a row here; a stopped sync (STOP SYNC) has none.
 */
import { findSpace } from '../../../catalog/lookup.ts';
import type { Catalog } from '../../../catalog/types.ts';
import type { SyncErrorRow } from '../../../executor/types.ts';
import type { PartView, PrimaryStatus } from './primary-status.ts';
import type { ServingHost } from './serving.ts';
import { isRecent, offlineReasonRow } from './status-rules.ts';

function listenerName(who: ServingHost): string {
  return `${who.role === 'META_LISTENER' ? 'meta' : 'storage'} listener ${who.host}:${who.port}`;
}

/** Why `view` is OFFLINE, as the primary sees it; undefined when ONLINE or explained by the listener's own error. */
function primaryReason(view: PartView, nowMs: number, explained: boolean): SyncErrorRow | undefined {
  const who = listenerName(view.who);
  const row = (message: string, firstMs: number | undefined): SyncErrorRow => offlineReasonRow(view.part, 'PRIMARY', message, firstMs, nowMs);
  if (!view.heartbeating) return row(`the ${who} sends no heartbeat`, undefined);
  const why = view.notShipping;
  if (why === undefined) return undefined;
  switch (why.kind) {
    case 'unreported':
      return row(`no progress report from the ${who} yet`, undefined);
    case 'silent':
      return row(`no progress report from the ${who} for ${nowMs - why.sinceMs} ms`, why.sinceMs);
    case 'disconnected':
      return explained ? undefined : row(`the ${who} has no stream that a drainer accepted`, undefined);
    case 'unacknowledged':
      return row(`${why.outstanding} batch(es) sent to the drainer unacknowledged for ${nowMs - why.sinceMs} ms`, why.sinceMs);
  }
}

/** The rows of `space` as a primary; none when it has no listener sync or the sync is stopped. */
export function primaryErrors(status: PrimaryStatus, cat: Catalog, space: string, nowMs: number): SyncErrorRow[] {
  const desc = findSpace(cat, space);
  if (desc === undefined) return [];
  const rows: SyncErrorRow[] = [];
  for (let part = 0; part <= desc.partitionNum; part++) {
    const view = status.partView(space, part);
    if (view === undefined || view.sync.stopped) continue;
    const failure = view.report?.progress.error;
    const listed = failure !== undefined && isRecent(failure.lastMs, nowMs);
    if (listed) rows.push({ part, side: 'LISTENER', ...failure });
    const reason = primaryReason(view, nowMs, listed);
    if (reason !== undefined) rows.push(reason);
  }
  return rows;
}
