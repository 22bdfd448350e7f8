/**
 * Putting both sides' answers side by side: per partition (rows, checksums, match) and, with
 * keys, per differing key (which side has what). Props of differing rows are decoded here for
 * people to read; a blob that does not decode is shown as what it is.
 */
import { decodeProps } from '../../wal/value-codec.ts';
import { num } from '../wire.ts';
import type { KeyDifference } from './key-listing.ts';
import type { PartSums } from './part-sums.ts';
import type { SchemaDigest } from './schema-digest.ts';
import type { KeySide, VerifyKeyResult, VerifyPartResult } from './verify-types.ts';
import type { VerifyPartMsg, VerifySchemaMsg } from './verify-wire.ts';

export function compareParts(
  cuts: ReadonlyMap<number, number>,
  schemaLogId: number,
  schema: SchemaDigest,
  sums: PartSums,
  theirs: readonly VerifyPartMsg[],
): VerifyPartResult[] {
  const byPart = new Map(theirs.map((p) => [p.part, p]));
  const row = (part: number, logId: number, rows: number, checksum: string): VerifyPartResult => {
    const other = byPart.get(part);
    const otherRows = num(other?.rows);
    const otherChecksum = other?.checksum ?? '';
    return { part, logId, rows, primaryChecksum: checksum, secondaryChecksum: otherChecksum, match: other !== undefined && otherRows === rows && otherChecksum === checksum };
  };
  const out = [row(0, schemaLogId, schema.rows, schema.checksum)];
  for (let part = 1; part <= sums.partitions; part++) {
    const mine = sums.of(part);
    out.push(row(part, cuts.get(part) ?? 0, mine.rows, mine.checksum));
  }
  return out;
}

function sideOf(blob: Buffer | undefined): KeySide {
  if (blob === undefined) return undefined;
  try {
    return { props: decodeProps(blob) };
  } catch (cause) {
    return { text: `(undecodable props: ${(cause as Error).message})` };
  }
}

export function keyResults(differences: readonly KeyDifference[]): VerifyKeyResult[] {
  return differences.map((d) => ({ part: d.part, key: d.key, difference: d.difference, primary: sideOf(d.primary), secondary: sideOf(d.secondary) }));
}

/** Partition 0's differing schemas, by kind and name. */
export function schemaKeyResults(mine: SchemaDigest, theirs: readonly VerifySchemaMsg[]): VerifyKeyResult[] {
  const id = (kind: string, name: string): string => `${kind} ${name}`;
  const other = new Map(theirs.map((s) => [id(s.kind, s.name), s]));
  const out: VerifyKeyResult[] = [];
  for (const m of mine.entries) {
    const o = other.get(id(m.kind, m.name));
    other.delete(id(m.kind, m.name));
    if (o === undefined) out.push({ part: 0, key: id(m.kind, m.name), difference: 'missing on secondary', primary: { text: m.props }, secondary: undefined });
    else if (o.checksum !== m.checksum) out.push({ part: 0, key: id(m.kind, m.name), difference: 'props differ', primary: { text: m.props }, secondary: { text: o.props } });
  }
  for (const o of other.values()) out.push({ part: 0, key: id(o.kind, o.name), difference: 'only on secondary', primary: undefined, secondary: { text: o.props } });
  return out;
}
