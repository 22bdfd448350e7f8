/**
 * Fitting a computed value into a property: the type check that INSERT, UPDATE and UPSERT apply to
 * every value before anything is written. Integers are range-checked for their width, ints are
 * accepted for floats, fixed_string(N) is cut to N bytes (NebulaGraph truncates rather than
 * refuses), timestamps accept ints and datetime strings, and NULL only enters nullable props.
 * Refusals use NebulaGraph's storage wording.
 */
import type { PropDef } from '../../catalog/types.ts';
import { Errors, fail, ok, type NgError, type Result } from '../../errors.ts';
import { limits } from '../../limits.ts';
import type { Value } from '../../value/types.ts';
import { epochSeconds, parseDateTime } from './datetime.ts';

const INT_RANGE: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int8: [-(2n ** 7n), 2n ** 7n - 1n],
  int16: [-(2n ** 15n), 2n ** 15n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
};

/** Timestamps are seconds in [0, 2^63/1e9), NebulaGraph's accepted range. */
const TIMESTAMP_MAX = 9_223_372_036n;

export const typeMismatch = (): NgError =>
  Errors.executionPlain('Storage Error: The data type does not meet the requirements. Use the correct type of data.');
export const notNullable = (): NgError => Errors.executionPlain('Storage Error: The not null field cannot be null.');
export const outOfRange = (): NgError => Errors.executionPlain('Storage Error: Out of range value.');
export const stringTooLong = (): NgError =>
  Errors.executionPlain(`Storage Error: The string is longer than ${limits.stringPropBytesMax} bytes.`);

const MISMATCH: Result<Value> = fail(typeMismatch());
const NOT_NULLABLE: Result<Value> = fail(notNullable());
const OUT_OF_RANGE: Result<Value> = fail(outOfRange());

/** Whether a string exceeds the byte bound, without encoding the (usual) short ones. */
function tooLong(s: string): boolean {
  // Every UTF-16 unit is at most 3 UTF-8 bytes, so short strings cannot exceed the bound.
  return s.length * 3 > limits.stringPropBytesMax && Buffer.byteLength(s, 'utf8') > limits.stringPropBytesMax;
}

function fixedString(s: string, n: number): string {
  if (s.length <= n && Buffer.byteLength(s, 'utf8') <= n) return s;
  // Cut at N bytes; a character split in two is dropped rather than stored broken.
  return Buffer.from(s, 'utf8').subarray(0, n).toString('utf8').replace(/\uFFFD$/, '');
}

/**
 * Check `value` against `prop` and answer the value to store.
 *
 * @example coerceToProp(300n, { name: 'a', type: { name: 'int8' }, nullable: true }) // => Out of range
 */
export function coerceToProp(value: Value, prop: PropDef): Result<Value> {
  if (value === null || (typeof value === 'object' && value.kind === 'null')) {
    return prop.nullable ? ok(null) : NOT_NULLABLE;
  }
  const type = prop.type.name;
  switch (type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64': {
      if (typeof value !== 'bigint') return MISMATCH;
      const [min, max] = INT_RANGE[type]!;
      return value < min || value > max ? OUT_OF_RANGE : ok(value);
    }
    case 'float':
    case 'double':
      if (typeof value === 'number') return ok(value);
      return typeof value === 'bigint' ? ok(Number(value)) : MISMATCH;
    case 'string':
      if (typeof value !== 'string') return MISMATCH;
      return tooLong(value) ? fail(stringTooLong()) : ok(value);
    case 'fixed_string':
      return typeof value === 'string' ? ok(fixedString(value, prop.type.length ?? 0)) : MISMATCH;
    case 'bool':
      return typeof value === 'boolean' ? ok(value) : MISMATCH;
    case 'timestamp': {
      let seconds: bigint | undefined;
      if (typeof value === 'bigint') seconds = value;
      else if (typeof value === 'string') {
        const dt = parseDateTime(value);
        seconds = dt ? epochSeconds(dt) : undefined;
      } else if (typeof value === 'object' && value.kind === 'datetime') seconds = epochSeconds(value);
      if (seconds === undefined) return MISMATCH;
      return seconds < 0n || seconds > TIMESTAMP_MAX ? OUT_OF_RANGE : ok(seconds);
    }
    case 'date':
    case 'time':
    case 'datetime':
      return typeof value === 'object' && value.kind === type ? ok(value) : MISMATCH;
  }
}
