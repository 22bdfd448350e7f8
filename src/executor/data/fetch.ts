/**
 * FETCH PROP ON t1, t2 | * vid, ... YIELD ... and FETCH PROP ON e src -> dst[@rank], ... YIELD ...
 *
 * NebulaGraph 3.x requires YIELD. A vertex carries only the tags the statement asked for, so
 * `properties(vertex)` of a one-tag FETCH is exactly that tag's props; vertices with none of the
 * tags, and edges that do not exist, give no row.
 */
import type { SchemaDesc } from '../../catalog/types.ts';
import { Errors, fail, ok, type Result } from '../../errors.ts';
import type { StatementOf } from '../../parser/ast.ts';
import type { TagV } from '../../value/types.ts';
import { validateAll } from '../expr/validate.ts';
import type { ExecContext, ExecOutput } from '../types.ts';
import { readableSpace } from '../space-guard.ts';
import { edgeValue, tagValue, vertexValue } from './entities.ts';
import { Projector } from './projection.ts';
import { allSchemas, labelOf, resolveEdge, resolveTag, spaceStore } from './schema-scope.ts';
import { rankOf, vidOf, vidsOf } from './vid.ts';

export function fetchVertices(stmt: StatementOf<'FetchVertices'>, ctx: ExecContext): Result<ExecOutput> {
  const spaceR = readableSpace(ctx);
  if (!spaceR.ok) return spaceR;
  const space = spaceR.value;
  if (stmt.yield === undefined) return fail(Errors.missingYield());
  let tags: SchemaDesc[];
  if (stmt.tags === '*') tags = [...allSchemas(space.tags)];
  else {
    tags = [];
    for (const name of stmt.tags) {
      const tag = resolveTag(space, name);
      if (!tag.ok) return tag;
      tags.push(tag.value);
    }
  }
  const scope = { labels: new Map(tags.map((t) => [t.name, labelOf(t)])), entities: new Set(['vertex'] as const) };
  const bad = validateAll(stmt.yield.columns.map((c) => c.expr), scope);
  if (bad) return fail(bad);
  const vids = vidsOf(stmt.vids, space);
  if (!vids.ok) return vids;

  const store = spaceStore(ctx, space);
  const projector = new Projector(stmt.yield);
  const nowMs = ctx.now();
  // One read transaction for all the vids (SpaceStore.reading).
  return store.reading(() => {
    for (const vid of vids.value) {
      const found: TagV[] = [];
      for (const tag of tags) {
        const row = store.getTag(vid, tag.id);
        if (row !== undefined) found.push(tagValue(row, tag));
      }
      if (found.length === 0) continue;
      const error = projector.add({ vertex: vertexValue(vid, found), nowMs });
      if (error) return fail(error);
    }
    return ok(projector.result());
  });
}

export function fetchEdges(stmt: StatementOf<'FetchEdges'>, ctx: ExecContext): Result<ExecOutput> {
  const spaceR = readableSpace(ctx);
  if (!spaceR.ok) return spaceR;
  const space = spaceR.value;
  if (stmt.yield === undefined) return fail(Errors.missingYield());
  const schemaR = resolveEdge(space, stmt.edge);
  if (!schemaR.ok) return schemaR;
  const schema = schemaR.value;
  const scope = { labels: new Map([[schema.name, labelOf(schema)]]), entities: new Set(['edge'] as const) };
  const bad = validateAll(stmt.yield.columns.map((c) => c.expr), scope);
  if (bad) return fail(bad);

  const store = spaceStore(ctx, space);
  const projector = new Projector(stmt.yield);
  const nowMs = ctx.now();
  return store.reading(() => {
    for (const key of stmt.keys) {
      const src = vidOf(key.src, space);
      if (!src.ok) return src;
      const dst = vidOf(key.dst, space);
      if (!dst.ok) return dst;
      const rank = rankOf(key.rank);
      if (!rank.ok) return rank;
      const row = store.getEdge(src.value, schema.id, rank.value, dst.value);
      if (row === undefined) continue;
      const error = projector.add({ edge: edgeValue(row, schema, 1), edgeTypeId: schema.id, nowMs });
      if (error) return fail(error);
    }
    return ok(projector.result());
  });
}
