/**
 * The arithmetic operators with NebulaGraph's rules: int64 stays int64 and overflow is a value
 * (NULL of type ERR_OVERFLOW) rather than a thrown error, so that one bad row never aborts a whole
 * statement mid-way; an int mixed with a float gives a float; a zero divisor gives NULL of type
 * DIV_BY_ZERO; `+` with a string concatenates; NULL wins over EMPTY, EMPTY over everything else.
 */
import { NullType, isNull, listOf, nullOf, type Value } from '../../value/types.ts';
import { BAD_TYPE, isEmptyV, valueText } from './value-ops.ts';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const OVERFLOW = nullOf(NullType.ERR_OVERFLOW);
const DIV_BY_ZERO = nullOf(NullType.DIV_BY_ZERO);

export type ArithOp = '+' | '-' | '*' | '/' | '%';

/** An int64 result, or ERR_OVERFLOW when it left the int64 range. */
export function checkedInt(n: bigint): Value {
  return n < INT64_MIN || n > INT64_MAX ? OVERFLOW : n;
}

function unknownOf(a: Value, b: Value): Value | undefined {
  if (isNull(a) || isNull(b)) return null;
  if (isEmptyV(a) || isEmptyV(b)) return a !== null && typeof a === 'object' && a.kind === 'empty' ? a : b;
  return undefined;
}

function intOp(op: ArithOp, a: bigint, b: bigint): Value {
  switch (op) {
    case '+':
      return checkedInt(a + b);
    case '-':
      return checkedInt(a - b);
    case '*':
      return checkedInt(a * b);
    case '/':
      // BigInt division truncates toward zero, as C++ does; MIN / -1 overflows.
      return b === 0n ? DIV_BY_ZERO : checkedInt(a / b);
    case '%':
      return b === 0n ? DIV_BY_ZERO : a % b;
  }
}

function floatOp(op: ArithOp, a: number, b: number): Value {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? DIV_BY_ZERO : a / b;
    case '%':
      return b === 0 ? DIV_BY_ZERO : a % b;
  }
}

function plusOther(a: Value, b: Value): Value {
  if (typeof a === 'string' || typeof b === 'string') {
    const left = valueText(a);
    const right = valueText(b);
    // Strings concatenate with scalars and temporal values, but not with booleans or containers.
    if (left === undefined || right === undefined || typeof a === 'boolean' || typeof b === 'boolean') return BAD_TYPE;
    return left + right;
  }
  const aList = a !== null && typeof a === 'object' && a.kind === 'list';
  const bList = b !== null && typeof b === 'object' && b.kind === 'list';
  if (aList && bList) return listOf([...a.values, ...b.values]);
  if (aList) return listOf([...a.values, b]);
  if (bList) return listOf([a, ...b.values]);
  return BAD_TYPE;
}

/** `a op b` over values; never throws. */
export function arithmetic(op: ArithOp, a: Value, b: Value): Value {
  if (typeof a === 'bigint' && typeof b === 'bigint') return intOp(op, a, b);
  const unknown = unknownOf(a, b);
  if (unknown !== undefined) return unknown;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    return floatOp(op, Number(a), Number(b));
  }
  if (op === '+') return plusOther(a, b);
  return BAD_TYPE;
}

/** Unary minus: `-INT64_MIN` overflows. */
export function negate(v: Value): Value {
  if (typeof v === 'bigint') return checkedInt(-v);
  if (typeof v === 'number') return -v;
  if (isNull(v) || isEmptyV(v)) return v;
  return BAD_TYPE;
}
