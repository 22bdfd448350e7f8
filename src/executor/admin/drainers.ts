/**
 * ADD DRAINER, REMOVE DRAINER, SHOW DRAINERS and SHOW DRAINER SYNC STATUS: the secondary side of a
 * synchronization, where the current space is the target the drainers write into. These work on
 * a read_only space: the seed adds the drainer to the read_only target.
 */
import { Errors, fail, ok } from '../../errors.ts';
import { dataSet } from '../../value/types.ts';
import { readableSpace } from '../space-guard.ts';
import type { ExecContext, Executor } from '../types.ts';
import { own, quotedHost } from './cells.ts';
import { distinctHosts, SyncErrors, syncAdminSpace, syncStatusTable } from './sync-common.ts';
import { cycleThroughNewDrainers } from './sync-topology.ts';

const hasDrainers = (ctx: ExecContext, space: string): boolean =>
  (own(ctx.meta.catalog().drainers, space) ?? []).length > 0;

export const addDrainer: Executor<'AddDrainer'> = async (stmt, ctx) => {
  const space = syncAdminSpace(ctx);
  if (!space.ok) return space;
  const bad = distinctHosts(stmt.drainers);
  if (bad) return fail(bad);
  const name = space.value.name;
  // A target space accepts one source, so its drainers are set once and replaced only after REMOVE.
  if (hasDrainers(ctx, name)) return fail(Errors.existed());
  // A source waiting to feed this space that descends from it would close a cycle.
  const cycle = await cycleThroughNewDrainers(ctx, name);
  if (cycle) return fail(cycle);
  if (hasDrainers(ctx, name)) return fail(Errors.existed());
  ctx.meta.commit({ op: 'addDrainers', space: name, drainers: stmt.drainers });
  return ok(undefined);
};

export const removeDrainer: Executor<'RemoveDrainer'> = (_stmt, ctx) => {
  const space = syncAdminSpace(ctx);
  if (!space.ok) return space;
  const existing = own(ctx.meta.catalog().drainers, space.value.name);
  if (existing === undefined || existing.length === 0) return fail(SyncErrors.drainerNotFound());
  ctx.meta.commit({ op: 'removeDrainers', space: space.value.name });
  return ok(undefined);
};

export const showDrainers: Executor<'ShowDrainers'> = (_stmt, ctx) => {
  const space = readableSpace(ctx);
  if (!space.ok) return space;
  const drainers = own(ctx.meta.catalog().drainers, space.value.name) ?? [];
  const rows = drainers.map((d) => [quotedHost(d), ctx.sync.drainerStatus(d.host, d.port)]);
  return ok(dataSet(['Host', 'Status'], rows));
};

export const showDrainerSyncStatus: Executor<'ShowDrainerSyncStatus'> = (_stmt, ctx) => {
  const space = readableSpace(ctx);
  if (!space.ok) return space;
  const drainers = own(ctx.meta.catalog().drainers, space.value.name);
  if (drainers === undefined || drainers.length === 0) return fail(SyncErrors.drainerNotFound());
  return ok(syncStatusTable(ctx.sync.drainerSyncStatus(space.value.name)));
};
