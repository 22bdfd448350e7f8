/**
 * Questions asked of values by the evaluator and the executors: what type is it, are two values
 * equal, how do they order, how do they print, and a key for DISTINCT. Kept apart from the
 * evaluator so that executors can dedup and compare rows without pulling in expression code.
 */
import { NullType, isNull, nullOf, type Value } from '../../value/types.ts';

/** NebulaGraph's type name of a value, as error messages print it (`INT`, `STRING`, ...). */
export function typeName(v: Value): string {
  if (v === null) return 'NULL';
  switch (typeof v) {
    case 'boolean':
      return 'BOOL';
    case 'bigint':
      return 'INT';
    case 'number':
      return 'FLOAT';
    case 'string':
      return 'STRING';
    default:
      return v.kind === 'null' ? 'NULL' : v.kind === 'empty' ? '__EMPTY__' : v.kind.toUpperCase();
  }
}

export const isEmptyV = (v: Value): boolean => v !== null && typeof v === 'object' && v.kind === 'empty';
export const isNumeric = (v: Value): v is bigint | number => typeof v === 'bigint' || typeof v === 'number';

/** NULL or EMPTY: the values that make comparisons and logic "unknown". */
export const isUnknown = (v: Value): boolean => isNull(v) || isEmptyV(v);

export const BAD_TYPE: Value = nullOf(NullType.BAD_TYPE);

/** Structural equality with int/float comparing by number, as NebulaGraph's `==`. */
export function valueEquals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (isNumeric(a) && isNumeric(b)) return typeof a === typeof b ? a === b : Number(a) === Number(b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (a.kind !== b.kind) return false;
  return valueKey(a) === valueKey(b);
}

/**
 * Order of two values of comparable types: negative, zero or positive; undefined when the types
 * cannot be ordered (NebulaGraph answers BAD_TYPE then).
 */
export function compareValues(a: Value, b: Value): number | undefined {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (isNumeric(a) && isNumeric(b)) {
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || a.kind !== b.kind) return undefined;
  if (a.kind === 'date' && b.kind === 'date') return a.year - b.year || a.month - b.month || a.day - b.day;
  if (a.kind === 'time' && b.kind === 'time')
    return a.hour - b.hour || a.minute - b.minute || a.sec - b.sec || a.microsec - b.microsec;
  if (a.kind === 'datetime' && b.kind === 'datetime')
    return (
      a.year - b.year ||
      a.month - b.month ||
      a.day - b.day ||
      a.hour - b.hour ||
      a.minute - b.minute ||
      a.sec - b.sec ||
      a.microsec - b.microsec
    );
  return undefined;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** A float as NebulaGraph prints it: whole numbers keep a `.0`. */
export function floatText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return `${n}.0`;
  return String(n);
}

/** Text of a value for toString() and string concatenation; undefined for values with no text. */
export function valueText(v: Value): string | undefined {
  if (v === null) return undefined;
  switch (typeof v) {
    case 'boolean':
    case 'bigint':
    case 'string':
      return String(v);
    case 'number':
      return floatText(v);
    default:
      break;
  }
  switch (v.kind) {
    case 'date':
      return `${pad(v.year, 4)}-${pad(v.month)}-${pad(v.day)}`;
    case 'time':
      return `${pad(v.hour)}:${pad(v.minute)}:${pad(v.sec)}.${pad(v.microsec, 6)}`;
    case 'datetime':
      return `${pad(v.year, 4)}-${pad(v.month)}-${pad(v.day)}T${pad(v.hour)}:${pad(v.minute)}:${pad(v.sec)}.${pad(v.microsec, 6)}`;
    default:
      return undefined;
  }
}

/** A string that is equal for equal values: DISTINCT and IN use it. */
export function valueKey(v: Value): string {
  if (v === null) return 'N';
  switch (typeof v) {
    case 'boolean':
      return v ? 'T' : 'F';
    case 'bigint':
      return `i${v}`;
    case 'number':
      // Whole floats compare equal to ints, so they share the int key.
      return Number.isInteger(v) ? `i${v}` : `f${v}`;
    case 'string':
      return `s${JSON.stringify(v)}`;
    default:
      break;
  }
  switch (v.kind) {
    case 'null':
      return `N${v.nullType}`;
    case 'empty':
      return 'E';
    case 'date':
    case 'time':
    case 'datetime':
      return `${v.kind}:${valueText(v)}`;
    case 'list':
    case 'set':
      return `${v.kind}[${v.values.map(valueKey).join(',')}]`;
    case 'map':
      return `m{${[...v.entries.keys()].sort().map((k) => `${JSON.stringify(k)}:${valueKey(v.entries.get(k) ?? null)}`).join(',')}}`;
    case 'vertex':
      return `v(${valueKey(v.vid)}|${v.tags.map((t) => `${t.name}${valueKey({ kind: 'map', entries: t.props })}`).join('|')})`;
    case 'edge':
      return `e(${valueKey(v.src)}>${valueKey(v.dst)}@${v.ranking}:${v.name}:${v.direction}${valueKey({ kind: 'map', entries: v.props })})`;
    case 'path':
      return `p(${valueKey(v.src)}${v.steps.map((s) => `${s.name}@${s.ranking}>${valueKey(s.dst)}`).join('')})`;
    case 'dataset':
      return `d${JSON.stringify(v.dataset.columns)}${v.dataset.rows.map((r) => r.map(valueKey).join(',')).join(';')}`;
  }
}

/** Key of a whole row, for DISTINCT. */
export const rowKey = (row: readonly Value[]): string => row.map(valueKey).join('\u0001');
