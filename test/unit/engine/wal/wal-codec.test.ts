// Pins that WAL entries and row props survive encode -> decode exactly, value types included, and that damaged bytes are refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { edgeRowCrc, rowCrcOfImage, tagRowCrc } from '../../../../src/engine/storage/row-checksum.ts';
import type { DataOp, WalEntry } from '../../../../src/engine/storage/types.ts';
import { decodeProps, encodeProps } from '../../../../src/engine/wal/value-codec.ts';
import { ByteWriter } from '../../../../src/engine/wal/byte-io.ts';
import { decodeWalEntry, encodeWalEntry, encodeWalEntryWithRows, EntryBuilder, entryWithBody, tryDecodeWalEntry, withSchemaId, writeOpsBody } from '../../../../src/engine/wal/wal-codec.ts';
import type { Value, VertexV } from '../../../../src/value/types.ts';

const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme', maxLength: 20 }));
const vid = fc.oneof(int64, text);
const direction = fc.constantFrom(1 as const, -1 as const);
const valueMap = (v: fc.Arbitrary<Value>): fc.Arbitrary<ReadonlyMap<string, Value>> =>
  fc.array(fc.tuple(text, v), { maxLength: 4 }).map((kv) => new Map(kv));

const scalar: fc.Arbitrary<Value> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  int64,
  fc.integer().map(BigInt),
  fc.double(),
  text,
  fc.integer({ min: 1, max: 7 }).map((n) => ({ kind: 'null', nullType: n }) as Value),
  fc.constant({ kind: 'empty' } as Value),
  fc.record({ kind: fc.constant('date' as const), year: fc.integer({ min: -32768, max: 32767 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) }),
  fc.record({ kind: fc.constant('time' as const), hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }), sec: fc.integer({ min: 0, max: 59 }), microsec: fc.integer({ min: 0, max: 999_999 }) }),
  fc.record({
    kind: fc.constant('datetime' as const),
    year: fc.integer({ min: -32768, max: 32767 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    sec: fc.integer({ min: 0, max: 59 }),
    microsec: fc.integer({ min: 0, max: 999_999 }),
  }),
);

const { value } = fc.letrec<{ value: Value; vertex: VertexV }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    tie('vertex'),
    fc.record({ kind: fc.constant('edge' as const), src: vid, dst: vid, direction, name: text, ranking: int64, props: valueMap(tie('value')) }),
    fc.record({
      kind: fc.constant('path' as const),
      src: tie('vertex'),
      steps: fc.array(fc.record({ dst: tie('vertex'), direction, name: text, ranking: int64, props: valueMap(tie('value')) }), { maxLength: 3 }),
    }),
    fc.record({ kind: fc.constantFrom('list' as const, 'set' as const), values: fc.array(tie('value'), { maxLength: 4 }) }),
    fc.record({ kind: fc.constant('map' as const), entries: valueMap(tie('value')) }),
    fc.record({
      kind: fc.constant('dataset' as const),
      dataset: fc.record({ columns: fc.array(text, { maxLength: 3 }), rows: fc.array(fc.array(tie('value'), { maxLength: 3 }), { maxLength: 3 }) }),
    }),
  ),
  vertex: fc.record({
    kind: fc.constant('vertex' as const),
    vid,
    tags: fc.array(fc.record({ name: text, props: valueMap(tie('value')) }), { maxLength: 2 }),
  }),
}));

const props = fc.dictionary(text, value, { maxKeys: 6, noNullPrototype: true });
const op: fc.Arbitrary<DataOp> = fc.oneof(
  fc.record({ op: fc.constant('putTag' as const), vid, tagId: fc.integer({ min: 0, max: 2 ** 31 - 1 }), ver: fc.nat(), props }),
  fc.record({ op: fc.constant('deleteTag' as const), vid, tagId: fc.integer({ min: 0, max: 2 ** 31 - 1 }) }),
  fc.record({ op: fc.constant('deleteVertex' as const), vid }),
  fc.record({ op: fc.constant('putEdge' as const), src: vid, etype: fc.integer(), rank: int64, dst: vid, ver: fc.nat(), props }),
  fc.record({ op: fc.constant('deleteEdge' as const), src: vid, etype: fc.integer(), rank: int64, dst: vid }),
);
const entry: fc.Arbitrary<WalEntry> = fc.record({
  logId: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  term: fc.nat(),
  ts: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  ops: fc.array(op, { maxLength: 8 }),
});

