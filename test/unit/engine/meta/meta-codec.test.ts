// Pins the meta codec: entries and catalogs round-trip exactly, keeping bigint, Maps inside Values, undefined-vs-missing keys and odd floats.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MetaEntry, MetaOp, PropDef } from '../../../../src/catalog/types.ts';
import {
  decodeCatalog,
  decodeJson,
  decodeMetaEntry,
  encodeCatalog,
  encodeJson,
  encodeMetaEntry,
} from '../../../../src/engine/meta/meta-codec.ts';
import type { Value } from '../../../../src/value/types.ts';
import { richCatalog } from '../../catalog/fixtures.ts';

const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('$b', '$m', '$u', '$n', '$$x', '$'));

const { value } = fc.letrec<{ value: Value; vertex: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    fc.double(),
    fc.string(),
    fc.record({ kind: fc.constant('null' as const), nullType: fc.constantFrom(1, 2, 3, 6) }) as fc.Arbitrary<Value>,
    fc.constant({ kind: 'empty' } as Value),
    fc.record({ kind: fc.constant('date' as const), year: fc.integer(), month: fc.nat(12), day: fc.nat(31) }),
    fc.record({ kind: fc.constant('list' as const), values: fc.array(tie('value'), { maxLength: 3 }) }) as fc.Arbitrary<Value>,
    fc.record({
      kind: fc.constant('map' as const),
      entries: fc.array(fc.tuple(key, tie('value')), { maxLength: 3 }).map((e) => new Map(e)),
    }) as fc.Arbitrary<Value>,
    tie('vertex'),
    fc.record({
      kind: fc.constant('edge' as const),
      src: fc.oneof(fc.string(), fc.bigInt()),
      dst: fc.oneof(fc.string(), fc.bigInt()),
      direction: fc.constantFrom(1 as const, -1 as const),
      name: fc.string(),
      ranking: fc.bigInt(),
      props: fc.array(fc.tuple(key, tie('value')), { maxLength: 2 }).map((e) => new Map(e)),
    }) as fc.Arbitrary<Value>,
  ),
  vertex: fc.record({
    kind: fc.constant('vertex' as const),
    vid: fc.oneof(fc.string(), fc.bigInt()),
    tags: fc.array(
      fc.record({ name: fc.string(), props: fc.array(fc.tuple(key, tie('value')), { maxLength: 2 }).map((e) => new Map(e)) }),
      { maxLength: 2 },
    ),
  }) as fc.Arbitrary<Value>,
}));

const propDef: fc.Arbitrary<PropDef> = fc.record(
  {
    name: key,
    type: fc.oneof(fc.constant({ name: 'int64' as const }), fc.record({ name: fc.constant('fixed_string' as const), length: fc.nat() })),
    nullable: fc.boolean(),
    defaultValue: value,
    defaultText: fc.option(fc.string(), { nil: undefined }),
    comment: fc.string(),
  },
  { requiredKeys: ['name', 'type', 'nullable'] },
);

const op: fc.Arbitrary<MetaOp> = fc.oneof(
  fc.record({
    op: fc.constant('createSchema' as const),
    space: fc.string(),
    kind: fc.constantFrom('TAG' as const, 'EDGE' as const),
    name: fc.string(),
    props: fc.array(propDef, { maxLength: 4 }),
    comment: fc.option(fc.string(), { nil: undefined }),
  }),
  fc.record({ op: fc.constant('putUser' as const), name: key, passwordHash: fc.string() }),
  fc.record({
    op: fc.constant('finishJob' as const),
    id: fc.nat(),
    status: fc.constantFrom('FINISHED' as const, 'FAILED' as const),
    time: fc.nat(),
    stats: fc.option(
      fc.record({ tags: fc.dictionary(key, fc.nat()), edges: fc.dictionary(key, fc.nat()), vertices: fc.nat(), edgeCount: fc.nat() }),
      { nil: undefined },
    ),
  }),
);

const entry: fc.Arbitrary<MetaEntry> = fc.record({ logId: fc.nat(), term: fc.nat(), ts: fc.nat(), op });

describe('meta codec', () => {
  it('round-trips any meta entry exactly, including which keys are present', () => {
    fc.assert(
      fc.property(entry, (e) => {
        const back = decodeMetaEntry(encodeMetaEntry(e));
        // structuredClone gives fast-check's null-prototype records a plain prototype and keeps the rest.
        expect(back).toStrictEqual(structuredClone(e));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps undefined-valued keys apart from missing ones', () => {
    const withKey = decodeJson<Record<string, unknown>>(encodeJson({ a: undefined }));
    const without = decodeJson<Record<string, unknown>>(encodeJson({}));
    expect(Object.hasOwn(withKey, 'a')).toBe(true);
    expect(withKey.a).toBeUndefined();
    expect(Object.hasOwn(without, 'a')).toBe(false);
  });

  it('keeps bigint, Maps, NaN, infinities and negative zero', () => {
    const back = decodeJson<unknown[]>(encodeJson([2n ** 63n - 1n, new Map([['$b', 1n]]), NaN, -Infinity, -0, { $m: 1 }]));
    expect(back[0]).toBe(2n ** 63n - 1n);
    expect(back[1]).toEqual(new Map([['$b', 1n]]));
    expect(back[2]).toBeNaN();
    expect(back[3]).toBe(-Infinity);
    expect(Object.is(back[4], -0)).toBe(true);
    expect(back[5]).toEqual({ $m: 1 });
  });

  it('round-trips a whole catalog and freezes what it decodes', () => {
    const cat = richCatalog();
    const back = decodeCatalog(encodeCatalog(cat));
    expect(back).toStrictEqual(cat);
    expect(Object.isFrozen(back.spaces.s.tags.player.versions[0].props[1])).toBe(true);
  });
});
