/**
 * PLACEHOLDER until the expression evaluator lands: evaluates literal-only constant expressions.
 * The data-executor work replaces this file with the full evaluator (same exported signatures).
 */
import type { Expr } from '../../parser/ast.ts';
import { Errors, fail, ok, type Result } from '../../errors.ts';
import type { Value } from '../../value/types.ts';

/** Evaluate an expression that needs no row: DEFAULT values, SET VARIABLES, YIELD 1. */
export function evalConstant(expr: Expr): Result<Value> {
  if (expr.kind === 'literal') return ok(expr.value);
  return fail(Errors.semantic('Expression is not a constant.'));
}
