/**
 * SHOW SYNC ERRORS: why partitions of the current space do not synchronize, as a table, so an
 * operator does not have to read a listener's log (docs/status.md). On a primary it lists what the
 * listeners report and what the primary sees (a silent listener, unacknowledged batches); on a
 * secondary what it refused lately and what its drainer reports; a space in the middle of a chain
 * shows both. An empty set means nothing is wrong. Anyone who may read the space may run it.
 */
import { ok } from '../../errors.ts';
import { dataSet } from '../../value/types.ts';
import { readableSpace } from '../space-guard.ts';
import type { Executor, SyncErrorRow } from '../types.ts';
import { dateTimeOf, int } from './cells.ts';

export const SYNC_ERROR_COLUMNS = ['PartId', 'Side', 'Code', 'Error', 'Count', 'First Time', 'Last Time'] as const;

function row(r: SyncErrorRow) {
  return [int(r.part), r.side, int(r.code), r.message, int(r.count), dateTimeOf(r.firstMs), dateTimeOf(r.lastMs)];
}

export const showSyncErrors: Executor<'ShowSyncErrors'> = (_stmt, ctx) => {
  const space = readableSpace(ctx);
  if (!space.ok) return space;
  return ok(dataSet(SYNC_ERROR_COLUMNS, ctx.sync.syncErrors(space.value.name).map(row)));
};
