// Pins the vid -> partition mapping to NebulaGraph's: MurmurHash64A as libstdc++'s std::hash computes it, and the 8-byte rule.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { murmurHash64A, partOf } from '../../../../src/engine/storage/partition-of.ts';

const MASK = (1n << 64n) - 1n;

/** A plain BigInt transcription of Appleby's MurmurHash64A, the reference for the fast version. */
function referenceMurmur(bytes: Uint8Array, seed = 0xc70f6907n): bigint {
  const m = 0xc6a4a7935bd1e995n;
  let h = (seed ^ (BigInt(bytes.length) * m)) & MASK;
  const blocks = bytes.length & ~7;
  for (let i = 0; i < blocks; i += 8) {
    let k = 0n;
    for (let j = 7; j >= 0; j--) k = (k << 8n) | BigInt(bytes[i + j]!);
    k = (k * m) & MASK;
    k ^= k >> 47n;
    k = (k * m) & MASK;
    h = ((h ^ k) * m) & MASK;
  }
  const rest = bytes.length & 7;
  if (rest > 0) {
    for (let j = rest - 1; j >= 0; j--) h ^= BigInt(bytes[blocks + j]!) << BigInt(8 * j);
    h = (h * m) & MASK;
  }
  h ^= h >> 47n;
  h = (h * m) & MASK;
  h ^= h >> 47n;
  return h;
}

/** Lines of `<hex bytes> <u64>` produced by fixtures/std-hash.cpp (g++ / libstdc++ std::hash<std::string>). */
const stdHashFixture = readFileSync(join(import.meta.dirname, 'fixtures', 'std-hash-murmur64a.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.includes(' '))
  .map((l) => {
    const [hex, hash] = l.split(' ');
    return { bytes: Buffer.from(hex!, 'hex'), hash: BigInt(hash!) };
  });

describe('murmurHash64A', () => {
  it('matches the values NebulaGraph documents for its hash() function', () => {
    // docs.nebula-graph.com.cn, "hash函数": YIELD hash("to_be_hashed"), YIELD hash(toLower("HELLO NEBULA")).
    expect(BigInt.asIntN(64, murmurHash64A(Buffer.from('to_be_hashed')))).toBe(-1098333533029391540n);
    expect(BigInt.asIntN(64, murmurHash64A(Buffer.from('hello nebula')))).toBe(-8481157362655072082n);
    expect(murmurHash64A(new Uint8Array(0))).toBe(6142509188972423790n);
  });

  it('matches libstdc++ std::hash<std::string> on hundreds of ASCII, CJK and emoji strings', () => {
    expect(stdHashFixture.length).toBeGreaterThan(400);
    for (const { bytes, hash } of stdHashFixture) expect(murmurHash64A(bytes)).toBe(hash);
  });

  it('equals a BigInt transcription of the algorithm on random bytes and seeds', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.integer({ min: 0, max: 0xffffffff }), (bytes, seed) => {
        expect(murmurHash64A(bytes, seed)).toBe(referenceMurmur(bytes, BigInt(seed)));
      }),
      { numRuns: 500 },
    );
  });
});

describe('partOf', () => {
  it('hashes string vids that are not 8 bytes long', () => {
    for (const { bytes, hash } of stdHashFixture) {
      if (bytes.length === 8) continue;
      const vid = bytes.toString('utf8');
      if (!Buffer.from(vid, 'utf8').equals(bytes)) continue;
      for (const n of [1, 3, 10, 15, 100, 1024]) expect(partOf(vid, n)).toBe(Number(hash % BigInt(n)) + 1);
    }
    expect(partOf('player100', 10)).toBe(Number(7289597605171850056n % 10n) + 1);
  });

  it('reads an 8-byte string vid as a little-endian u64 instead of hashing it', () => {
    const u64 = (s: string): bigint => Buffer.from(s, 'utf8').readBigUInt64LE(0);
    for (const vid of ['abcdefgh', 'player10', '\u00e9\u00e9\u00e9ab', '\u4f60\u597dxy']) {
      expect(Buffer.byteLength(vid)).toBe(8);
      for (const n of [7, 10, 100]) expect(partOf(vid, n)).toBe(Number(u64(vid) % BigInt(n)) + 1);
    }
    expect(partOf('abcdefgh', 100)).toBe(Number(0x6867666564636261n % 100n) + 1);
  });

  it('maps INT64 vids by their unsigned 64-bit value', () => {
    expect(partOf(0n, 10)).toBe(1);
    expect(partOf(1n, 10)).toBe(2);
    expect(partOf(109n, 100)).toBe(10);
    expect(partOf(-1n, 10)).toBe(Number(18446744073709551615n % 10n) + 1);
    expect(partOf(-(2n ** 63n), 7)).toBe(Number(2n ** 63n % 7n) + 1);
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.integer({ min: 1, max: 1024 }), (vid, n) => {
        expect(partOf(vid, n)).toBe(Number(BigInt.asUintN(64, vid) % BigInt(n)) + 1);
      }),
    );
  });

  it('always answers a partition in 1..numParts for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.integer({ min: 1, max: 1024 }), (vid, n) => {
        const bytes = Buffer.from(vid, 'utf8');
        const h = bytes.length === 8 ? bytes.readBigUInt64LE(0) : referenceMurmur(bytes);
        expect(partOf(vid, n)).toBe(Number(h % BigInt(n)) + 1);
      }),
    );
  });
});
