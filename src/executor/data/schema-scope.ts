/**
 * Catalog questions the data executors share: resolve a tag or edge by name with NebulaGraph's
 * not-found errors, read a stored row through the current schema version, and build the scopes
 * that expression validation checks names against.
 */
import { currentVersion, findSchema } from '../../catalog/lookup.ts';
import type { SchemaDesc, SchemaVersion, SpaceDesc } from '../../catalog/types.ts';
import type { Props, SpaceStore } from '../../engine/storage/types.ts';
import { Errors, fail, ok, type Result } from '../../errors.ts';
import type { Value } from '../../value/types.ts';
import type { ExecContext } from '../types.ts';
import type { LabelSchema } from '../expr/validate.ts';

export function resolveTag(space: SpaceDesc, name: string): Result<SchemaDesc> {
  const schema = findSchema(space, 'TAG', name);
  return schema ? ok(schema) : fail(Errors.tagNotFound(name));
}

export function resolveEdge(space: SpaceDesc, name: string): Result<SchemaDesc> {
  const schema = findSchema(space, 'EDGE', name);
  return schema ? ok(schema) : fail(Errors.edgeNotFound(name));
}

/** Every schema of one kind, by name order. */
export function allSchemas(schemas: Readonly<Record<string, SchemaDesc>>): readonly SchemaDesc[] {
  return Object.values(schemas).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function propNames(version: SchemaVersion): ReadonlySet<string> {
  return new Set(version.props.map((p) => p.name));
}

export function labelOf(schema: SchemaDesc): LabelSchema {
  return { props: propNames(currentVersion(schema)), isEdge: schema.kind === 'EDGE' };
}

/** `$^.tag.prop` / `$$.tag.prop` may name any tag of the space. */
export function vertexTagsOf(space: SpaceDesc): ReadonlyMap<string, ReadonlySet<string>> {
  return new Map(Object.values(space.tags).map((t) => [t.name, propNames(currentVersion(t))]));
}

/**
 * A stored row as the current schema sees it: props the row was written without (added by a
 * later ALTER) read as their default or NULL, props dropped since are not shown.
 */
export function readProps(stored: Props, version: SchemaVersion): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const prop of version.props) {
    const v = Object.hasOwn(stored, prop.name) ? stored[prop.name] : undefined;
    out.set(prop.name, v !== undefined ? v : (prop.defaultValue ?? null));
  }
  return out;
}

/** The space's store; opened here when this process has not opened it yet. */
export function spaceStore(ctx: ExecContext, space: SpaceDesc): SpaceStore {
  return ctx.storage.space(space.id) ?? ctx.storage.openSpace(space.id, space.partitionNum, space.vidType.kind);
}
