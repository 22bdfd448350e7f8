/**
 * From a raw row of a space read view (space-read-view.ts) to its key hash and row hash, the same
 * on both clusters: the canonical row is (kind, vid, schema NAME, props by name with typed values)
 * for a tag and (kind, src, edge NAME, rank, dst, props) for an edge. Schema ids differ between
 * clusters, so each side maps its own ids to the names' hashes (`SchemaNames`) once per scan.
 *
 * Rows whose schema id the catalog no longer knows (a dropped tag's leftovers) are invisible to
 * queries on either side and are skipped.
 */
import type { SchemaDesc } from '../../../catalog/types.ts';
import { begin, end, hashA, hashB, hashBytes, hashProps, hashUtf8, propsA, propsB, propsCount, Seed, word } from './row-hash.ts';

/** Name hashes by schema id (index = id). */
export interface SchemaNames {
  readonly known: Uint8Array;
  readonly a: Uint32Array;
  readonly b: Uint32Array;
  /** id -> name, for listing keys. */
  readonly names: ReadonlyMap<number, string>;
}

export function schemaNames(schemas: Readonly<Record<string, SchemaDesc>>): SchemaNames {
  const all = Object.values(schemas);
  const size = Math.max(0, ...all.map((s) => s.id)) + 1;
  const out = { known: new Uint8Array(size), a: new Uint32Array(size), b: new Uint32Array(size), names: new Map<number, string>() };
  for (const s of all) {
    const bytes = Buffer.from(s.name, 'utf8');
    hashBytes(bytes, 0, bytes.length, Seed.NAME);
    out.known[s.id] = 1;
    out.a[s.id] = hashA;
    out.b[s.id] = hashB;
    out.names.set(s.id, s.name);
  }
  return out;
}

/** Registers of the last digest: the key's hash and the row's hash. */
export const digest = { keyA: 0, keyB: 0, rowA: 0, rowB: 0 };

/** Hash of a vid given as (a, b) of a read view row, left in `vidA` / `vidB`. */
let vidA = 0;
let vidB = 0;
function hashVid(a: unknown, b: unknown): void {
  if (typeof a === 'number') {
    begin(Seed.VID);
    word(b as number);
    word(a);
    end();
  } else {
    hashUtf8(a as string, Seed.VID);
  }
  vidA = hashA;
  vidB = hashB;
}

function finishRow(props: Buffer): void {
  digest.keyA = hashA;
  digest.keyB = hashB;
  hashProps(props);
  begin(Seed.TAG ^ Seed.EDGE);
  word(digest.keyA);
  word(digest.keyB);
  word(propsA);
  word(propsB);
  word(propsCount);
  end();
  digest.rowA = hashA;
  digest.rowB = hashB;
}

/** A tag row `[part, vidA, vidB, tagId, props]`; false when its tag is unknown (skipped). */
export function digestTag(row: readonly unknown[], tags: SchemaNames): boolean {
  const id = row[3] as number;
  if (id >= tags.known.length || tags.known[id] === 0) return false;
  hashVid(row[1], row[2]);
  begin(Seed.TAG);
  word(vidA);
  word(vidB);
  word(tags.a[id]!);
  word(tags.b[id]!);
  end();
  finishRow(row[4] as Buffer);
  return true;
}

/** An edge row `[part, srcA, srcB, etype, rankHi, rankLo, dstA, dstB, props]`; false when its type is unknown. */
export function digestEdge(row: readonly unknown[], edges: SchemaNames): boolean {
  const id = row[3] as number;
  if (id >= edges.known.length || edges.known[id] === 0) return false;
  hashVid(row[6], row[7]);
  const dstA = vidA;
  const dstB = vidB;
  hashVid(row[1], row[2]);
  begin(Seed.EDGE);
  word(vidA);
  word(vidB);
  word(edges.a[id]!);
  word(edges.b[id]!);
  word(row[4] as number);
  word(row[5] as number);
  word(dstA);
  word(dstB);
  end();
  finishRow(row[8] as Buffer);
  return true;
}

/** A vid of a read view row as text: the string itself, or the INT64's digits. */
export function vidText(a: unknown, b: unknown): string {
  if (typeof a !== 'number') return a as string;
  return BigInt.asIntN(64, (BigInt(a) << 32n) | BigInt((b as number) >>> 0)).toString();
}

/** How VERIFY SYNC WITH KEYS names a row: `vid/tag` or `src->dst@rank/edge`. */
export function keyText(kind: 'TAG' | 'EDGE', row: readonly unknown[], names: SchemaNames): string {
  const name = names.names.get(row[3] as number) ?? `#${String(row[3])}`;
  if (kind === 'TAG') return `${vidText(row[1], row[2])}/${name}`;
  const rank = BigInt.asIntN(64, (BigInt(row[4] as number) << 32n) | BigInt((row[5] as number) >>> 0));
  return `${vidText(row[1], row[2])}->${vidText(row[6], row[7])}@${rank}/${name}`;
}
