/**
 * INSERT EDGE [IF NOT EXISTS] e(p, ...) VALUES src -> dst[@rank]:(v, ...), ...
 *
 * Same rules as INSERT VERTEX: validate every row first, then write whole rows as putEdge ops
 * keyed (src, type, rank, dst); the rank defaults to 0.
 */
import type { DataOp, Vid } from '../../engine/storage/types.ts';
import { fail, ok, type Result } from '../../errors.ts';
import { limits } from '../../limits.ts';
import type { StatementOf } from '../../parser/ast.ts';
import type { RowContext } from '../expr/row-context.ts';
import type { ExecContext, ExecOutput } from '../types.ts';
import { dataWritableSpace } from '../space-guard.ts';
import { buildProps, columnCountMismatch, planProps, tooManyRowsToInsert } from './row-values.ts';
import { resolveEdge, spaceStore } from './schema-scope.ts';
import { rankOf, vidOf } from './vid.ts';
import { writeBuilt } from './write-built.ts';

/** An unambiguous text key of an edge of one type: lengths keep `a>b` + `c` apart from `a` + `b>c`. */
export function edgeKeyText(src: Vid, rank: bigint, dst: Vid): string {
  const s = String(src);
  return `${typeof src}${s.length}:${s}${typeof dst}:${String(dst)}@${rank}`;
}

export async function insertEdge(stmt: StatementOf<'InsertEdge'>, ctx: ExecContext): Promise<Result<ExecOutput>> {
  const spaceR = dataWritableSpace(ctx);
  if (!spaceR.ok) return spaceR;
  const space = spaceR.value;
  if (stmt.rows.length > limits.insertRowsMax) return fail(tooManyRowsToInsert());
  const schema = resolveEdge(space, stmt.edge);
  if (!schema.ok) return schema;
  const planR = planProps(schema.value, stmt.props, 0);
  if (!planR.ok) return planR;
  const plan = planR.value;
  const width = stmt.props.length;

  const store = spaceStore(ctx, space);
  const row: RowContext = { nowMs: ctx.now() };
  return writeBuilt(store, stmt.ifNotExists, () => {
    const ops: DataOp[] = [];
    const written = stmt.ifNotExists ? new Set<string>() : undefined;
    for (const r of stmt.rows) {
      if (r.values.length !== width) return fail(columnCountMismatch());
      const src = vidOf(r.key.src, space);
      if (!src.ok) return src;
      const dst = vidOf(r.key.dst, space);
      if (!dst.ok) return dst;
      const rank = rankOf(r.key.rank);
      if (!rank.ok) return rank;
      const props = buildProps(plan, r.values, row);
      if (!props.ok) return props;
      if (written !== undefined) {
        const key = edgeKeyText(src.value, rank.value, dst.value);
        if (written.has(key) || store.getEdge(src.value, plan.schemaId, rank.value, dst.value) !== undefined) continue;
        written.add(key);
      }
      ops.push({ op: 'putEdge', src: src.value, etype: plan.schemaId, rank: rank.value, dst: dst.value, ver: plan.version, props: props.value });
    }
    return ok({ ops, value: undefined });
  });
}
