/**
 * What one meta WAL entry changed in the synced space's tags and edges, as full-image
 * `SchemaChange`s computed from the shadow catalog before and after the entry. Full images (not
 * the ALTER's delta) make the secondary's apply idempotent and independent of its own history.
 */
import { currentVersion, findSchema } from '../../../catalog/lookup.ts';
import type { Catalog, MetaEntry, SchemaKind, SpaceDesc } from '../../../catalog/types.ts';
import { encodeJson } from '../../meta/meta-codec.ts';
import type { SchemaChangeMsg, SourceSpaceMsg } from '../wire.ts';

/** Ops that can change a space's schemas; every other op is skipped (but still covered). */
const SCHEMA_OPS: ReadonlySet<string> = new Set(['createSchema', 'alterSchema', 'dropSchema', 'syncSchema', 'syncDropSchema']);

/** The synced incarnation of the space: same name and the id the assignment names. */
function syncedSpace(cat: Catalog, source: SourceSpaceMsg): SpaceDesc | undefined {
  const space = Object.hasOwn(cat.spaces, source.space_name) ? cat.spaces[source.space_name] : undefined;
  return space !== undefined && space.id === source.space_id ? space : undefined;
}

/** The schema changes `entry` made to `source`'s space, given the catalog before and after it. */
export function schemaChangesOf(before: Catalog, after: Catalog, entry: MetaEntry, source: SourceSpaceMsg): SchemaChangeMsg[] {
  const op = entry.op;
  if (!SCHEMA_OPS.has(op.op) || !('space' in op) || op.space !== source.space_name || !('kind' in op)) return [];
  const kind = op.kind as SchemaKind;
  const name = (op as { name: string }).name;
  const was = syncedSpace(before, source);
  const now = syncedSpace(after, source);
  const old = was === undefined ? undefined : findSchema(was, kind, name);
  const cur = now === undefined ? undefined : findSchema(now, kind, name);
  const base = { log_id: entry.logId, ts: entry.ts, kind, name };
  if (cur === undefined) {
    // Dropped (or never there): only a schema that existed in the synced space is worth a change.
    if (old === undefined) return [];
    return [{ ...base, source_id: old.id, version: currentVersion(old).version, props_json: '', dropped: true, comment: '' }];
  }
  // The op changed nothing (a replayed CREATE of an existing name): nothing to ship.
  if (cur === old) return [];
  const version = currentVersion(cur);
  return [
    {
      ...base,
      source_id: cur.id,
      version: version.version,
      props_json: encodeJson(version.props),
      dropped: false,
      comment: version.comment ?? '',
    },
  ];
}