describe('WAL codec', () => {
  it('round-trips random entries with values of every kind', () => {
    fc.assert(
      fc.property(entry, (e) => {
        expect(decodeWalEntry(encodeWalEntry(e))).toEqual(e);
      }),
      { numRuns: 300 },
    );
  });

  it('gives each row the checksum a read recomputes from its stored columns (row-checksum.ts)', () => {
    fc.assert(
      fc.property(entry, fc.integer({ min: 1, max: 1000 }), (e, part) => {
        const { rows } = encodeWalEntryWithRows(e);
        e.ops.forEach((op, i) => {
          const row = rows[i];
          if (row === undefined) return;
          const written = rowCrcOfImage(part, row.image);
          if (op.op === 'putTag') expect(tagRowCrc(part, op.vid, op.tagId, op.ver, row.props)).toBe(written);
          if (op.op === 'putEdge') expect(edgeRowCrc(part, op.src, op.etype, op.rank, op.dst, op.ver, row.props)).toBe(written);
          if (op.op === 'putTag') expect(tagRowCrc(part + 1, op.vid, op.tagId, op.ver, row.props)).not.toBe(written);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('hands out each op props as exactly the row blob encodeProps makes (stored once, not encoded twice)', () => {
    fc.assert(
      fc.property(entry, (e) => {
        const { bytes, rows } = encodeWalEntryWithRows(e);
        expect(bytes).toEqual(encodeWalEntry(e));
        e.ops.forEach((op, i) => {
          if (op.op === 'putTag' || op.op === 'putEdge') expect(rows[i]?.props).toEqual(encodeProps(op.props));
          else expect(rows[i]).toBeUndefined();
        });
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same entry when the header is put in front of a body written apart (the storage writer thread does)', () => {
    fc.assert(
      fc.property(entry, fc.string({ maxLength: 30 }), (e, before) => {
        const w = new ByteWriter();
        w.reset();
        w.str(before);
        const start = w.pos;
        const props: Buffer[] = [];
        writeOpsBody(w, e.ops, (_i, _image, at, end) => at >= 0 && props.push(Buffer.from(w.view().subarray(at, end))));
        expect(entryWithBody(e.logId, e.term, e.ts, w.view().subarray(start))).toEqual(encodeWalEntry(e));
        expect(props).toEqual(e.ops.flatMap((op) => (op.op === 'putTag' || op.op === 'putEdge' ? [encodeProps(op.props)] : [])));
      }),
      { numRuns: 300 },
    );
  });

  it('builds the same entries op by op (EntryBuilder, as snapshot chunks are cut by bytes), and starts empty after each', () => {
    const builder = new EntryBuilder();
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 3 }), (entries) => {
        for (const e of entries) {
          for (const op of e.ops) builder.add(op);
          expect(builder.count).toBe(e.ops.length);
          // What the ops take encoded: the body writeOpsBody makes, less its one-byte count (at most 8 ops here).
          const body = new ByteWriter();
          body.reset();
          writeOpsBody(body, e.ops, () => undefined);
          expect(builder.bytes).toBe(body.pos - 1);
          expect(builder.take(e.logId, e.term, e.ts)).toEqual(encodeWalEntry(e));
          expect(builder.count).toBe(0);
          expect(builder.bytes).toBe(0);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps bigint, float, null, NullV and empty apart', () => {
    const e: WalEntry = {
      logId: 7,
      term: 1,
      ts: 1_700_000_000_123,
      ops: [
        {
          op: 'putTag',
          vid: 'v',
          tagId: 3,
          ver: 2,
          props: { i: 1n, f: 1, nan: NaN, neg0: -0, n: null, bad: { kind: 'null', nullType: 3 }, e: { kind: 'empty' }, big: -(2n ** 63n) },
        },
      ],
    };
    const back = decodeWalEntry(encodeWalEntry(e)).ops[0] as Extract<DataOp, { op: 'putTag' }>;
    expect(typeof back.props['i']).toBe('bigint');
    expect(typeof back.props['f']).toBe('number');
    expect(Object.is(back.props['neg0'], -0)).toBe(true);
    expect(back.props).toEqual(e.ops[0]!.op === 'putTag' ? e.ops[0]!.props : undefined);
  });

  it('refuses any entry with one byte changed', () => {
    fc.assert(
      fc.property(entry, fc.nat(), fc.integer({ min: 1, max: 255 }), (e, at, xor) => {
        const buf = encodeWalEntry(e);
        const i = at % buf.length;
        buf[i] = buf[i]! ^ xor;
        expect(tryDecodeWalEntry(buf).ok).toBe(false);
        expect(() => decodeWalEntry(buf)).toThrow(/corrupt WAL entry/);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses truncated entries and entries with trailing bytes', () => {
    const buf = encodeWalEntry({ logId: 1, term: 1, ts: 5, ops: [{ op: 'deleteVertex', vid: 'abc' }] });
    for (let n = 0; n < buf.length; n++) expect(tryDecodeWalEntry(buf.subarray(0, n)).ok).toBe(false);
    expect(tryDecodeWalEntry(Buffer.concat([buf, Buffer.from([0])])).ok).toBe(false);
  });
});

/** Every field of `op` that a writer reads, getters included (`toEqual` compares own fields only). */
function fieldsOf(op: DataOp): Record<string, unknown> {
  const { encodedProps: _encoded, ...own } = { ...op, encodedProps: undefined };
  return op.op === 'putTag' || op.op === 'putEdge' ? { ...own, props: op.props } : own;
}

describe('WAL codec, props left encoded (lazyProps: how a secondary applies)', () => {
  const lazy = (buf: Buffer): WalEntry => {
    const d = tryDecodeWalEntry(buf, { lazyProps: true });
    if (!d.ok) throw new Error(d.reason);
    return d.entry;
  };

  it('reads the same ops, props included, and encodes them back to the same bytes', () => {
    fc.assert(
      fc.property(entry, (e) => {
        const bytes = encodeWalEntry(e);
        const back = lazy(bytes);
        expect(back.ops.map(fieldsOf)).toEqual(e.ops.map(fieldsOf));
        back.ops.forEach((op, i) => {
          const original = e.ops[i]!;
          if (op.op === 'putTag' || op.op === 'putEdge') {
            expect(op.encodedProps).toEqual(encodeProps((original as typeof op).props));
          }
        });
        expect(encodeWalEntry(back)).toEqual(bytes);
      }),
      { numRuns: 150 },
    );
  });

  it('re-targets an op to another tag id or edge type and keeps its props (withSchemaId)', () => {
    fc.assert(
      fc.property(entry, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (e, id) => {
        const moved = lazy(encodeWalEntry(e)).ops.map((op) => withSchemaId(op, id));
        const expected = e.ops.map((op) => {
          if (op.op === 'putTag' || op.op === 'deleteTag') return { ...op, tagId: id };
          if (op.op === 'putEdge' || op.op === 'deleteEdge') return { ...op, etype: id };
          return op;
        });
        expect(moved.map(fieldsOf)).toEqual(expected.map(fieldsOf));
        expect(encodeWalEntry({ ...e, ops: moved })).toEqual(encodeWalEntry({ ...e, ops: expected }));
      }),
      { numRuns: 100 },
    );
  });

  it('refuses props of a bad shape even under an intact checksum, as a full decode does', () => {
    const putTagBody = (props: number[]): Buffer =>
      // 1 op: putTag, vid "v", tag id 1 (zigzag 2), version 0, then the props bytes.
      Buffer.from([1, 1, 6, 1, 0x76, 2, 0, ...props]);
    const bad = [
      [1, 1, 0x61, 99], // one prop "a" with an unknown value tag
      [2, 1, 0x61, 0], // two props, one there
      [1, 1, 0x61, 6, 5, 0x62], // a string value shorter than its length
      [1, 9, 0x61], // a name shorter than its length
    ];
    for (const props of bad) {
      const buf = entryWithBody(1, 1, 5, putTagBody(props));
      expect(tryDecodeWalEntry(buf).ok).toBe(false);
      expect(tryDecodeWalEntry(buf, { lazyProps: true }).ok).toBe(false);
    }
    const good = entryWithBody(1, 1, 5, putTagBody([1, 1, 0x61, 0]));
    expect(lazy(good).ops).toHaveLength(1);
    expect((lazy(good).ops[0] as Extract<DataOp, { op: 'putTag' }>).props).toEqual({ a: null });
  });
});

describe('props codec', () => {
  it('round-trips random props records', () => {
    fc.assert(
      fc.property(props, (p) => {
        expect(decodeProps(encodeProps(p))).toEqual(p);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a property named __proto__ as an ordinary property', () => {
    const p: Record<string, Value> = { a: 1n };
    Object.defineProperty(p, '__proto__', { value: 'x', enumerable: true, writable: true, configurable: true });
    const back = decodeProps(encodeProps(p));
    expect(Object.keys(back)).toEqual(['a', '__proto__']);
    expect(back['__proto__']).toBe('x');
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });
});
