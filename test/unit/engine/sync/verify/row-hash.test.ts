// Pins the row hash's building blocks: a string hashes as its UTF-8 bytes (ASCII or not), props hash
// the same in any stored order and differently for another type or value, and a props blob that
// does not parse still hashes (whole) instead of throwing.
import { describe, expect, it } from 'vitest';
import * as H from '../../../../../src/engine/sync/verify/row-hash.ts';
import { encodeProps } from '../../../../../src/engine/wal/value-codec.ts';

const bytesHash = (b: Buffer) => (H.hashBytes(b, 0, b.length, 7), [H.hashA, H.hashB]);
const stringHash = (s: string) => (H.hashUtf8(s, 7), [H.hashA, H.hashB]);
const propsHash = (blob: Buffer) => (H.hashProps(blob), [H.propsA, H.propsB, H.propsCount]);

describe('row hash', () => {
  it('hashes a string as its UTF-8 bytes', () => {
    for (const s of ['', 'a', 'player100', 'ünïcödé', '日本語のvid', 'x'.repeat(37)]) expect(stringHash(s)).toEqual(bytesHash(Buffer.from(s, 'utf8')));
    expect(stringHash('ab')).not.toEqual(stringHash('ab\u0000'));
  });

  it('hashes props by name and typed value, in any order', () => {
    const base = propsHash(encodeProps({ name: 'Tim', age: 42n, score: 1.5, born: { kind: 'date', year: 1976, month: 4, day: 25 } }));
    expect(propsHash(encodeProps({ born: { kind: 'date', year: 1976, month: 4, day: 25 }, score: 1.5, age: 42n, name: 'Tim' }))).toEqual(base);
    expect(propsHash(encodeProps({ name: 'Tim', age: 43n, score: 1.5, born: { kind: 'date', year: 1976, month: 4, day: 25 } }))).not.toEqual(base);
    expect(propsHash(encodeProps({ name: 'Tim', age: 42, score: 1.5, born: { kind: 'date', year: 1976, month: 4, day: 25 } }))).not.toEqual(base);
    expect(propsHash(encodeProps({ name: 'Tim', age: 42n, score: 1.5 }))).not.toEqual(base);
    expect(propsHash(encodeProps({ name: 'x'.repeat(300), age: null }))).toEqual(propsHash(encodeProps({ age: null, name: 'x'.repeat(300) })));
  });

  it('hashes a blob that does not parse as a whole, without throwing', () => {
    const good = encodeProps({ name: 'Tim', age: 42n });
    const cut = good.subarray(0, good.length - 2);
    const [a, b, count] = propsHash(cut);
    expect(count).toBe(-1);
    expect(propsHash(Buffer.from(cut))).toEqual([a, b, -1]);
    expect(propsHash(Buffer.from([0xff, 0xff]))[2]).toBe(-1);
  });
});
