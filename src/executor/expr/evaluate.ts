/**
 * The expression evaluator: `evaluate(expr, row)` over the parser's Expr union, with NebulaGraph's
 * semantics. It never throws on user input: type errors, overflow and division by zero are NULL
 * values that say why (BAD_TYPE, ERR_OVERFLOW, DIV_BY_ZERO), so a statement computes every row
 * and the executor decides whether a NULL is acceptable (e.g. coerceToProp refuses it for a NOT
 * NULL property). Names, functions and props are checked before evaluation by validate.ts.
 */
import type { Expr } from '../../parser/ast.ts';
import { fail, ok, type Result } from '../../errors.ts';
import { EMPTY, NullType, listOf, mapOf, nullOf, type Value, type VertexV } from '../../value/types.ts';
import { arithmetic, negate } from './arithmetic.ts';
import { FUNCTIONS } from './functions.ts';
import { andRest, compare, inList, not, orRest, stringPredicate, tri, xor } from './predicates.ts';
import { EMPTY_ROW, type RowContext } from './row-context.ts';
import { BAD_TYPE, isUnknown } from './value-ops.ts';
import { validateExpr } from './validate.ts';

export type { RowContext } from './row-context.ts';
export { EMPTY_ROW } from './row-context.ts';

const UNKNOWN_PROP = nullOf(NullType.UNKNOWN_PROP);

/** A stored NULL is a value, not a missing property: only an absent key is UNKNOWN_PROP. */
function lookup(props: ReadonlyMap<string, Value> | undefined, name: string): Value {
  const value = props?.get(name);
  return value !== undefined || props?.has(name) ? (value as Value) : UNKNOWN_PROP;
}

function tagProp(vertex: VertexV | undefined, tag: string, prop: string): Value {
  if (vertex === undefined) return UNKNOWN_PROP;
  for (const t of vertex.tags) if (t.name === tag) return lookup(t.props, prop);
  // NebulaGraph answers EMPTY for a prop of a tag the vertex does not carry.
  return EMPTY;
}

function labelProp(label: string, prop: string, row: RowContext): Value {
  const edge = row.edge;
  if (edge !== undefined && edge.name === label) {
    switch (prop) {
      case '_src':
        return edge.src;
      case '_dst':
        return edge.dst;
      case '_rank':
        return edge.ranking;
      case '_type':
        return row.edgeTypeId === undefined ? UNKNOWN_PROP : BigInt(row.edgeTypeId);
      default:
        return lookup(edge.props, prop);
    }
  }
  if (row.vertex !== undefined) return tagProp(row.vertex, label, prop);
  // Another edge type of a GO over several edges: not this row's edge.
  return edge !== undefined ? EMPTY : UNKNOWN_PROP;
}

function entity(which: 'vertex' | 'edge' | '$^' | '$$', row: RowContext): Value {
  switch (which) {
    case 'vertex':
      return row.vertex ?? (row.src ? row.src() : null);
    case 'edge':
      return row.edge ?? null;
    case '$^':
      return row.src ? row.src() : (row.vertex ?? null);
    case '$$':
      return row.dst ? row.dst() : null;
  }
}

function binary(expr: Extract<Expr, { kind: 'binary' }>, row: RowContext): Value {
  const op = expr.op;
  if (op === 'AND') {
    const left = tri(evaluate(expr.left, row));
    return left === false ? false : andRest(left, evaluate(expr.right, row));
  }
  if (op === 'OR') {
    const left = tri(evaluate(expr.left, row));
    return left === true ? true : orRest(left, evaluate(expr.right, row));
  }
  const a = evaluate(expr.left, row);
  const b = evaluate(expr.right, row);
  switch (op) {
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return arithmetic(op, a, b);
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(op, a, b);
    case 'XOR':
      return xor(a, b);
    case 'IN':
      return inList(a, b);
    case 'NOT IN':
      return not(inList(a, b));
    case 'CONTAINS':
    case 'STARTS WITH':
    case 'ENDS WITH':
      return stringPredicate(op, a, b);
  }
}

/** Evaluate `expr` for one row. Never throws on user input. */
export function evaluate(expr: Expr, row: RowContext): Value {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'list':
      return listOf(expr.items.map((item) => evaluate(item, row)));
    case 'map':
      return mapOf(expr.entries.map(([k, v]) => [k, evaluate(v, row)] as [string, Value]));
    case 'unary': {
      const v = evaluate(expr.operand, row);
      if (expr.op === 'NOT') return not(v);
      if (expr.op === '-') return negate(v);
      return typeof v === 'bigint' || typeof v === 'number' || isUnknown(v) ? v : BAD_TYPE;
    }
    case 'isNull': {
      const v = evaluate(expr.operand, row);
      const isNullValue = v === null || (typeof v === 'object' && v.kind === 'null');
      return expr.negated ? !isNullValue : isNullValue;
    }
    case 'binary':
      return binary(expr, row);
    case 'call': {
      const def = FUNCTIONS[expr.name.toLowerCase()];
      if (def === undefined || expr.args.length < def.min || expr.args.length > def.max) return BAD_TYPE;
      return def.fn(
        expr.args.map((a) => evaluate(a, row)),
        row,
      );
    }
    case 'entity':
      return entity(expr.entity, row);
    case 'srcProp':
      return tagProp(row.src ? row.src() : undefined, expr.tag, expr.prop);
    case 'dstProp':
      return tagProp(row.dst ? row.dst() : undefined, expr.tag, expr.prop);
    case 'labelProp':
      return labelProp(expr.label, expr.prop, row);
    case 'name':
      return lookup(row.names, expr.name);
    case 'varProp':
      return UNKNOWN_PROP;
  }
}

/**
 * Evaluate an expression that needs no row: DEFAULT values, SET VARIABLES, YIELD 1, vertex ids.
 * Refuses (as NebulaGraph's validator does) an expression that reads a row or calls an unknown
 * function.
 *
 * @example evalConstant({ kind: 'literal', value: 1n }) // => { ok: true, value: 1n }
 */
export function evalConstant(expr: Expr): Result<Value> {
  if (expr.kind === 'literal') return ok(expr.value);
  const invalid = validateExpr(expr, {});
  if (invalid !== undefined) return fail(invalid);
  return ok(evaluate(expr, EMPTY_ROW));
}
