/**
 * Operator precedence for nGQL expressions, resolved with an operator stack instead of one grammar
 * rule per level. A chain such as `NOT a + 1 == b AND c IS NULL` is read flat by the grammar and
 * folded here; this keeps the parser's recursion (and the JavaScript stack) shallow, so only real
 * nesting (parentheses, calls, lists) costs stack depth.
 *
 * Levels, low to high: OR, XOR, AND, NOT (prefix), comparison (== != < <= > >= IN, NOT IN,
 * CONTAINS, STARTS WITH, ENDS WITH, IS [NOT] NULL), + -, * / %. Unary minus, plus and `!` bind
 * tighter still and are applied by the grammar before an operand reaches the chain.
 */
import type { BinaryOp, Expr } from './ast.ts';

const precedence: Readonly<Record<BinaryOp, number>> = {
  OR: 1,
  XOR: 2,
  AND: 3,
  '==': 5,
  '!=': 5,
  '<': 5,
  '<=': 5,
  '>': 5,
  '>=': 5,
  IN: 5,
  'NOT IN': 5,
  CONTAINS: 5,
  'STARTS WITH': 5,
  'ENDS WITH': 5,
  '+': 6,
  '-': 6,
  '*': 7,
  '/': 7,
  '%': 7,
};
const notPrecedence = 4;
const isNullPrecedence = 5;

type PendingOp = BinaryOp | 'NOT';

/** One expression being folded: feed operands and operators in reading order, then `finish()`. */
export class ExprChain {
  private readonly vals: Expr[] = [];
  private readonly depths: number[] = [];
  private readonly ops: PendingOp[] = [];
  /** Depth (in nodes) of the tree that `finish()` returned. */
  depth = 0;

  /** Forgets the previous expression so the chain can fold the next one. */
  reset(): void {
    this.vals.length = 0;
    this.depths.length = 0;
    this.ops.length = 0;
    this.depth = 0;
  }

  operand(expr: Expr, depth: number): void {
    this.vals.push(expr);
    this.depths.push(depth);
  }

  binary(op: BinaryOp): void {
    this.reduceWhile(precedence[op]);
    this.ops.push(op);
  }

  not(): void {
    this.ops.push('NOT');
  }

  isNull(negated: boolean): void {
    this.reduceWhile(isNullPrecedence);
    const top = this.vals.length - 1;
    this.vals[top] = { kind: 'isNull', operand: this.vals[top]!, negated };
    this.depths[top]! += 1;
  }

  finish(): Expr {
    this.reduceWhile(0);
    this.depth = this.depths[0]!;
    return this.vals[0]!;
  }

  private reduceWhile(minPrecedence: number): void {
    const { ops, vals, depths } = this;
    while (ops.length > 0) {
      const op = ops[ops.length - 1]!;
      const opPrecedence = op === 'NOT' ? notPrecedence : precedence[op];
      if (opPrecedence < minPrecedence) return;
      ops.pop();
      if (op === 'NOT') {
        const top = vals.length - 1;
        vals[top] = { kind: 'unary', op: 'NOT', operand: vals[top]! };
        depths[top]! += 1;
      } else {
        const right = vals.pop()!;
        const rightDepth = depths.pop()!;
        const top = vals.length - 1;
        vals[top] = { kind: 'binary', op, left: vals[top]!, right };
        depths[top] = 1 + Math.max(depths[top]!, rightDepth);
      }
    }
  }
}
