/**
 * Column definitions of CREATE/ALTER TAG|EDGE turned into the catalog's property definitions: the
 * DEFAULT evaluated once and checked against the property's type, and the texts DESCRIBE and
 * SHOW CREATE print.
 */
import type { PropDef } from '../../catalog/types.ts';
import { Errors, fail, ok, type Result } from '../../errors.ts';
import { limits } from '../../limits.ts';
import type { ColumnDef, PropType } from '../../parser/ast.ts';
import type { Value } from '../../value/types.ts';
import { evalConstant } from '../expr/evaluate.ts';

/** The signed range of each fixed-width integer type, so a DEFAULT that cannot fit is refused. */
const INT_RANGE: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int8: [-(2n ** 7n), 2n ** 7n - 1n],
  int16: [-(2n ** 15n), 2n ** 15n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  timestamp: [0n, 2n ** 63n - 1n],
};

/** `string`, `int64`, `fixed_string(30)`...: the lower-case type names NebulaGraph prints. */
export function typeText(type: PropType): string {
  return type.name === 'fixed_string' ? `fixed_string(${type.length ?? 0})` : type.name;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** A constant as NebulaGraph prints it after DEFAULT: re-parseable nGQL. */
export function constantText(v: Value): string {
  if (v === null) return 'NULL';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isInteger(v) ? `${v}.0` : String(v);
  switch (v.kind) {
    case 'date':
      return `date("${pad(v.year, 4)}-${pad(v.month, 2)}-${pad(v.day, 2)}")`;
    case 'time':
      return `time("${pad(v.hour, 2)}:${pad(v.minute, 2)}:${pad(v.sec, 2)}.${pad(v.microsec, 6)}")`;
    case 'datetime':
      return (
        `datetime("${pad(v.year, 4)}-${pad(v.month, 2)}-${pad(v.day, 2)}T` +
        `${pad(v.hour, 2)}:${pad(v.minute, 2)}:${pad(v.sec, 2)}.${pad(v.microsec, 6)}")`
      );
    default:
      return String(v.kind);
  }
}

/** The default converted to the property's type, or undefined when it does not fit. */
function fitDefault(v: Value, type: PropType): Value | undefined {
  switch (type.name) {
    case 'bool':
      return typeof v === 'boolean' ? v : undefined;
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'timestamp': {
      if (typeof v !== 'bigint') return undefined;
      const [lo, hi] = INT_RANGE[type.name];
      return v >= lo && v <= hi ? v : undefined;
    }
    case 'float':
    case 'double':
      // An integer literal is a fine default for a floating-point property.
      return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
    case 'string':
      return typeof v === 'string' ? v : undefined;
    case 'fixed_string':
      // Like a written value, a longer default is cut to the declared length.
      return typeof v === 'string' ? [...v].slice(0, type.length ?? 0).join('') : undefined;
    case 'date':
    case 'time':
    case 'datetime':
      return typeof v === 'object' && v !== null && v.kind === type.name ? v : undefined;
  }
}

/** One column definition as the catalog stores it, or why it is refused. */
export function propDefOf(col: ColumnDef): Result<PropDef> {
  if (col.type.name === 'fixed_string') {
    const length = col.type.length ?? 0;
    if (length <= 0 || length > limits.fixedStringLengthMax) {
      return fail(Errors.semantic(`Invalid length of fixed_string \`${col.name}': ${length}`));
    }
  }
  let def: { defaultValue: Value; defaultText: string } | undefined;
  if (col.defaultValue !== undefined) {
    const value = evalConstant(col.defaultValue);
    if (!value.ok) return value;
    const fitted = value.value === null ? null : fitDefault(value.value, col.type);
    if (fitted === undefined || (fitted === null && !col.nullable)) {
      return fail(
        Errors.semantic(`Invalid default value for column \`${col.name}': expected type ${typeText(col.type)}`),
      );
    }
    def = { defaultValue: fitted, defaultText: constantText(fitted) };
  }
  return ok({
    name: col.name,
    type: col.type,
    nullable: col.nullable,
    ...(def ?? {}),
    ...(col.comment !== undefined ? { comment: col.comment } : {}),
  });
}

/** Every column, in order; the first refused one stops the rest. Names must be unique. */
export function propDefsOf(cols: readonly ColumnDef[]): Result<PropDef[]> {
  const seen = new Set<string>();
  const out: PropDef[] = [];
  for (const col of cols) {
    if (seen.has(col.name)) return fail(Errors.semantic(`Duplicate column name \`${col.name}'`));
    seen.add(col.name);
    const def = propDefOf(col);
    if (!def.ok) return def;
    out.push(def.value);
  }
  return ok(out);
}
