/**
 * YIELD columns applied row by row: names from the alias or the expression's text, DISTINCT by
 * value, and a bound on how many rows one statement may produce (limits.resultRowsMax).
 */
import { Errors, type NgError } from '../../errors.ts';
import { limits } from '../../limits.ts';
import type { YieldClause, YieldColumn } from '../../parser/ast.ts';
import type { DataSet, Value } from '../../value/types.ts';
import { evaluate } from '../expr/evaluate.ts';
import type { RowContext } from '../expr/row-context.ts';
import { rowKey } from '../expr/value-ops.ts';
import { tri } from '../expr/predicates.ts';

export const columnNames = (columns: readonly YieldColumn[]): string[] => columns.map((c) => c.alias ?? c.text);

export const tooManyRows = (max: number): NgError =>
  Errors.execution('ExecutionError', `The result has more than ${max} rows.`);

/** Whether a WHERE/WHEN condition holds: only `true` does; NULL and non-bools do not. */
export const holds = (value: Value): boolean => tri(value) === true;

export class Projector {
  private readonly columns: readonly YieldColumn[];
  private readonly seen: Set<string> | undefined;
  private readonly rows: Value[][] = [];
  private readonly maxRows: number;

  constructor(clause: YieldClause, maxRows: number = limits.resultRowsMax) {
    this.columns = clause.columns;
    this.seen = clause.distinct ? new Set() : undefined;
    this.maxRows = maxRows;
  }

  get size(): number {
    return this.rows.length;
  }

  /** Add the row `ctx` yields; an error once the bound is passed. */
  add(ctx: RowContext): NgError | undefined {
    const row = this.columns.map((c) => evaluate(c.expr, ctx));
    if (this.seen !== undefined) {
      const key = rowKey(row);
      if (this.seen.has(key)) return undefined;
      this.seen.add(key);
    }
    if (this.rows.length >= this.maxRows) return tooManyRows(this.maxRows);
    this.rows.push(row);
    return undefined;
  }

  result(): DataSet {
    return { columns: columnNames(this.columns), rows: this.rows };
  }
}
