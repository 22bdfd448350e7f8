/**
 * Per-partition checksums of VERIFY SYNC: a row count and the sum of the rows' 64-bit hashes (two
 * 32-bit lanes, each summed mod 2^32). A sum needs no sorting and no memory per row, and it does
 * not care in which order, or in which of its own partitions, a side stored its rows.
 *
 * With `buckets`, each partition's rows are also summed per key bucket (the low bits of the key's
 * hash, so the same key falls in the same bucket on both sides): comparing buckets narrows a
 * difference down to a few buckets, whose rows are then listed (VERIFY SYNC WITH KEYS).
 */
import { VERIFY_KEY_BUCKETS } from './verify-limits.ts';

const BUCKET_MASK = VERIFY_KEY_BUCKETS - 1;

/** One partition's result as it travels: count and checksum as 16 hex digits. */
export interface PartChecksum {
  readonly rows: number;
  readonly checksum: string;
}

export function checksumHex(a: number, b: number): string {
  return (b >>> 0).toString(16).padStart(8, '0') + (a >>> 0).toString(16).padStart(8, '0');
}

export class PartSums {
  readonly count: Float64Array;
  readonly sumA: Uint32Array;
  readonly sumB: Uint32Array;
  /** Per (part, bucket): count, lane A, lane B; index part * VERIFY_KEY_BUCKETS + bucket. */
  readonly buckets: { readonly count: Uint32Array; readonly a: Uint32Array; readonly b: Uint32Array } | undefined;

  /** Partitions 1..`partitions` (slot 0 unused). */
  constructor(
    readonly partitions: number,
    withBuckets: boolean,
  ) {
    this.count = new Float64Array(partitions + 1);
    this.sumA = new Uint32Array(partitions + 1);
    this.sumB = new Uint32Array(partitions + 1);
    const cells = (partitions + 1) * VERIFY_KEY_BUCKETS;
    this.buckets = withBuckets ? { count: new Uint32Array(cells), a: new Uint32Array(cells), b: new Uint32Array(cells) } : undefined;
  }

  /** Add a row of `part` whose key hashes to `keyA` and whose row hash is (a, b). */
  add(part: number, keyA: number, a: number, b: number): void {
    this.count[part]!++;
    this.sumA[part] = this.sumA[part]! + a;
    this.sumB[part] = this.sumB[part]! + b;
    const k = this.buckets;
    if (k === undefined) return;
    const i = part * VERIFY_KEY_BUCKETS + (keyA & BUCKET_MASK);
    k.count[i]!++;
    k.a[i] = k.a[i]! + a;
    k.b[i] = k.b[i]! + b;
  }

  of(part: number): PartChecksum {
    return { rows: this.count[part]!, checksum: checksumHex(this.sumA[part]!, this.sumB[part]!) };
  }

  /** One partition's buckets as bytes (count, lane A, lane B per bucket, little-endian u32). */
  bucketBytes(part: number): Buffer {
    const k = this.buckets;
    if (k === undefined) throw new Error('these sums were made without buckets');
    const out = Buffer.alloc(VERIFY_KEY_BUCKETS * 12);
    const base = part * VERIFY_KEY_BUCKETS;
    for (let i = 0; i < VERIFY_KEY_BUCKETS; i++) {
      out.writeUInt32LE(k.count[base + i]!, i * 12);
      out.writeUInt32LE(k.a[base + i]!, i * 12 + 4);
      out.writeUInt32LE(k.b[base + i]!, i * 12 + 8);
    }
    return out;
  }

  /** The buckets of `part` that differ from `other` (bytes from `bucketBytes` of the other side). */
  differingBuckets(part: number, other: Buffer): number[] {
    const mine = this.bucketBytes(part);
    if (other.length !== mine.length) return Array.from({ length: VERIFY_KEY_BUCKETS }, (_, i) => i);
    const out: number[] = [];
    for (let i = 0; i < VERIFY_KEY_BUCKETS; i++) {
      if (mine.compare(other, i * 12, i * 12 + 12, i * 12, i * 12 + 12) !== 0) out.push(i);
    }
    return out;
  }
}

/** The key bucket a key hash falls in. */
export function bucketOf(keyA: number): number {
  return keyA & BUCKET_MASK;
}
