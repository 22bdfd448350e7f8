/**
 * UPDATE/UPSERT VERTEX ON t vid SET ... [WHEN ...] [YIELD ...] and UPDATE/UPSERT EDGE ON e
 * src -> dst[@rank] SET ...: read the row, let update-row.ts decide, write the whole new row with
 * the current schema version.
 */
import type { DataOp } from '../../engine/storage/types.ts';
import { ok, type Result } from '../../errors.ts';
import type { StatementOf } from '../../parser/ast.ts';
import type { Value } from '../../value/types.ts';
import type { RowContext } from '../expr/row-context.ts';
import type { ExecContext, ExecOutput } from '../types.ts';
import { dataWritableSpace } from '../space-guard.ts';
import { resolveEdge, resolveTag, spaceStore } from './schema-scope.ts';
import { planUpdate, runUpdate } from './update-row.ts';
import { rankOf, vidOf } from './vid.ts';
import { writeBuilt } from './write-built.ts';

export async function updateVertex(stmt: StatementOf<'UpdateVertex'>, ctx: ExecContext): Promise<Result<ExecOutput>> {
  const space = dataWritableSpace(ctx);
  if (!space.ok) return space;
  const schema = resolveTag(space.value, stmt.tag);
  if (!schema.ok) return schema;
  const req = { ...stmt, schema: schema.value };
  const plan = planUpdate(req);
  if (!plan.ok) return plan;
  const vid = vidOf(stmt.vid, space.value);
  if (!vid.ok) return vid;
  const store = spaceStore(ctx, space.value);
  const nowMs = ctx.now();
  const rowCtx = (props: ReadonlyMap<string, Value>): RowContext => ({
    vertex: { kind: 'vertex', vid: vid.value, tags: [{ name: stmt.tag, props }] },
    names: props,
    nowMs,
  });
  return writeBuilt(store, true, () => {
    const outcome = runUpdate(req, plan.value, store.getTag(vid.value, schema.value.id)?.props, rowCtx);
    if (!outcome.ok) return outcome;
    const { write, output } = outcome.value;
    const ops: DataOp[] = write === undefined ? [] : [{ op: 'putTag', vid: vid.value, tagId: schema.value.id, ver: plan.value.version.version, props: write }];
    return ok({ ops, value: output });
  });
}

export async function updateEdge(stmt: StatementOf<'UpdateEdge'>, ctx: ExecContext): Promise<Result<ExecOutput>> {
  const space = dataWritableSpace(ctx);
  if (!space.ok) return space;
  const schema = resolveEdge(space.value, stmt.edge);
  if (!schema.ok) return schema;
  const req = { ...stmt, schema: schema.value };
  const plan = planUpdate(req);
  if (!plan.ok) return plan;
  const src = vidOf(stmt.key.src, space.value);
  if (!src.ok) return src;
  const dst = vidOf(stmt.key.dst, space.value);
  if (!dst.ok) return dst;
  const rank = rankOf(stmt.key.rank);
  if (!rank.ok) return rank;
  const store = spaceStore(ctx, space.value);
  const nowMs = ctx.now();
  const etype = schema.value.id;
  const rowCtx = (props: ReadonlyMap<string, Value>): RowContext => ({
    edge: { kind: 'edge', src: src.value, dst: dst.value, direction: 1, name: stmt.edge, ranking: rank.value, props },
    edgeTypeId: etype,
    names: props,
    nowMs,
  });
  return writeBuilt(store, true, () => {
    const stored = store.getEdge(src.value, etype, rank.value, dst.value)?.props;
    const outcome = runUpdate(req, plan.value, stored, rowCtx);
    if (!outcome.ok) return outcome;
    const { write, output } = outcome.value;
    const ops: DataOp[] =
      write === undefined ? [] : [{ op: 'putEdge', src: src.value, etype, rank: rank.value, dst: dst.value, ver: plan.value.version.version, props: write }];
    return ok({ ops, value: output });
  });
}
