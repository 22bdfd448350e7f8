/**
 * fast-check generators for `Value` and `DataSet`, shared by the codec and server tests.
 * (Not a test file itself: it has no `.test.ts` suffix.)
 */
import fc from 'fast-check';
import type { DataSet, NullTypeValue, StepV, Value, VertexV } from '../../../src/value/types.ts';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export const int64 = fc.oneof(
  fc.constantFrom(INT64_MIN, INT64_MAX, 0n, -1n, 1n, 2n ** 53n + 1n),
  fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
);
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 }));
const name = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 });
const vid = fc.oneof(text, int64);
const byte = (min: number, max: number) => fc.integer({ min, max });

const scalar: fc.Arbitrary<Value> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  int64,
  fc.double(),
  text,
  fc.integer({ min: 1, max: 7 }).map((n) => ({ kind: 'null' as const, nullType: n as NullTypeValue })),
  fc.constant({ kind: 'empty' as const }),
  fc.record({ kind: fc.constant('date' as const), year: byte(-32768, 32767), month: byte(1, 12), day: byte(1, 31) }),
  fc.record({
    kind: fc.constant('time' as const),
    hour: byte(0, 23),
    minute: byte(0, 59),
    sec: byte(0, 59),
    microsec: byte(0, 999_999),
  }),
  fc.record({
    kind: fc.constant('datetime' as const),
    year: byte(-32768, 32767),
    month: byte(1, 12),
    day: byte(1, 31),
    hour: byte(0, 23),
    minute: byte(0, 59),
    sec: byte(0, 59),
    microsec: byte(0, 999_999),
  }),
);

const { value } = fc.letrec<{ value: Value; props: Map<string, Value>; vertex: VertexV }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    tie('vertex'),
    fc.record({
      kind: fc.constant('edge' as const),
      src: vid,
      dst: vid,
      direction: fc.constantFrom(1 as const, -1 as const),
      name,
      ranking: int64,
      props: tie('props'),
    }),
    fc.record({
      kind: fc.constant('path' as const),
      src: tie('vertex'),
      steps: fc.array(
        fc.record({
          dst: tie('vertex'),
          direction: fc.constantFrom(1 as const, -1 as const),
          name,
          ranking: int64,
          props: tie('props'),
        }) as fc.Arbitrary<StepV>,
        { maxLength: 3 },
      ),
    }),
    fc.record({ kind: fc.constant('list' as const), values: fc.array(tie('value'), { maxLength: 4 }) }),
    fc.record({ kind: fc.constant('set' as const), values: fc.array(tie('value'), { maxLength: 4 }) }),
    fc.record({ kind: fc.constant('map' as const), entries: tie('props') }),
  ),
  props: fc.array(fc.tuple(name, tie('value')), { maxLength: 3 }).map((kv) => new Map(kv)),
  vertex: fc.record({
    kind: fc.constant('vertex' as const),
    vid,
    tags: fc.array(fc.record({ name, props: tie('props') }), { maxLength: 2 }),
  }),
}));

export const valueArb: fc.Arbitrary<Value> = value;

export const dataSetArb: fc.Arbitrary<DataSet> = fc
  .integer({ min: 0, max: 4 })
  .chain((width) =>
    fc.record({
      columns: fc.array(text, { minLength: width, maxLength: width }),
      rows: fc.array(fc.array(valueArb, { minLength: width, maxLength: width }), { maxLength: 4 }),
    }),
  );
