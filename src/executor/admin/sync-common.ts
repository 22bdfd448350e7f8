/**
 * What the synchronization statements share: their error wording (NebulaGraph Enterprise's code
 * names) and the status table layout of SHOW SYNC STATUS / SHOW DRAINER SYNC STATUS.
 */
import type { SpaceDesc } from '../../catalog/types.ts';
import { Errors, fail, type NgError, type Result } from '../../errors.ts';
import type { HostAddr } from '../../parser/ast.ts';
import { dataSet, type DataSet } from '../../value/types.ts';
import { requireDba, requireGod } from '../permissions.ts';
import { currentSpace } from '../space-guard.ts';
import type { ExecContext, SyncStatusRow } from '../types.ts';
import { hostKey, int } from './cells.ts';

export const SyncErrors = {
  /** E_DRAINER_CLIENT_NOT_FOUND: SIGN OUT with nothing signed in. */
  drainerClientNotFound: (): NgError =>
    Errors.execution('DrainerClientNotFound', 'No drainer service is signed in for this space.'),
  /** E_DRAINER_NOT_FOUND: the secondary space has no ADD DRAINER. */
  drainerNotFound: (): NgError => Errors.execution('DrainerNotFound', 'No drainer is added to this space.'),
  /** E_SYNC_LISTENER_NOT_FOUND: the primary space has no ADD LISTENER SYNC. */
  syncListenerNotFound: (): NgError =>
    Errors.execution('SyncListenerNotFound', 'No listener sync is added to this space.'),
  /** E_NO_VALID_DRAINER: a listener sync needs a drainer to ship to. */
  noValidDrainer: (): NgError =>
    Errors.execution('NoValidDrainer', 'No drainer service is signed in for this space, sign in one first.'),
} as const;

/** The hosts as "host:port" keys, refused when empty or repeated. */
export function distinctHosts(hosts: readonly HostAddr[]): NgError | undefined {
  if (hosts.length === 0) return Errors.semantic('Host is empty');
  if (new Set(hosts.map(hostKey)).size !== hosts.length) return Errors.semantic('Host have duplicated');
  return undefined;
}

/** The current space, for a sync statement that GOD, ADMIN or DBA may run. */
export function syncAdminSpace(ctx: ExecContext): Result<SpaceDesc> {
  const space = currentSpace(ctx);
  if (!space.ok) return space;
  const denied = requireDba(ctx, space.value.name, 'No permission to write space.');
  return denied ? fail(denied) : space;
}

/**
 * The current space, for a statement that only root may run (DESIGN rule 7: SIGN IN/OUT DRAINER
 * SERVICE and ADD/REMOVE LISTENER SYNC decide where a space's data goes).
 */
export function syncRootSpace(ctx: ExecContext): Result<SpaceDesc> {
  const space = currentSpace(ctx);
  if (!space.ok) return space;
  const denied = requireGod(ctx, 'No permission to write space.');
  return denied ? fail(denied) : space;
}

/** SHOW SYNC STATUS / SHOW DRAINER SYNC STATUS, one row per partition (0 = meta). */
export function syncStatusTable(rows: readonly SyncStatusRow[]): DataSet {
  const sorted = [...rows].sort((a, b) => a.part - b.part);
  return dataSet(
    ['PartId', 'Sync Status', 'LogId Lag', 'Time Latency'],
    sorted.map((r) => [int(r.part), r.status, int(r.logIdLag), int(r.timeLatencyMs)]),
  );
}
