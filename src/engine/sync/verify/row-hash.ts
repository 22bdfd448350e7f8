/**
 * The 64-bit row hash of VERIFY SYNC: two independent 32-bit lanes (murmur3's block step with two
 * sets of constants) computed in one pass, with no allocation, because a verify hashes every row
 * of a space on both sides and must keep up with 200,000 rows/s per side.
 *
 * A row's hash is composed from its parts as 32-bit words (`begin`, `word`, `end`), so the parts
 * (vid bytes, the schema's name, rank, dst, props) are hashed where they lie, without building a
 * canonical byte string first. Props are hashed one property at a time (name and typed value, as
 * value-codec encodes them) and the per-property hashes are summed: the stored order of properties
 * does not matter, only names and typed values do. Nothing cluster-specific (schema ids, schema
 * versions, partition numbers) enters a hash, so equal rows hash equally on both clusters.
 *
 * Results are left in module registers (`hashA`, `hashB`) read right after each call: the hot loop
 * then returns no objects. Not a cryptographic hash: it catches accidents, not adversaries.
 */
import { valueEnd } from '../../wal/value-codec.ts';

// Lane A: murmur3_32's constants; lane B: xxhash32's primes, with other rotations.
const A1 = 0xcc9e2d51;
const A2 = 0x1b873593;
const B1 = 0x85ebca77;
const B2 = 0xc2b2ae3d;

/** The last result. */
export let hashA = 0;
export let hashB = 0;

let sa = 0;
let sb = 0;
let words = 0;

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

function mix(k: number): void {
  let ka = Math.imul(k, A1);
  ka = rotl(ka, 15);
  ka = Math.imul(ka, A2);
  sa ^= ka;
  sa = rotl(sa, 13);
  sa = (Math.imul(sa, 5) + 0xe6546b64) | 0;
  let kb = Math.imul(k, B1);
  kb = rotl(kb, 17);
  kb = Math.imul(kb, B2);
  sb ^= kb;
  sb = rotl(sb, 11);
  sb = (Math.imul(sb, 5) + 0x561ccd1b) | 0;
}

function fmixA(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function fmixB(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Start composing a hash; `seed` tells kinds of things apart (a tag row from an edge row ...). */
export function begin(seed: number): void {
  sa = seed | 0;
  sb = ~seed | 0;
  words = 0;
}

/** Add one 32-bit word. */
export function word(k: number): void {
  mix(k | 0);
  words++;
}

/** Finish: the hash is in `hashA` / `hashB`. */
export function end(): void {
  hashA = fmixA(sa ^ words);
  hashB = fmixB(sb ^ words);
}

/** Hash bytes [start, end) of `buf` with `seed`. */
export function hashBytes(buf: Uint8Array, start: number, stop: number, seed: number): void {
  begin(seed);
  let i = start;
  for (; i + 4 <= stop; i += 4) word(buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24));
  let tail = 0;
  for (let j = stop - 1; j >= i; j--) tail = (tail << 8) | buf[j]!;
  // The length goes in, so "ab" and "ab\0" differ.
  word(tail);
  word(stop - start);
  end();
}

/**
 * Hash a string's UTF-8 bytes with `seed`: ASCII strings (most vids) straight from their char
 * codes, others through an encoded copy. Equal to `hashBytes` of the UTF-8 encoding.
 */
export function hashUtf8(s: string, seed: number): void {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    if (s.charCodeAt(i) >= 0x80) {
      const bytes = Buffer.from(s, 'utf8');
      hashBytes(bytes, 0, bytes.length, seed);
      return;
    }
  }
  begin(seed);
  let i = 0;
  for (; i + 4 <= n; i += 4) word(s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24));
  let tail = 0;
  for (let j = n - 1; j >= i; j--) tail = (tail << 8) | s.charCodeAt(j);
  word(tail);
  word(n);
  end();
}

/** Seeds that keep kinds of hashed things apart. */
export const Seed = { TAG: 0x7461_6701, EDGE: 0x6564_6701, VID: 0x7669_6401, NAME: 0x6e61_6d01, PROP: 0x7072_6f01, SCHEMA: 0x7363_6801 } as const;

/** Registers of `hashProps`: the order-independent sum of the properties and their count. */
export let propsA = 0;
export let propsB = 0;
export let propsCount = 0;

/** A LEB128 count at `blob[pos]` into `varValue`, answering where it ends (-1 when malformed). */
let varValue = 0;
function readUvar(blob: Buffer, pos: number): number {
  let result = 0;
  let scale = 1;
  for (let i = 0; i < 8; i++) {
    const b = blob[pos + i];
    if (b === undefined) return -1;
    result += (b & 0x7f) * scale;
    if (b < 0x80) {
      varValue = result;
      return pos + i + 1;
    }
    scale *= 0x80;
  }
  return -1;
}

/**
 * Hash a stored props blob (value-codec's `writeProps` layout: a count, then name and value per
 * property). Each property's bytes (its name and its typed value) are hashed on their own and the
 * hashes summed, so the order does not matter. A blob that does not parse is hashed whole: it
 * then still matches only an identical blob, and a damaged row shows as a difference.
 */
export function hashProps(blob: Buffer): void {
  let a = 0;
  let b = 0;
  let pos = readUvar(blob, 0);
  const n = varValue;
  for (let i = 0; i < n && pos >= 0; i++) {
    const start = pos;
    pos = readUvar(blob, pos);
    if (pos < 0) break;
    pos = valueEnd(blob, pos + varValue);
    if (pos < 0) break;
    hashBytes(blob, start, pos, Seed.PROP);
    a = (a + hashA) | 0;
    b = (b + hashB) | 0;
  }
  if (pos < 0) {
    hashBytes(blob, 0, blob.length, ~Seed.PROP);
    propsA = hashA;
    propsB = hashB;
    propsCount = -1;
    return;
  }
  propsA = a >>> 0;
  propsB = b >>> 0;
  propsCount = n;
}
