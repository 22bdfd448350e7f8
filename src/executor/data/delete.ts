/**
 * DELETE VERTEX v, ... [WITH EDGE], DELETE TAG t, ... | * FROM v, ..., DELETE EDGE e k, ...
 *
 * As in NebulaGraph 3.x, DELETE VERTEX without WITH EDGE leaves the vertex's edges in place; WITH
 * EDGE removes every out- and in-edge too. Ops are emitted only for rows that exist, so a delete
 * of nothing writes no WAL entry.
 */
import type { DataOp, EdgeRow } from '../../engine/storage/types.ts';
import { ok, type Result } from '../../errors.ts';
import type { StatementOf } from '../../parser/ast.ts';
import type { ExecContext, ExecOutput } from '../types.ts';
import { dataWritableSpace } from '../space-guard.ts';
import { edgeKeyText } from './insert-edge.ts';
import { resolveEdge, resolveTag, spaceStore } from './schema-scope.ts';
import { rankOf, vidOf, vidsOf } from './vid.ts';
import { writeBuilt } from './write-built.ts';

function deleteEdgeOp(e: EdgeRow): DataOp {
  return { op: 'deleteEdge', src: e.src, etype: e.etype, rank: e.rank, dst: e.dst };
}

export async function deleteVertex(stmt: StatementOf<'DeleteVertex'>, ctx: ExecContext): Promise<Result<ExecOutput>> {
  const space = dataWritableSpace(ctx);
  if (!space.ok) return space;
  const vids = vidsOf(stmt.vids, space.value);
  if (!vids.ok) return vids;
  const store = spaceStore(ctx, space.value);
  return writeBuilt(store, true, () => {
    const ops: DataOp[] = [];
    const seenEdges = new Set<string>();
    for (const vid of vids.value) {
      if (stmt.withEdge) {
        for (const e of [...store.outEdges(vid), ...store.inEdges(vid)]) {
          const key = `${e.etype}|${edgeKeyText(e.src, e.rank, e.dst)}`;
          if (seenEdges.has(key)) continue;
          seenEdges.add(key);
          ops.push(deleteEdgeOp(e));
        }
      }
      if (store.getTags(vid).length > 0) ops.push({ op: 'deleteVertex', vid });
    }
    return ok({ ops, value: undefined });
  });
}

export async function deleteTag(stmt: StatementOf<'DeleteTag'>, ctx: ExecContext): Promise<Result<ExecOutput>> {
  const space = dataWritableSpace(ctx);
  if (!space.ok) return space;
  let tagIds: number[] | undefined;
  if (stmt.tags !== '*') {
    tagIds = [];
    for (const name of stmt.tags) {
      const tag = resolveTag(space.value, name);
      if (!tag.ok) return tag;
      tagIds.push(tag.value.id);
    }
  }
  const vids = vidsOf(stmt.vids, space.value);
  if (!vids.ok) return vids;
  const store = spaceStore(ctx, space.value);
  return writeBuilt(store, true, () => {
    const ops: DataOp[] = [];
    for (const vid of vids.value) {
      for (const row of store.getTags(vid)) {
        if (tagIds === undefined || tagIds.includes(row.tagId)) ops.push({ op: 'deleteTag', vid, tagId: row.tagId });
      }
    }
    return ok({ ops, value: undefined });
  });
}

export async function deleteEdge(stmt: StatementOf<'DeleteEdge'>, ctx: ExecContext): Promise<Result<ExecOutput>> {
  const space = dataWritableSpace(ctx);
  if (!space.ok) return space;
  const edge = resolveEdge(space.value, stmt.edge);
  if (!edge.ok) return edge;
  const store = spaceStore(ctx, space.value);
  return writeBuilt(store, true, () => {
    const ops: DataOp[] = [];
    for (const key of stmt.keys) {
      const src = vidOf(key.src, space.value);
      if (!src.ok) return src;
      const dst = vidOf(key.dst, space.value);
      if (!dst.ok) return dst;
      const rank = rankOf(key.rank);
      if (!rank.ok) return rank;
      const row = store.getEdge(src.value, edge.value.id, rank.value, dst.value);
      if (row !== undefined) ops.push(deleteEdgeOp(row));
    }
    return ok({ ops, value: undefined });
  });
}
