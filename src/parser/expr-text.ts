/**
 * The column header NebulaGraph prints for an un-aliased YIELD column: the expression written back
 * in its own canonical form, e.g. `properties(VERTEX)`, `dst(EDGE)`, `(follow.degree>90)`.
 *
 * Operators spelled with symbols are printed without spaces and words with them, each binary
 * expression inside parentheses; unary operators as `-(x)`, `+(x)`, `!(x)`; function names in
 * lower case; strings in double quotes; floats keep a `.0` when whole.
 */
import type { BinaryOp, Expr } from './ast.ts';

const wordOps: ReadonlySet<BinaryOp> = new Set<BinaryOp>([
  'AND',
  'OR',
  'XOR',
  'IN',
  'NOT IN',
  'CONTAINS',
  'STARTS WITH',
  'ENDS WITH',
]);

const entityText = { vertex: 'VERTEX', edge: 'EDGE', '$^': '$^', '$$': '$$' } as const;

function literalText(value: bigint | number | string | boolean | null): string {
  if (value === null) return 'NULL';
  switch (typeof value) {
    case 'string':
      return `"${value}"`;
    case 'number':
      return Number.isInteger(value) ? `${value}.0` : String(value);
    default:
      return String(value);
  }
}

function listText(items: readonly Expr[]): string {
  let out = '';
  for (let i = 0; i < items.length; i++) out += (i > 0 ? ',' : '') + exprText(items[i]!);
  return out;
}

/** The header text of `expr`, as NebulaGraph prints it. */
export function exprText(expr: Expr): string {
  switch (expr.kind) {
    case 'literal':
      return literalText(expr.value);
    case 'list':
      return `[${listText(expr.items)}]`;
    case 'map':
      return `{${expr.entries.map(([k, v]) => `${k}:${exprText(v)}`).join(',')}}`;
    case 'unary':
      return `${expr.op === 'NOT' ? '!' : expr.op}(${exprText(expr.operand)})`;
    case 'isNull':
      return `${exprText(expr.operand)} IS ${expr.negated ? 'NOT NULL' : 'NULL'}`;
    case 'binary': {
      const op = wordOps.has(expr.op) ? ` ${expr.op} ` : expr.op;
      return `(${exprText(expr.left)}${op}${exprText(expr.right)})`;
    }
    case 'call':
      return `${expr.name}(${listText(expr.args)})`;
    case 'entity':
      return entityText[expr.entity];
    case 'srcProp':
      return `$^.${expr.tag}.${expr.prop}`;
    case 'dstProp':
      return `$$.${expr.tag}.${expr.prop}`;
    case 'labelProp':
      return `${expr.label}.${expr.prop}`;
    case 'name':
      return expr.name;
    case 'varProp':
      return `$${expr.variable}.${expr.prop}`;
  }
}
