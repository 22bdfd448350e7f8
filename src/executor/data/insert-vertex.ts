/**
 * INSERT VERTEX [IF NOT EXISTS] t1(p, ...), t2(...) VALUES vid:(v, ...), ...
 *
 * Every row is checked before anything is written, so one bad row refuses the statement and
 * changes nothing. Each tag row is written whole (every prop of the current schema version) as a
 * putTag op, which is what the WAL carries.
 */
import type { DataOp } from '../../engine/storage/types.ts';
import { fail, ok, type Result } from '../../errors.ts';
import { limits } from '../../limits.ts';
import type { StatementOf } from '../../parser/ast.ts';
import type { RowContext } from '../expr/row-context.ts';
import type { ExecContext, ExecOutput } from '../types.ts';
import { dataWritableSpace } from '../space-guard.ts';
import { buildProps, columnCountMismatch, planProps, tooManyRowsToInsert, type PropsPlan } from './row-values.ts';
import { resolveTag, spaceStore } from './schema-scope.ts';
import { vidOf } from './vid.ts';
import { writeBuilt } from './write-built.ts';

export async function insertVertex(stmt: StatementOf<'InsertVertex'>, ctx: ExecContext): Promise<Result<ExecOutput>> {
  const spaceR = dataWritableSpace(ctx);
  if (!spaceR.ok) return spaceR;
  const space = spaceR.value;
  if (stmt.rows.length > limits.insertRowsMax) return fail(tooManyRowsToInsert());

  const plans: PropsPlan[] = [];
  let width = 0;
  for (const { tag, props } of stmt.tags) {
    const schema = resolveTag(space, tag);
    if (!schema.ok) return schema;
    const plan = planProps(schema.value, props, width);
    if (!plan.ok) return plan;
    plans.push(plan.value);
    width += props.length;
  }

  const store = spaceStore(ctx, space);
  const row: RowContext = { nowMs: ctx.now() };
  return writeBuilt(store, stmt.ifNotExists, () => {
    const ops: DataOp[] = [];
    // IF NOT EXISTS also skips a second row for the same vertex and tag within this statement.
    const written = stmt.ifNotExists ? new Set<string>() : undefined;
    for (const r of stmt.rows) {
      if (r.values.length !== width) return fail(columnCountMismatch());
      const vid = vidOf(r.vid, space);
      if (!vid.ok) return vid;
      for (const plan of plans) {
        const props = buildProps(plan, r.values, row);
        if (!props.ok) return props;
        if (written !== undefined) {
          const key = `${typeof vid.value}:${vid.value}:${plan.schemaId}`;
          if (written.has(key) || store.getTag(vid.value, plan.schemaId) !== undefined) continue;
          written.add(key);
        }
        ops.push({ op: 'putTag', vid: vid.value, tagId: plan.schemaId, ver: plan.version, props: props.value });
      }
    }
    return ok({ ops, value: undefined });
  });
}
