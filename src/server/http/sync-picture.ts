/**
 * One cluster's synchronization as data, for the dashboard (`/api/sync`) and the Prometheus
 * gauges: every space this cluster ships (ADD LISTENER SYNC: the primary side, the rows of SHOW
 * SYNC STATUS) and every space it receives (ADD DRAINER: the secondary side, the rows of SHOW
 * DRAINER SYNC STATUS), with the refusals the secondary counted. The figures come from the same
 * status functions those statements call (src/engine/sync/status/); nothing is recomputed here.
 *
 * The shape is versioned and open: each space and each partition is an object with named fields,
 * so later fields (per-partition errors, say) are added without breaking a reader.
 *
 * @example
 *   const picture = syncPicture({ catalog, sync, progress, refusals, now: Date.now });
 *   picture.spaces[0].parts.length; // 16 for the seed's space
 */
import type { Catalog } from '../../catalog/types.ts';
import type { ProgressRegistry } from '../../engine/meta/progress.ts';
import { ApplyCode } from '../../engine/sync/apply/apply-reply.ts';
import { UNKNOWN_TARGET, type Refusal, type RefusalRegistry } from '../../engine/sync/apply/refusals.ts';
import type { SyncRuntime, SyncStatusRow } from '../../executor/types.ts';

/** Bumped when a field changes meaning or goes away (never for an added field). */
export const SYNC_PICTURE_VERSION = 1;
/** Refusal records listed per space (the most recent ones); the registry keeps more. */
export const REFUSALS_LISTED_MAX = 50;

export interface PartPicture {
  readonly part: number;
  readonly status: SyncStatusRow['status'];
  readonly logIdLag: number;
  readonly timeLatencyMs: number;
  /** The last log id the secondary holds for this partition, as reported (0 when unknown). */
  readonly appliedLogId: number;
}

export interface RefusalPicture {
  readonly part: number;
  readonly source: string;
  readonly code: number;
  /** The code's name (E_LOG_GAP ...), or "" when it has none here. */
  readonly codeName: string;
  readonly message: string;
  readonly count: number;
  readonly firstMs: number;
  readonly lastMs: number;
}

export interface SpacePicture {
  readonly space: string;
  /** primary: this cluster ships the space; secondary: it receives it. */
  readonly side: 'primary' | 'secondary';
  /** The other end: the target space (primary side) or the source `cluster_id/space` (secondary side, "" before the first batch). */
  readonly peer: string;
  /** STOP SYNC is in effect (primary side). */
  readonly stopped: boolean;
  readonly parts: readonly PartPicture[];
  /** Sum of the partitions' LogId Lag. */
  readonly logIdLag: number;
  readonly timeLatencyMsMax: number;
  /** Sum of the data partitions' applied log ids: its rate of change is the apply rate. */
  readonly appliedLogIds: number;
  readonly refusals: readonly RefusalPicture[];
}

export interface SyncPicture {
  readonly version: number;
  readonly nowMs: number;
  readonly spaces: readonly SpacePicture[];
  /** Refusals of requests naming a target space this cluster does not have. */
  readonly unknownTargetRefusals: readonly RefusalPicture[];
}

export interface SyncPictureDeps {
  readonly catalog: () => Catalog;
  readonly sync: SyncRuntime;
  readonly progress: ProgressRegistry;
  readonly refusals: RefusalRegistry;
  readonly now: () => number;
}

const CODE_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(ApplyCode).map(([name, code]) => [code, name]));

function refusalPicture(r: Refusal): RefusalPicture {
  return { part: r.part, source: r.source, code: r.code, codeName: CODE_NAMES.get(r.code) ?? '', message: r.message, count: r.count, firstMs: r.firstMs, lastMs: r.lastMs };
}

function refusalsOfSpace(refusals: RefusalRegistry, space: string): RefusalPicture[] {
  return refusals.list(space).slice(-REFUSALS_LISTED_MAX).map(refusalPicture).reverse();
}

function spacePicture(
  base: Pick<SpacePicture, 'space' | 'side' | 'peer' | 'stopped' | 'refusals'>,
  rows: readonly SyncStatusRow[],
  applied: ReadonlyMap<number, number>,
): SpacePicture {
  const parts = rows.map((r) => ({ part: r.part, status: r.status, logIdLag: r.logIdLag, timeLatencyMs: r.timeLatencyMs, appliedLogId: applied.get(r.part) ?? 0 }));
  return {
    ...base,
    parts,
    logIdLag: parts.reduce((n, p) => n + p.logIdLag, 0),
    timeLatencyMsMax: parts.reduce((n, p) => Math.max(n, p.timeLatencyMs), 0),
    appliedLogIds: parts.reduce((n, p) => n + (p.part > 0 ? p.appliedLogId : 0), 0),
  };
}

/** Applied log id per part as the listeners (primary side) or the drainers (secondary side) reported it. */
function appliedOf(progress: ProgressRegistry, side: SpacePicture['side'], space: string): Map<number, number> {
  const out = new Map<number, number>();
  const roles = side === 'primary' ? (['META_LISTENER', 'STORAGE_LISTENER'] as const) : (['DRAINER'] as const);
  for (const role of roles) for (const [part, report] of progress.forSpace(role, space)) out.set(part, report.progress.ackedLogId);
  return out;
}

export function syncPicture(deps: SyncPictureDeps): SyncPicture {
  const cat = deps.catalog();
  const spaces: SpacePicture[] = [];
  for (const [space, sync] of Object.entries(cat.listeners)) {
    if (!Object.hasOwn(cat.spaces, space)) continue;
    const base = { space, side: 'primary' as const, peer: sync.targetSpace, stopped: sync.stopped, refusals: refusalsOfSpace(deps.refusals, space) };
    spaces.push(spacePicture(base, deps.sync.syncStatus(space), appliedOf(deps.progress, 'primary', space)));
  }
  for (const space of Object.keys(cat.drainers)) {
    if (!Object.hasOwn(cat.spaces, space)) continue;
    const source = Object.hasOwn(cat.syncSources, space) ? cat.syncSources[space] : undefined;
    const peer = source === undefined ? '' : `${source.clusterId}/${source.sourceSpace}`;
    const base = { space, side: 'secondary' as const, peer, stopped: false, refusals: refusalsOfSpace(deps.refusals, space) };
    spaces.push(spacePicture(base, deps.sync.drainerSyncStatus(space), appliedOf(deps.progress, 'secondary', space)));
  }
  return {
    version: SYNC_PICTURE_VERSION,
    nowMs: deps.now(),
    spaces,
    unknownTargetRefusals: refusalsOfSpace(deps.refusals, UNKNOWN_TARGET),
  };
}
