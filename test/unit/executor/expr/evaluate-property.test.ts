// Pins that the evaluator never throws, whatever well-formed expression of literals it is given:
// every type error, overflow or division by zero must come back as a value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, EMPTY_ROW } from '../../../../src/executor/expr/evaluate.ts';
import { FUNCTIONS } from '../../../../src/executor/expr/functions.ts';
import type { BinaryOp, Expr } from '../../../../src/parser/ast.ts';

const OPS: BinaryOp[] = ['+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=', 'AND', 'OR', 'XOR', 'IN', 'NOT IN', 'CONTAINS', 'STARTS WITH', 'ENDS WITH'];
const NAMES = Object.keys(FUNCTIONS);

const literal: fc.Arbitrary<Expr> = fc
  .oneof(
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    fc.double(),
    fc.string({ maxLength: 12 }),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('2020-01-02', '12:00:00', '2020-01-02T03:04:05'),
  )
  .map((value) => ({ kind: 'literal', value }) as Expr);

const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literal,
    fc.record({ kind: fc.constant('list' as const), items: fc.array(tie('expr'), { maxLength: 3 }) }),
    fc.record({
      kind: fc.constant('map' as const),
      entries: fc.array(fc.tuple(fc.string({ maxLength: 3 }), tie('expr')), { maxLength: 2 }),
    }),
    fc.record({ kind: fc.constant('unary' as const), op: fc.constantFrom('-' as const, '+' as const, 'NOT' as const), operand: tie('expr') }),
    fc.record({ kind: fc.constant('isNull' as const), operand: tie('expr'), negated: fc.boolean() }),
    fc.record({ kind: fc.constant('binary' as const), op: fc.constantFrom(...OPS), left: tie('expr'), right: tie('expr') }),
    fc.record({ kind: fc.constant('call' as const), name: fc.constantFrom(...NAMES), args: fc.array(tie('expr'), { maxLength: 3 }) }),
  ) as fc.Arbitrary<Expr>,
}));

describe('evaluate', () => {
  it('never throws on expressions of literals', () => {
    fc.assert(
      fc.property(expr, (e) => {
        expect(() => evaluate(e, EMPTY_ROW)).not.toThrow();
      }),
      { numRuns: 3000 },
    );
  });
});
