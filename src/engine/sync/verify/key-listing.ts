/**
 * VERIFY SYNC WITH KEYS: which rows differ. Both sides summed their rows per key bucket during CUT;
 * the buckets whose sums differ hold every differing key. The secondary picks whole buckets, up to
 * VERIFY_KEY_ROWS_MAX rows counting both sides, lists its rows in them, and says which buckets it
 * covered; the primary lists its own rows of the same buckets and compares key by key
 * (`diffKeys`). A key in neither list cannot differ, so a covered bucket's answer is exact.
 */
import type { SpaceReadView } from '../../storage/space-read-view.ts';
import { bucketOf, checksumHex, PartSums } from './part-sums.ts';
import { digest, keyText, type SchemaNames } from './row-digest.ts';
import { scanSpace, type PartPlacement } from './space-scan.ts';
import { VERIFY_KEY_BUCKETS, VERIFY_KEY_ROWS_MAX } from './verify-limits.ts';
import type { VerifyBucketsMsg } from './verify-wire.ts';

export interface BucketRef {
  readonly part: number;
  readonly bucket: number;
}

export interface KeyRow {
  readonly part: number;
  readonly bucket: number;
  readonly key: string;
  /** The row's hash, 16 hex digits. */
  readonly hash: string;
  readonly props: Buffer;
}

/** Rows counted in one bucket of `sums` bytes (count, lane A, lane B per bucket). */
const countIn = (bytes: Buffer, bucket: number): number => (bytes.length >= (bucket + 1) * 12 ? bytes.readUInt32LE(bucket * 12) : 0);

/**
 * The buckets to list: those where `mine` and the other side's `theirs` differ, in partition and
 * bucket order, whole, while both sides' rows in them stay within VERIFY_KEY_ROWS_MAX (at least one).
 */
export function chooseBuckets(mine: PartSums, theirs: readonly VerifyBucketsMsg[]): { buckets: BucketRef[]; complete: boolean } {
  const out: BucketRef[] = [];
  let rows = 0;
  const sorted = [...theirs].sort((x, y) => x.part - y.part);
  for (const t of sorted) {
    if (!(t.part >= 1 && t.part <= mine.partitions)) continue;
    const own = mine.bucketBytes(t.part);
    for (const bucket of mine.differingBuckets(t.part, t.sums)) {
      const size = countIn(own, bucket) + countIn(t.sums, bucket);
      if (out.length > 0 && rows + size > VERIFY_KEY_ROWS_MAX) return { buckets: out, complete: false };
      out.push({ part: t.part, bucket });
      rows += size;
    }
  }
  return { buckets: out, complete: true };
}

/** Every row of `view` that falls in one of `wanted`. */
export async function listKeys(
  view: SpaceReadView,
  tags: SchemaNames,
  edges: SchemaNames,
  placement: PartPlacement,
  partitions: number,
  wanted: readonly BucketRef[],
): Promise<KeyRow[]> {
  const want = new Set(wanted.map((w) => w.part * VERIFY_KEY_BUCKETS + w.bucket));
  const rows: KeyRow[] = [];
  if (want.size === 0) return rows;
  await scanSpace({
    view,
    tags,
    edges,
    placement,
    sums: new PartSums(partitions, false),
    onRow: (kind, part, row) => {
      const bucket = bucketOf(digest.keyA);
      if (!want.has(part * VERIFY_KEY_BUCKETS + bucket)) return;
      const blob = row[kind === 'TAG' ? 4 : 8] as Buffer;
      rows.push({ part, bucket, key: keyText(kind, row, kind === 'TAG' ? tags : edges), hash: checksumHex(digest.rowA, digest.rowB), props: Buffer.from(blob) });
    },
  });
  return rows;
}

export type Difference = 'missing on secondary' | 'only on secondary' | 'props differ';

export interface KeyDifference {
  readonly part: number;
  readonly key: string;
  readonly difference: Difference;
  readonly primary?: Buffer;
  readonly secondary?: Buffer;
}

/** Compare both sides' rows of the same buckets, key by key; sorted by partition and key. */
export function diffKeys(primary: readonly KeyRow[], secondary: readonly KeyRow[]): KeyDifference[] {
  const id = (r: KeyRow): string => `${r.part}\u0000${r.key}`;
  const theirs = new Map(secondary.map((r) => [id(r), r]));
  const out: KeyDifference[] = [];
  for (const p of primary) {
    const s = theirs.get(id(p));
    theirs.delete(id(p));
    if (s === undefined) out.push({ part: p.part, key: p.key, difference: 'missing on secondary', primary: p.props });
    else if (s.hash !== p.hash) out.push({ part: p.part, key: p.key, difference: 'props differ', primary: p.props, secondary: s.props });
  }
  for (const s of theirs.values()) out.push({ part: s.part, key: s.key, difference: 'only on secondary', secondary: s.props });
  return out.sort((x, y) => x.part - y.part || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}
