/**
 * VERIFY SYNC [WITH KEYS], on the primary in the synced space: compare every partition of the space
 * with its secondary at one consistent cut (src/engine/sync/verify/VERIFY.md). It reads every row,
 * so GOD, ADMIN and DBA may run it. Without keys: one row per partition (0 = the schema); with
 * keys: the keys that differ and what each side holds. The engine does the work through
 * `ctx.verify`; this module checks, words errors and builds the table.
 */
import { Errors, fail, ok } from '../../errors.ts';
import type { KeySide, VerifyReport } from '../../engine/sync/verify/verify-types.ts';
import { dataSet, EMPTY, mapOf, type DataSet, type Value } from '../../value/types.ts';
import { requireDba } from '../permissions.ts';
import { currentSpace } from '../space-guard.ts';
import type { Executor } from '../types.ts';
import { int, own } from './cells.ts';
import { SyncErrors } from './sync-common.ts';

export const VERIFY_COLUMNS = ['PartId', 'LogId', 'Rows', 'Primary checksum', 'Secondary checksum', 'Match'] as const;
export const VERIFY_KEY_COLUMNS = ['PartId', 'Key', 'Difference', 'Primary', 'Secondary'] as const;

function partsTable(report: VerifyReport): DataSet {
  return dataSet(
    VERIFY_COLUMNS,
    report.parts.map((p) => [int(p.part), int(p.logId), int(p.rows), p.primaryChecksum, p.secondaryChecksum, p.match]),
  );
}

function cell(side: KeySide): Value {
  if (side === undefined) return EMPTY;
  if ('text' in side) return side.text;
  return mapOf(Object.entries(side.props));
}

function keysTable(report: VerifyReport): DataSet {
  const rows: Value[][] = (report.keys ?? []).map((k) => [int(k.part), k.key, k.difference, cell(k.primary), cell(k.secondary)]);
  if (!report.keysComplete) rows.push([EMPTY, `(more differences not listed: repair these and verify again)`, EMPTY, EMPTY, EMPTY]);
  return dataSet(VERIFY_KEY_COLUMNS, rows);
}

export const verifySync: Executor<'VerifySync'> = async (stmt, ctx) => {
  const space = currentSpace(ctx);
  if (!space.ok) return space;
  const name = space.value.name;
  const denied = requireDba(ctx, name, 'No permission to verify space.');
  if (denied) return fail(denied);
  const catalog = ctx.meta.catalog();
  if (own(catalog.listeners, name) === undefined) return fail(SyncErrors.syncListenerNotFound());
  if ((own(catalog.drainerClients, name) ?? []).length === 0) return fail(SyncErrors.noValidDrainer());
  if (ctx.verify === undefined) return fail(Errors.execution('Unsupported', 'VERIFY SYNC needs a running cluster.'));
  const outcome = await ctx.verify.verify(name, { keys: stmt.keys });
  if (!outcome.ok) return fail(Errors.execution(outcome.problem.kind, outcome.problem.message));
  return ok(stmt.keys ? keysTable(outcome.report) : partsTable(outcome.report));
};
