/**
 * GO [M TO] N STEPS FROM vid, ... OVER e, ... | * [REVERSELY | BIDIRECT] [WHERE ...] YIELD ...
 *
 * Each step expands the distinct vertices the previous step reached. `N STEPS` yields the edges
 * of the last step only; `M TO N STEPS` yields those of steps M..N. WHERE filters the yielded
 * edges, not the walk (as NebulaGraph 3.x). A reversed edge is yielded as walked: `src(edge)` is
 * the vertex the walk stands on. `$^` and `$$` load the vertex with all its tags, once per vertex.
 */
import type { SchemaDesc, SpaceDesc } from '../../catalog/types.ts';
import type { EdgeRow, SpaceStore, Vid } from '../../engine/storage/types.ts';
import { Errors, fail, ok, type NgError, type Result } from '../../errors.ts';
import { limits } from '../../limits.ts';
import type { Expr, StatementOf } from '../../parser/ast.ts';
import type { VertexV } from '../../value/types.ts';
import { evaluate } from '../expr/evaluate.ts';
import { validateAll, type ExprScope } from '../expr/validate.ts';
import type { ExecContext, ExecOutput } from '../types.ts';
import { readableSpace } from '../space-guard.ts';
import { edgeValue, loadVertex, schemasById } from './entities.ts';
import { holds, Projector } from './projection.ts';
import { allSchemas, labelOf, resolveEdge, spaceStore, vertexTagsOf } from './schema-scope.ts';
import { vidsOf } from './vid.ts';

type Direction = StatementOf<'Go'>['direction'];

function overEdges(space: SpaceDesc, over: StatementOf<'Go'>['over']): Result<SchemaDesc[]> {
  if (over === '*') return ok([...allSchemas(space.edges)]);
  const out: SchemaDesc[] = [];
  for (const name of over) {
    const edge = resolveEdge(space, name);
    if (!edge.ok) return edge;
    out.push(edge.value);
  }
  return ok(out);
}

function checkSteps(stmt: StatementOf<'Go'>): NgError | undefined {
  if (stmt.maxSteps > limits.goStepsMax) return Errors.semantic(`GO takes at most ${limits.goStepsMax} steps.`);
  if (stmt.minSteps > stmt.maxSteps) return Errors.semantic('The upper bound of steps must not be less than the lower.');
  return undefined;
}

/** One walk over a space's edges, with a per-statement cache of loaded vertices. */
class Walker {
  private readonly vertices = new Map<Vid, VertexV>();
  private readonly byId: ReadonlyMap<number, SchemaDesc>;

  constructor(
    private readonly store: SpaceStore,
    space: SpaceDesc,
  ) {
    this.byId = schemasById(space);
  }

  vertex(vid: Vid): VertexV {
    let v = this.vertices.get(vid);
    if (v === undefined) {
      v = loadVertex(this.store, vid, this.byId);
      this.vertices.set(vid, v);
    }
    return v;
  }

  schema(etype: number): SchemaDesc | undefined {
    return this.byId.get(etype);
  }

  /** Edges leaving `vid` in the walk's direction, each with the way it was walked. */
  edges(vid: Vid, etypes: readonly number[], direction: Direction): { row: EdgeRow; dir: 1 | -1 }[] {
    const out: { row: EdgeRow; dir: 1 | -1 }[] = [];
    if (direction !== 'REVERSELY') for (const row of this.store.outEdges(vid, etypes)) out.push({ row, dir: 1 });
    if (direction !== 'OUT') for (const row of this.store.inEdges(vid, etypes)) out.push({ row, dir: -1 });
    return out;
  }
}

export function go(stmt: StatementOf<'Go'>, ctx: ExecContext): Result<ExecOutput> {
  const spaceR = readableSpace(ctx);
  if (!spaceR.ok) return spaceR;
  const space = spaceR.value;
  if (stmt.yield === undefined) return fail(Errors.missingYield());
  const stepsBad = checkSteps(stmt);
  if (stepsBad) return fail(stepsBad);
  const edgesR = overEdges(space, stmt.over);
  if (!edgesR.ok) return edgesR;
  const scope: ExprScope = {
    labels: new Map(edgesR.value.map((e) => [e.name, labelOf(e)])),
    vertexTags: vertexTagsOf(space),
    entities: new Set(['edge', '$^', '$$'] as const),
  };
  const where: Expr | undefined = stmt.where;
  const bad = validateAll([where, ...stmt.yield.columns.map((c) => c.expr)], scope);
  if (bad) return fail(bad);
  const from = vidsOf(stmt.from, space);
  if (!from.ok) return from;

  const store = spaceStore(ctx, space);
  const walker = new Walker(store, space);
  const etypes = edgesR.value.map((e) => e.id);
  const projector = new Projector(stmt.yield);
  const nowMs = ctx.now();
  // Every step reads in one read transaction (SpaceStore.reading).
  return store.reading(() => {
    let frontier = new Set<Vid>(from.value);
    for (let step = 1; step <= stmt.maxSteps && frontier.size > 0; step++) {
      const next = new Set<Vid>();
      const yields = step >= stmt.minSteps;
      for (const vid of frontier) {
        for (const { row, dir } of walker.edges(vid, etypes, stmt.direction)) {
          const walkedTo = dir === 1 ? row.dst : row.src;
          next.add(walkedTo);
          if (!yields) continue;
          const schema = walker.schema(row.etype);
          if (schema === undefined) continue;
          const rowCtx = {
            edge: edgeValue(row, schema, dir),
            edgeTypeId: dir * schema.id,
            src: () => walker.vertex(vid),
            dst: () => walker.vertex(walkedTo),
            nowMs,
          };
          if (where !== undefined && !holds(evaluate(where, rowCtx))) continue;
          if (stmt.limit !== undefined && projector.size >= stmt.limit) return ok(projector.result());
          const error = projector.add(rowCtx);
          if (error) return fail(error);
        }
      }
      frontier = next;
    }
    return ok(projector.result());
  });
}
