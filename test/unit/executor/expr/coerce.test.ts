// Pins how values are fitted into properties before a write: integer widths with range checks,
// ints into floats, fixed_string truncation, timestamps from ints and strings, NULL only into
// nullable props, and NebulaGraph's storage wording for every refusal.
import { describe, expect, it } from 'vitest';
import type { PropDef } from '../../../../src/catalog/types.ts';
import { coerceToProp } from '../../../../src/executor/expr/coerce.ts';
import type { PropTypeName } from '../../../../src/parser/ast.ts';
import { limits } from '../../../../src/limits.ts';
import { NullType, nullOf, type Value } from '../../../../src/value/types.ts';

const prop = (name: PropTypeName, extra: Partial<PropDef> = {}, length?: number): PropDef => ({
  name: 'p',
  type: length === undefined ? { name } : { name, length },
  nullable: true,
  ...extra,
});
const MISMATCH = 'Storage Error: The data type does not meet the requirements. Use the correct type of data.';
const refusal = (v: Value, p: PropDef): string | undefined => {
  const r = coerceToProp(v, p);
  return r.ok ? undefined : r.error.message;
};

describe('coerceToProp', () => {
  it('range-checks integer widths', () => {
    expect(coerceToProp(127n, prop('int8'))).toEqual({ ok: true, value: 127n });
    expect(refusal(128n, prop('int8'))).toBe('Storage Error: Out of range value.');
    expect(refusal(-32769n, prop('int16'))).toBe('Storage Error: Out of range value.');
    expect(coerceToProp(2n ** 31n - 1n, prop('int32')).ok).toBe(true);
    expect(coerceToProp(-(2n ** 63n), prop('int64')).ok).toBe(true);
  });
  it('accepts ints for floats and refuses strings for ints', () => {
    expect(coerceToProp(3n, prop('double'))).toEqual({ ok: true, value: 3 });
    expect(coerceToProp(1.5, prop('float'))).toEqual({ ok: true, value: 1.5 });
    expect(refusal('42', prop('int64'))).toBe(MISMATCH);
    expect(refusal(1.5, prop('int64'))).toBe(MISMATCH);
    expect(refusal(1n, prop('string'))).toBe(MISMATCH);
    expect(refusal(1n, prop('bool'))).toBe(MISMATCH);
  });
  it('cuts fixed_string(N) to N bytes', () => {
    expect(coerceToProp('abcdef', prop('fixed_string', {}, 3))).toEqual({ ok: true, value: 'abc' });
    expect(coerceToProp('ab', prop('fixed_string', {}, 3))).toEqual({ ok: true, value: 'ab' });
  });
  it('refuses strings over the size bound', () => {
    expect(refusal('x'.repeat(limits.stringPropBytesMax + 1), prop('string'))).toMatch(/^Storage Error: /);
    expect(coerceToProp('x'.repeat(limits.stringPropBytesMax), prop('string')).ok).toBe(true);
  });
  it('takes timestamps as ints or datetime strings', () => {
    expect(coerceToProp(10n, prop('timestamp'))).toEqual({ ok: true, value: 10n });
    expect(coerceToProp('1970-01-01T00:00:10', prop('timestamp'))).toEqual({ ok: true, value: 10n });
    expect(refusal('yesterday', prop('timestamp'))).toBe(MISMATCH);
  });
  it('takes dates, times and datetimes only from their own values', () => {
    const date: Value = { kind: 'date', year: 2020, month: 1, day: 2 };
    expect(coerceToProp(date, prop('date'))).toEqual({ ok: true, value: date });
    expect(refusal('2020-01-02', prop('date'))).toBe(MISMATCH);
    expect(refusal(date, prop('datetime'))).toBe(MISMATCH);
  });
  it('lets NULL into nullable props only', () => {
    expect(coerceToProp(null, prop('int64'))).toEqual({ ok: true, value: null });
    expect(coerceToProp(nullOf(NullType.BAD_TYPE), prop('int64'))).toEqual({ ok: true, value: null });
    expect(refusal(null, prop('int64', { nullable: false }))).toBe('Storage Error: The not null field cannot be null.');
  });
});
