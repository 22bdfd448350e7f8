/**
 * What one meta WAL entry changed in a space's tags and edges, as a full-image `SchemaChange`
 * computed from the catalog before and after the entry. Full images (not the ALTER's delta) make
 * the secondary's apply idempotent and independent of its own history. The primary computes them
 * (schema-change-log.ts), so the meta link carries nothing but these images.
 */
import { currentVersion, findSchema } from '../../../catalog/lookup.ts';
import type { Catalog, MetaEntry, SchemaKind, SpaceDesc } from '../../../catalog/types.ts';
import { encodeJson } from '../../meta/meta-codec.ts';
import type { SchemaChangeMsg, SourceSpaceMsg } from '../wire.ts';

/** Ops that can change a space's schemas; every other op changes none. */
const SCHEMA_OPS: ReadonlySet<string> = new Set(['createSchema', 'alterSchema', 'dropSchema', 'syncSchema', 'syncDropSchema']);

/** A change and the id of the space incarnation it was made in. */
export interface SpaceSchemaChange {
  readonly spaceId: number;
  readonly change: SchemaChangeMsg;
}

function spaceNamed(cat: Catalog, name: string): SpaceDesc | undefined {
  return Object.hasOwn(cat.spaces, name) ? cat.spaces[name] : undefined;
}

/** The schema change `entry` made (at most one), given the catalog before and after it. */
export function schemaChangeOf(before: Catalog, after: Catalog, entry: MetaEntry): SpaceSchemaChange | undefined {
  const op = entry.op;
  if (!SCHEMA_OPS.has(op.op) || !('space' in op) || !('kind' in op)) return undefined;
  const kind = op.kind as SchemaKind;
  const name = (op as { name: string }).name;
  const was = spaceNamed(before, op.space);
  const now = spaceNamed(after, op.space);
  const space = now ?? was;
  if (space === undefined) return undefined;
  const old = was === undefined ? undefined : findSchema(was, kind, name);
  const cur = now === undefined ? undefined : findSchema(now, kind, name);
  const base = { log_id: entry.logId, ts: entry.ts, kind, name };
  if (cur === undefined) {
    // Dropped (or never there): only a schema that existed is worth a change.
    if (old === undefined) return undefined;
    const dropped = { ...base, source_id: old.id, version: currentVersion(old).version, props_json: '', dropped: true, comment: '' };
    return { spaceId: space.id, change: dropped };
  }
  // The op changed nothing (a replayed CREATE of an existing name): nothing to ship.
  if (cur === old) return undefined;
  const version = currentVersion(cur);
  const change = {
    ...base,
    source_id: cur.id,
    version: version.version,
    props_json: encodeJson(version.props),
    dropped: false,
    comment: version.comment ?? '',
  };
  return { spaceId: space.id, change };
}

/** The changes `entry` made to `source`'s space incarnation (same name and id). */
export function schemaChangesOf(before: Catalog, after: Catalog, entry: MetaEntry, source: SourceSpaceMsg): SchemaChangeMsg[] {
  const found = schemaChangeOf(before, after, entry);
  if (found === undefined || found.spaceId !== source.space_id) return [];
  return 'space' in entry.op && entry.op.space === source.space_name ? [found.change] : [];
}
