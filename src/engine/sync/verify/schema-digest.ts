/**
 * Partition 0 of VERIFY SYNC: the synced space's tags and edge types as one row set. A schema's
 * canonical text is its kind, name, comment and current properties (name, type, nullability,
 * default as written, comment), in declaration order; ids and version numbers are left out because
 * a secondary numbers its schemas itself.
 */
import type { SchemaDesc, SpaceDesc } from '../../../catalog/types.ts';
import { checksumHex, type PartChecksum } from './part-sums.ts';
import { hashA, hashB, hashBytes, Seed } from './row-hash.ts';

/** One schema's hash, for listing which schemas differ. */
export interface SchemaEntryDigest {
  readonly kind: 'TAG' | 'EDGE';
  readonly name: string;
  readonly checksum: string;
  /** The properties as text, for people. */
  readonly props: string;
}

export interface SchemaDigest extends PartChecksum {
  readonly entries: readonly SchemaEntryDigest[];
}

function propsText(schema: SchemaDesc): string {
  const current = schema.versions[schema.versions.length - 1];
  return (current?.props ?? [])
    .map((p) => {
      const type = p.type.length === undefined ? p.type.name : `${p.type.name}(${p.type.length})`;
      const nullable = p.nullable ? '' : ' NOT NULL';
      const dflt = p.defaultText === undefined ? '' : ` DEFAULT ${p.defaultText}`;
      const comment = p.comment === undefined || p.comment === '' ? '' : ` COMMENT ${JSON.stringify(p.comment)}`;
      return `${p.name} ${type}${nullable}${dflt}${comment}`;
    })
    .join(', ');
}

function canonical(schema: SchemaDesc, props: string): string {
  const current = schema.versions[schema.versions.length - 1];
  return [schema.kind, schema.name, current?.comment ?? '', props].join('\u0000');
}

export function schemaDigest(space: SpaceDesc | undefined): SchemaDigest {
  const schemas = space === undefined ? [] : [...Object.values(space.tags), ...Object.values(space.edges)];
  let a = 0;
  let b = 0;
  const entries: SchemaEntryDigest[] = [];
  for (const schema of schemas) {
    const props = propsText(schema);
    const bytes = Buffer.from(canonical(schema, props), 'utf8');
    hashBytes(bytes, 0, bytes.length, Seed.SCHEMA);
    a = (a + hashA) | 0;
    b = (b + hashB) | 0;
    entries.push({ kind: schema.kind, name: schema.name, checksum: checksumHex(hashA, hashB), props });
  }
  entries.sort((x, y) => (x.kind + x.name < y.kind + y.name ? -1 : 1));
  return { rows: entries.length, checksum: checksumHex(a, b), entries };
}
