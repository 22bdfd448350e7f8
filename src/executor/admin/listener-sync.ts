/**
 * ADD/REMOVE/SHOW LISTENER SYNC, STOP/RESTART SYNC and SHOW SYNC STATUS: the primary side of a
 * synchronization. The catalog records who listens and where to; live status comes from
 * `ctx.sync`, which only the running cluster knows.
 */
import { storageListenerOf } from '../../catalog/lookup.ts';
import { Errors, fail, ok } from '../../errors.ts';
import { dataSet, type Value } from '../../value/types.ts';
import { readableSpace } from '../space-guard.ts';
import type { ExecContext, Executor } from '../types.ts';
import { hostKey, int, own, quotedHost } from './cells.ts';
import { distinctHosts, SyncErrors, syncAdminSpace, syncRootSpace, syncStatusTable } from './sync-common.ts';
import { cycleThroughDrainers, swappedListeners } from './sync-topology.ts';

// Shared with the primary's assignments (src/server/rpc/primary-assignment.ts); re-exported for
// the modules that import it from here.
export { storageListenerOf };

export const addListenerSync: Executor<'AddListenerSync'> = async (stmt, ctx) => {
  const space = syncRootSpace(ctx);
  if (!space.ok) return space;
  const name = space.value.name;
  const bad = distinctHosts([stmt.meta, ...stmt.storage]);
  if (bad) return fail(bad);
  if (stmt.targetSpace === name) {
    return fail(Errors.execution('Conflict', `Space \`${name}' can not sync to itself.`));
  }
  const cat = ctx.meta.catalog();
  // A listener on a storage host's own address would be mistaken for the storage service.
  const clash = stmt.storage.find((h) => cat.storageHosts.includes(hostKey(h)));
  if (clash !== undefined) {
    return fail(Errors.executionPlain(`The listener host:${hostKey(clash)} couldn't on same with storage host info`));
  }
  const swapped = swappedListeners(ctx, stmt.meta, stmt.storage);
  if (swapped) return fail(swapped);
  const drainers = own(cat.drainerClients, name);
  if (drainers === undefined || drainers.length === 0) return fail(SyncErrors.noValidDrainer());
  // One primary space syncs to one target only (chains go A -> B -> C, never A -> B and A -> C).
  if (own(cat.listeners, name) !== undefined) return fail(Errors.existed());
  const cycle = await cycleThroughDrainers(ctx, name, stmt.targetSpace, drainers);
  if (cycle) return fail(cycle);
  // The drainers were asked without holding the catalog: another session may have added it meanwhile.
  if (own(ctx.meta.catalog().listeners, name) !== undefined) return fail(Errors.existed());
  ctx.meta.commit({
    op: 'addListenerSync',
    space: name,
    meta: stmt.meta,
    storage: stmt.storage,
    targetSpace: stmt.targetSpace,
  });
  return ok(undefined);
};

export const removeListenerSync: Executor<'RemoveListenerSync'> = (_stmt, ctx) => {
  const space = syncRootSpace(ctx);
  if (!space.ok) return space;
  if (own(ctx.meta.catalog().listeners, space.value.name) === undefined) return fail(SyncErrors.syncListenerNotFound());
  ctx.meta.commit({ op: 'removeListenerSync', space: space.value.name });
  return ok(undefined);
};

export const showListenerSync: Executor<'ShowListenerSync'> = (_stmt, ctx) => {
  const space = readableSpace(ctx);
  if (!space.ok) return space;
  const name = space.value.name;
  const sync = own(ctx.meta.catalog().listeners, name);
  const rows: Value[][] = [];
  if (sync !== undefined) {
    const row = (part: number, host: string): Value[] => {
      return [int(part), 'SYNC', host, sync.targetSpace, ctx.sync.listenerStatus(name, part)];
    };
    // Partition 0 is the meta listener's: it carries the space's schema changes.
    rows.push(row(0, quotedHost(sync.meta)));
    for (let part = 1; part <= space.value.partitionNum; part++) {
      rows.push(row(part, quotedHost(storageListenerOf(sync, part))));
    }
  }
  return ok(dataSet(['PartId', 'Type', 'Host', 'SpaceName', 'Status'], rows));
};

function setStopped(ctx: ExecContext, stopped: boolean) {
  const space = syncAdminSpace(ctx);
  if (!space.ok) return space;
  if (own(ctx.meta.catalog().listeners, space.value.name) === undefined) return fail(SyncErrors.syncListenerNotFound());
  ctx.meta.commit({ op: 'setSyncStopped', space: space.value.name, stopped });
  return ok(undefined);
}

export const stopSync: Executor<'StopSync'> = (_stmt, ctx) => setStopped(ctx, true);
export const restartSync: Executor<'RestartSync'> = (_stmt, ctx) => setStopped(ctx, false);

export const showSyncStatus: Executor<'ShowSyncStatus'> = (_stmt, ctx) => {
  const space = readableSpace(ctx);
  if (!space.ok) return space;
  if (own(ctx.meta.catalog().listeners, space.value.name) === undefined) return fail(SyncErrors.syncListenerNotFound());
  return ok(syncStatusTable(ctx.sync.syncStatus(space.value.name)));
};
