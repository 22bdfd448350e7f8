/**
 * MurmurHash64A with libstdc++'s seed: what `std::hash<std::string>` computes on 64-bit Linux, and
 * so what NebulaGraph's `hash("...")` answers (protocol.md section 7). Written here rather than
 * imported from the storage engine so that expressions do not depend on engine internals.
 */
const MASK = (1n << 64n) - 1n;
const MUL = 0xc6a4a7935bd1e995n;
const SEED = 0xc70f6907n;

const shiftMix = (v: bigint): bigint => v ^ (v >> 47n);

/** Unsigned 64-bit MurmurHash64A of `bytes` (libstdc++ `_Hash_bytes`). */
export function murmurHash64A(bytes: Uint8Array, seed: bigint = SEED): bigint {
  const len = bytes.length;
  const aligned = len & ~7;
  let hash = (seed ^ ((BigInt(len) * MUL) & MASK)) & MASK;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let p = 0; p < aligned; p += 8) {
    const data = (shiftMix((view.getBigUint64(p, true) * MUL) & MASK) * MUL) & MASK;
    hash = ((hash ^ data) * MUL) & MASK;
  }
  const rest = len & 7;
  if (rest !== 0) {
    let data = 0n;
    for (let i = rest - 1; i >= 0; i--) data = (data << 8n) | BigInt(bytes[aligned + i] ?? 0);
    hash = ((hash ^ data) * MUL) & MASK;
  }
  hash = (shiftMix(hash) * MUL) & MASK;
  return shiftMix(hash);
}

const encoder = new TextEncoder();

/** NebulaGraph's `hash(string)`: the 64-bit hash read as a signed int64. */
export function hashString(s: string): bigint {
  return BigInt.asIntN(64, murmurHash64A(encoder.encode(s)));
}
