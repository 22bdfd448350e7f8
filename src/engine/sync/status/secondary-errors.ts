/**
 * SHOW SYNC ERRORS on a secondary (docs/status.md): per source partition of the target space, what
 * this cluster refused lately (Side SECONDARY, from the refusal registry: code, message, count,
 * first and last time), what the drainer reported it could not do (Side DRAINER), and a drainer
 * that went quiet while it held a stream. A refusal stops being listed once the partition worked
 * after it (the drainer's accepted hello or applied batch came later), or after ERRORS_RECENT_MS;
 * a refusal of another source than the one the space receives from (fan-in) only ages out.
 */
import type { Catalog } from '../../../catalog/types.ts';
import type { SyncErrorRow } from '../../../executor/types.ts';
import type { RefusalRegistry } from '../apply/refusals.ts';
import type { DrainerPartView, SecondaryStatus } from './secondary-status.ts';
import { isRecent, offlineReasonRow } from './status-rules.ts';

/** The source key ("<cluster_id>/<space>") the target space receives from, if one is registered. */
function registeredSource(cat: Catalog, space: string): string | undefined {
  const source = Object.hasOwn(cat.syncSources, space) ? cat.syncSources[space] : undefined;
  return source === undefined ? undefined : `${source.clusterId}/${source.sourceSpace}`;
}

/** A drainer that held a stream and went quiet: the part reads OFFLINE for that reason. */
function quietDrainer(view: DrainerPartView, nowMs: number): SyncErrorRow | undefined {
  if (!view.report.progress.shipping || view.status === 'ONLINE') return undefined;
  const who = `drainer ${view.report.host}:${view.report.port}`;
  const row = (message: string, firstMs: number | undefined): SyncErrorRow => offlineReasonRow(view.part, 'DRAINER', message, firstMs, nowMs);
  if (!view.heartbeating) return row(`the ${who} sends no heartbeat`, undefined);
  const why = view.notShipping;
  if (why?.kind === 'silent') return row(`no progress report from the ${who} for ${nowMs - why.sinceMs} ms`, why.sinceMs);
  return undefined;
}

export function secondaryErrors(status: SecondaryStatus, refusals: RefusalRegistry, cat: Catalog, space: string, nowMs: number): SyncErrorRow[] {
  const views = new Map(status.partViews(space).map((v) => [v.part, v]));
  const source = registeredSource(cat, space);
  const rows: SyncErrorRow[] = [];
  for (const r of refusals.list(space)) {
    if (!isRecent(r.lastMs, nowMs)) continue;
    const ours = source === undefined || r.source === source;
    const okAt = views.get(r.part)?.report.progress.okAtMs;
    if (ours && okAt !== undefined && okAt >= r.lastMs) continue;
    const message = ours ? r.message : `from source ${r.source}: ${r.message}`;
    rows.push({ part: r.part, side: 'SECONDARY', code: r.code, message, count: r.count, firstMs: r.firstMs, lastMs: r.lastMs });
  }
  for (const view of views.values()) {
    const failure = view.report.progress.error;
    const known = (code: number) => rows.some((row) => row.part === view.part && row.side === 'SECONDARY' && row.code === code);
    if (failure !== undefined && isRecent(failure.lastMs, nowMs) && !known(failure.code)) rows.push({ part: view.part, side: 'DRAINER', ...failure });
    const quiet = quietDrainer(view, nowMs);
    if (quiet !== undefined) rows.push(quiet);
  }
  return rows;
}
