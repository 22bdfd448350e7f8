/**
 * Stored rows turned into the values statements yield: a VertexV with named tags, an EdgeV with
 * its name and direction. Rows are read through the current schema version (schema-scope.ts).
 */
import { currentVersion } from '../../catalog/lookup.ts';
import type { SchemaDesc, SpaceDesc } from '../../catalog/types.ts';
import type { EdgeRow, SpaceStore, TagRow, Vid } from '../../engine/storage/types.ts';
import type { EdgeV, TagV, Value, VertexV } from '../../value/types.ts';
import { readProps } from './schema-scope.ts';

/** Schemas by id, to name stored rows. */
export function schemasById(space: SpaceDesc): Map<number, SchemaDesc> {
  const out = new Map<number, SchemaDesc>();
  for (const s of Object.values(space.tags)) out.set(s.id, s);
  for (const s of Object.values(space.edges)) out.set(s.id, s);
  return out;
}

export function tagValue(row: TagRow, schema: SchemaDesc): TagV {
  return { name: schema.name, props: readProps(row.props, currentVersion(schema)) };
}

export function vertexValue(vid: Vid, tags: readonly TagV[]): VertexV {
  return { kind: 'vertex', vid, tags };
}

/** The vertex with every tag it has (tags dropped from the schema are left out). */
export function loadVertex(store: SpaceStore, vid: Vid, byId: ReadonlyMap<number, SchemaDesc>): VertexV {
  const tags: TagV[] = [];
  for (const row of store.getTags(vid)) {
    const schema = byId.get(row.tagId);
    if (schema !== undefined && schema.kind === 'TAG') tags.push(tagValue(row, schema));
  }
  tags.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return vertexValue(vid, tags);
}

/** An edge as stored (direction 1) or as walked against its direction (-1: src and dst swap). */
export function edgeValue(row: EdgeRow, schema: SchemaDesc, direction: 1 | -1): EdgeV {
  const props: ReadonlyMap<string, Value> = readProps(row.props, currentVersion(schema));
  return direction === 1
    ? { kind: 'edge', src: row.src, dst: row.dst, direction, name: schema.name, ranking: row.rank, props }
    : { kind: 'edge', src: row.dst, dst: row.src, direction, name: schema.name, ranking: row.rank, props };
}
