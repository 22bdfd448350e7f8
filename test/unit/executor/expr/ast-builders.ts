/** Small builders of expression ASTs for the expression tests (not a test file itself). */
import type { BinaryOp, Expr } from '../../../../src/parser/ast.ts';

export const lit = (value: bigint | number | string | boolean | null): Expr => ({ kind: 'literal', value });
export const bin = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });
export const call = (name: string, ...args: Expr[]): Expr => ({ kind: 'call', name, args });
export const neg = (operand: Expr): Expr => ({ kind: 'unary', op: '-', operand });
export const not = (operand: Expr): Expr => ({ kind: 'unary', op: 'NOT', operand });
export const list = (...items: Expr[]): Expr => ({ kind: 'list', items });
export const isNullE = (operand: Expr, negated = false): Expr => ({ kind: 'isNull', operand, negated });
