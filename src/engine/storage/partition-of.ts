/**
 * NebulaGraph's vertex id -> partition mapping (protocol.md section 7).
 *
 * A vid is turned into bytes (an INT64 vid: its 8 little-endian bytes; a string vid: its UTF-8
 * bytes). Exactly 8 bytes are read as a little-endian u64; anything else is hashed with
 * MurmurHash64A and seed 0xc70f6907, which is what libstdc++'s `std::hash<std::string>` computes on
 * 64-bit targets and what NebulaGraph's `MurmurHash2` wraps. The partition is `h mod numParts + 1`
 * in unsigned 64-bit arithmetic.
 *
 * Every written op goes through here, so the hash works on 32-bit halves with `Math.imul` instead
 * of BigInt: a 500-row INSERT must not spend its CPU budget allocating BigInts.
 */
import { strict as assert } from 'node:assert';
import type { Vid } from './types.ts';

/** libstdc++'s seed for `std::hash<std::string>` (`_Hash_bytes(p, n, 0xc70f6907)`). */
export const STD_HASH_SEED = 0xc70f6907;

// m = 0xc6a4a7935bd1e995 as two 32-bit halves.
const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;

/** Result registers of `mul64`; module-level so the hot loop allocates nothing. */
let rHi = 0;
let rLo = 0;

/** (aHi:aLo * bHi:bLo) mod 2^64 into rHi:rLo. */
function mul64(aHi: number, aLo: number, bHi: number, bLo: number): void {
  const a0 = aLo & 0xffff;
  const a1 = aLo >>> 16;
  const b0 = bLo & 0xffff;
  const b1 = bLo >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  rLo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  const carry = p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  rHi = (carry + Math.imul(aHi, bLo) + Math.imul(aLo, bHi)) >>> 0;
}

/** x ^= x >>> 47 on a 64-bit value held as halves: only the top 17 bits move into the low half. */
function shiftMix47(hi: number, lo: number): void {
  rHi = hi;
  rLo = (lo ^ (hi >>> 15)) >>> 0;
}

/** Hash registers of the last `murmurRaw` call. */
let hHi = 0;
let hLo = 0;

function murmurRaw(bytes: Uint8Array, seed: number): void {
  const len = bytes.length;
  // h = seed ^ (len * m); seed is a 32-bit value zero-extended to 64 bits.
  mul64(0, len, M_HI, M_LO);
  hHi = rHi;
  hLo = (rLo ^ seed) >>> 0;
  const blocks = len & ~7;
  let i = 0;
  for (; i < blocks; i += 8) {
    const kLo = (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0;
    const kHi = (bytes[i + 4]! | (bytes[i + 5]! << 8) | (bytes[i + 6]! << 16) | (bytes[i + 7]! << 24)) >>> 0;
    mul64(kHi, kLo, M_HI, M_LO);
    shiftMix47(rHi, rLo);
    mul64(rHi, rLo, M_HI, M_LO);
    mul64((hHi ^ rHi) >>> 0, (hLo ^ rLo) >>> 0, M_HI, M_LO);
    hHi = rHi;
    hLo = rLo;
  }
  const rest = len & 7;
  if (rest !== 0) {
    let tLo = 0;
    let tHi = 0;
    for (let j = rest - 1; j >= 0; j--) {
      const b = bytes[i + j]!;
      if (j >= 4) tHi |= b << ((j - 4) * 8);
      else tLo |= b << (j * 8);
    }
    mul64((hHi ^ tHi) >>> 0, (hLo ^ tLo) >>> 0, M_HI, M_LO);
    hHi = rHi;
    hLo = rLo;
  }
  shiftMix47(hHi, hLo);
  mul64(rHi, rLo, M_HI, M_LO);
  shiftMix47(rHi, rLo);
  hHi = rHi;
  hLo = rLo;
}

/**
 * MurmurHash64A (Austin Appleby's 64-bit MurmurHash2) of `bytes`, as an unsigned 64-bit bigint.
 * @example murmurHash64A(new Uint8Array(0)) === 6142509188972423790n // std::hash<std::string>{}("")
 */
export function murmurHash64A(bytes: Uint8Array, seed: number = STD_HASH_SEED): bigint {
  murmurRaw(bytes, seed >>> 0);
  return (BigInt(hHi) << 32n) | BigInt(hLo);
}

/** (hi * 2^32 + lo) mod n for n < 2^21, exactly, in doubles. */
function mod64(hi: number, lo: number, n: number): number {
  return (((hi % n) * (0x100000000 % n)) % n + (lo % n)) % n;
}

/** Scratch buffer for ASCII vids, which need no UTF-8 encoder. */
let scratch = new Uint8Array(64);

/** The UTF-8 bytes of `s`, in a shared scratch buffer when `s` is ASCII (the common case). */
function utf8Of(s: string): Uint8Array {
  const n = s.length;
  if (n > scratch.length) scratch = new Uint8Array(Math.max(n, scratch.length * 2));
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return Buffer.from(s, 'utf8');
    scratch[i] = c;
  }
  return scratch.subarray(0, n);
}

/** NebulaGraph's partition of a string vid: 1..numParts. */
export function partOfString(vid: string, numParts: number): number {
  const bytes = utf8Of(vid);
  if (bytes.length === 8) {
    const lo = (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0;
    const hi = (bytes[4]! | (bytes[5]! << 8) | (bytes[6]! << 16) | (bytes[7]! << 24)) >>> 0;
    return mod64(hi, lo, numParts) + 1;
  }
  murmurRaw(bytes, STD_HASH_SEED);
  return mod64(hHi, hLo, numParts) + 1;
}

/** NebulaGraph's partition of an INT64 vid: its 8 little-endian bytes read as a u64. */
export function partOfInt(vid: bigint, numParts: number): number {
  if (vid >= 0n && vid <= 0x1fffffffffffffn) return (Number(vid) % numParts) + 1;
  return Number(BigInt.asUintN(64, vid) % BigInt(numParts)) + 1;
}

/**
 * The partition (1-based) that holds `vid` in a space of `numParts` partitions.
 * @example partOf('player100', 10) // a number in 1..10, the same as NebulaGraph's
 */
export function partOf(vid: Vid, numParts: number): number {
  return typeof vid === 'string' ? partOfString(vid, numParts) : partOfInt(vid, numParts);
}

/** `partOf` for one space: checks that each vid has the space's vid type. */
export function partitionerOf(vidType: 'INT64' | 'FIXED_STRING', numParts: number): (vid: Vid) => number {
  return vidType === 'INT64'
    ? (vid) => (typeof vid === 'bigint' ? partOfInt(vid, numParts) : assert.fail(`vid ${String(vid)} is not an INT64`))
    : (vid) => (typeof vid === 'string' ? partOfString(vid, numParts) : assert.fail(`vid ${vid} is not a string`));
}
