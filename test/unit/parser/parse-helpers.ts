/**
 * Small helpers shared by the parser tests: parse text that must succeed, and AST shorthands.
 */
import { expect } from 'vitest';
import type { Expr, ParseResult, Statement } from '../../../src/parser/ast.ts';
import { parse } from '../../../src/parser/parse.ts';

/** Parses `text`, which must hold exactly one statement, and returns it. */
export function one(text: string): Statement {
  const result = parse(text);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse: ${result.error.message}`);
  expect(result.statements).toHaveLength(1);
  return result.statements[0]!;
}

/** Parses `text`, which must succeed, and returns every statement. */
export function all(text: string): readonly Statement[] {
  const result = parse(text);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse: ${result.error.message}`);
  return result.statements;
}

/** The failure `parse(text)` answers; the test fails if it succeeds. */
export function failure(text: string): Extract<ParseResult, { ok: false }> {
  const result = parse(text);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to fail, got ${result.statements.length} statements`);
  return result;
}

/** The single YIELD column expression of `YIELD <expr>`. */
export function expr(text: string): Expr {
  const statement = one(`YIELD ${text}`);
  if (statement.kind !== 'Yield') throw new Error('not a YIELD');
  return statement.yield.columns[0]!.expr;
}

export const lit = (value: bigint | number | string | boolean | null): Expr => ({ kind: 'literal', value });
export const str = (value: string): Expr => lit(value);
export const int = (value: number): Expr => lit(BigInt(value));
export const nm = (name: string): Expr => ({ kind: 'name', name });
export const bin = (op: Extract<Expr, { kind: 'binary' }>['op'], left: Expr, right: Expr): Expr => ({
  kind: 'binary',
  op,
  left,
  right,
});
