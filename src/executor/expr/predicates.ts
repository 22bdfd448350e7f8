/**
 * Comparison, membership and string predicates with NebulaGraph's NULL rules: a NULL operand
 * makes the answer NULL (unknown), an EMPTY operand makes it EMPTY, and operands whose types
 * cannot be compared give NULL of type BAD_TYPE. Three-valued logic lives here too.
 */
import { isNull, type Value } from '../../value/types.ts';
import { BAD_TYPE, compareValues, isEmptyV, valueEquals, valueKey } from './value-ops.ts';

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type StringOp = 'CONTAINS' | 'STARTS WITH' | 'ENDS WITH';

function unknownOf(a: Value, b: Value): Value | undefined {
  if (isNull(a) || isNull(b)) return null;
  if (isEmptyV(a)) return a;
  if (isEmptyV(b)) return b;
  return undefined;
}

export function compare(op: CompareOp, a: Value, b: Value): Value {
  const unknown = unknownOf(a, b);
  if (unknown !== undefined) return unknown;
  if (op === '==') return valueEquals(a, b);
  if (op === '!=') return !valueEquals(a, b);
  const order = compareValues(a, b);
  if (order === undefined) return BAD_TYPE;
  switch (op) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

/** `a IN list`: true when found, NULL when not found but the list holds a NULL (unknown). */
export function inList(a: Value, list: Value): Value {
  if (isNull(list) || isEmptyV(list)) return list;
  if (list === null || typeof list !== 'object' || (list.kind !== 'list' && list.kind !== 'set')) return BAD_TYPE;
  if (isNull(a)) return null;
  const key = valueKey(a);
  let sawNull = false;
  for (const item of list.values) {
    if (isNull(item)) sawNull = true;
    else if (valueEquals(a, item) || valueKey(item) === key) return true;
  }
  return sawNull ? null : false;
}

export function stringPredicate(op: StringOp, a: Value, b: Value): Value {
  const unknown = unknownOf(a, b);
  if (unknown !== undefined) return unknown;
  if (typeof a !== 'string' || typeof b !== 'string') return BAD_TYPE;
  switch (op) {
    case 'CONTAINS':
      return a.includes(b);
    case 'STARTS WITH':
      return a.startsWith(b);
    case 'ENDS WITH':
      return a.endsWith(b);
  }
}

/** A logic operand: a bool, unknown (NULL/EMPTY), or a value of the wrong type. */
export type Tri = boolean | 'unknown' | 'bad';

export function tri(v: Value): Tri {
  if (typeof v === 'boolean') return v;
  if (isNull(v) || isEmptyV(v)) return 'unknown';
  return 'bad';
}

export function fromTri(t: Tri): Value {
  return t === 'unknown' ? null : t === 'bad' ? BAD_TYPE : t;
}

export function not(v: Value): Value {
  const t = tri(v);
  return typeof t === 'boolean' ? !t : fromTri(t);
}

/** XOR needs both sides; AND and OR short-circuit in the evaluator and finish here. */
export function xor(a: Value, b: Value): Value {
  const x = tri(a);
  const y = tri(b);
  if (x === 'bad' || y === 'bad') return BAD_TYPE;
  if (x === 'unknown' || y === 'unknown') return null;
  return x !== y;
}

/** `left AND right` once left is known not to be false. */
export function andRest(left: Tri, right: Value): Value {
  const r = tri(right);
  if (left === 'bad' || r === 'bad') return BAD_TYPE;
  if (r === false) return false;
  if (left === 'unknown' || r === 'unknown') return null;
  return true;
}

/** `left OR right` once left is known not to be true. */
export function orRest(left: Tri, right: Value): Value {
  const r = tri(right);
  if (left === 'bad' || r === 'bad') return BAD_TYPE;
  if (r === true) return true;
  if (left === 'unknown' || r === 'unknown') return null;
  return false;
}
