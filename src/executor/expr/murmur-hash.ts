/**
 * NebulaGraph's `hash("...")`: libstdc++'s `std::hash<std::string>` (MurmurHash64A, the same function
 * that places a vid in its partition, protocol.md section 7), read as a signed int64.
 */
import { murmurHash64A } from '../../engine/storage/partition-of.ts';

const encoder = new TextEncoder();

export function hashString(s: string): bigint {
  return BigInt.asIntN(64, murmurHash64A(encoder.encode(s)));
}
