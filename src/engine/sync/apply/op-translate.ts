/**
 * Source data ops -> target data ops. A source names schemas by its own tag ids and edge types;
 * the target knows them by `SchemaDesc.sourceId` (set by `syncSchema`). An op for a schema the
 * source dropped is skipped (late data of a dropped tag); an op for a schema, or a schema version,
 * the target does not have yet makes the whole batch wait (E_SCHEMA_PENDING: schema first, FAQ).
 * Vids must fit the target's vid type, or the batch is illegal.
 */
import type { SchemaDesc, SpaceDesc } from '../../../catalog/types.ts';
import type { DataOp, Vid } from '../../storage/types.ts';
import { withSchemaId } from '../../wal/wal-codec.ts';

export type Translation =
  | { readonly kind: 'ok' }
  | { readonly kind: 'pending'; readonly reason: string }
  | { readonly kind: 'illegal'; readonly reason: string };

const OK: Translation = { kind: 'ok' };

/** The target's schemas by source id, one map per kind, built once per request. */
export interface SchemaMap {
  readonly tags: ReadonlyMap<number, SchemaDesc>;
  readonly edges: ReadonlyMap<number, SchemaDesc>;
  readonly dropped: ReadonlySet<number>;
  readonly space: SpaceDesc;
}

export function schemaMapOf(space: SpaceDesc): SchemaMap {
  const bySource = (schemas: Readonly<Record<string, SchemaDesc>>) => {
    const map = new Map<number, SchemaDesc>();
    for (const schema of Object.values(schemas)) if (schema.sourceId !== undefined) map.set(schema.sourceId, schema);
    return map;
  };
  return { tags: bySource(space.tags), edges: bySource(space.edges), dropped: new Set(space.droppedSourceIds ?? []), space };
}

/** Whether `vid` can be stored in the target space (INT64, or FIXED_STRING(N) in UTF-8 bytes). */
export function vidFits(vid: Vid, space: SpaceDesc): boolean {
  const type = space.vidType;
  if (type.kind === 'INT64') return typeof vid === 'bigint';
  if (typeof vid !== 'string') return false;
  return vid.length <= type.length && (vid.length * 3 <= type.length || Buffer.byteLength(vid, 'utf8') <= type.length);
}

function currentVersion(schema: SchemaDesc): number {
  return schema.versions[schema.versions.length - 1]!.version;
}

type Lookup = { readonly schema: SchemaDesc } | { readonly skip: true } | { readonly problem: Translation };

function lookup(map: SchemaMap, kind: 'tag' | 'edge', sourceId: number, ver: number | undefined): Lookup {
  const schema = (kind === 'tag' ? map.tags : map.edges).get(sourceId);
  if (schema === undefined) {
    if (map.dropped.has(sourceId)) return { skip: true };
    return { problem: { kind: 'pending', reason: `source ${kind} ${sourceId} has no schema on the target yet` } };
  }
  if (ver !== undefined && currentVersion(schema) < ver) {
    return {
      problem: { kind: 'pending', reason: `source ${kind} ${sourceId} version ${ver} is newer than the target's ${currentVersion(schema)}` },
    };
  }
  return { schema };
}

const badVid = (vid: Vid, space: SpaceDesc): Translation => ({
  kind: 'illegal',
  reason: `vid ${typeof vid === 'string' ? JSON.stringify(vid) : String(vid)} does not fit the vid type of space \`${space.name}'`,
});

/**
 * Append the target form of `ops` to `out`. On anything but `ok`, what was appended must be
 * discarded by the caller: a batch applies whole or not at all.
 */
export function translateOps(map: SchemaMap, ops: readonly DataOp[], out: DataOp[]): Translation {
  const space = map.space;
  for (const op of ops) {
    switch (op.op) {
      case 'deleteVertex':
        if (!vidFits(op.vid, space)) return badVid(op.vid, space);
        out.push(op);
        break;
      case 'putTag':
      case 'deleteTag': {
        if (!vidFits(op.vid, space)) return badVid(op.vid, space);
        const found = lookup(map, 'tag', op.tagId, op.op === 'putTag' ? op.ver : undefined);
        if ('problem' in found) return found.problem;
        if ('skip' in found) break;
        out.push(withSchemaId(op, found.schema.id));
        break;
      }
      case 'putEdge':
      case 'deleteEdge': {
        if (!vidFits(op.src, space)) return badVid(op.src, space);
        if (!vidFits(op.dst, space)) return badVid(op.dst, space);
        const found = lookup(map, 'edge', op.etype, op.op === 'putEdge' ? op.ver : undefined);
        if ('problem' in found) return found.problem;
        if ('skip' in found) break;
        out.push(withSchemaId(op, found.schema.id));
        break;
      }
    }
  }
  return OK;
}
