/**
 * YIELD expr [AS alias], ... [WHERE cond]: one row of constants (none when WHERE is not true).
 * It needs no space: clients ping with `YIELD 1` before choosing one.
 */
import { fail, ok, type Result } from '../../errors.ts';
import type { StatementOf } from '../../parser/ast.ts';
import { evaluate } from '../expr/evaluate.ts';
import { validateAll } from '../expr/validate.ts';
import type { ExecContext, ExecOutput } from '../types.ts';
import { columnNames, holds, Projector } from './projection.ts';

export function yieldStatement(stmt: StatementOf<'Yield'>, ctx: ExecContext): Result<ExecOutput> {
  const bad = validateAll([stmt.where, ...stmt.yield.columns.map((c) => c.expr)], {});
  if (bad) return fail(bad);
  const row = { nowMs: ctx.now() };
  if (stmt.where !== undefined && !holds(evaluate(stmt.where, row))) {
    return ok({ columns: columnNames(stmt.yield.columns), rows: [] });
  }
  const projector = new Projector(stmt.yield);
  const error = projector.add(row);
  return error ? fail(error) : ok(projector.result());
}
