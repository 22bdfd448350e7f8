/**
 * The heart of UPDATE and UPSERT, shared by vertices and edges: SET expressions are evaluated on
 * the OLD row (bare names and `label.prop`), WHEN decides whether anything changes, every new
 * value is type-checked for its prop, and the result is the whole new row, which is what the WAL
 * logs (never the expression). UPSERT of a missing row starts from the props' defaults.
 */
import { currentVersion, findProp } from '../../catalog/lookup.ts';
import type { PropDef, SchemaDesc, SchemaVersion } from '../../catalog/types.ts';
import type { Props } from '../../engine/storage/types.ts';
import { Errors, fail, ok, type NgError, type Result } from '../../errors.ts';
import type { Expr, YieldClause } from '../../parser/ast.ts';
import type { DataSet, Value } from '../../value/types.ts';
import { coerceToProp } from '../expr/coerce.ts';
import { evaluate } from '../expr/evaluate.ts';
import type { RowContext } from '../expr/row-context.ts';
import { validateAll, type ExprScope } from '../expr/validate.ts';
import { holds, Projector } from './projection.ts';
import { noDefault } from './row-values.ts';
import { labelOf, propNames, readProps } from './schema-scope.ts';

export const rowNotFound = (): NgError => Errors.executionPlain('Storage Error: Vertex or edge not found.');

export interface UpdateRequest {
  readonly schema: SchemaDesc;
  readonly upsert: boolean;
  readonly sets: readonly { readonly prop: string; readonly value: Expr }[];
  readonly when?: Expr;
  readonly yield?: YieldClause;
}

export interface UpdatePlan {
  readonly version: SchemaVersion;
  readonly sets: readonly { readonly prop: PropDef; readonly value: Expr }[];
}

/** Check the statement against the schema before reading anything. */
export function planUpdate(req: UpdateRequest): Result<UpdatePlan> {
  const version = currentVersion(req.schema);
  const scope: ExprScope = {
    labels: new Map([[req.schema.name, labelOf(req.schema)]]),
    names: propNames(version),
    entities: new Set([req.schema.kind === 'TAG' ? 'vertex' : 'edge'] as const),
  };
  const sets: { prop: PropDef; value: Expr }[] = [];
  for (const set of req.sets) {
    const prop = findProp(version, set.prop);
    if (prop === undefined) return fail(Errors.semantic(`\`${set.prop}', not found the property \`${set.prop}'`));
    sets.push({ prop, value: set.value });
  }
  const bad = validateAll([...req.sets.map((s) => s.value), req.when, ...(req.yield?.columns.map((c) => c.expr) ?? [])], scope);
  return bad ? fail(bad) : ok({ version, sets });
}

/** What an update decided: the row to write (none when WHEN said no), and the YIELD table. */
export interface UpdateOutcome {
  readonly write?: Props;
  readonly output?: DataSet;
}

/** The starting row of an UPSERT that finds nothing: defaults, NULL for nullable props. */
function defaultsRow(version: SchemaVersion): Map<string, Value> {
  const row = new Map<string, Value>();
  for (const p of version.props) if (p.defaultValue !== undefined || p.nullable) row.set(p.name, p.defaultValue ?? null);
  return row;
}

function yieldTable(clause: YieldClause | undefined, ctx: RowContext): Result<DataSet | undefined> {
  if (clause === undefined) return ok(undefined);
  const projector = new Projector(clause);
  const bad = projector.add(ctx);
  return bad ? fail(bad) : ok(projector.result());
}

/**
 * Apply `plan` to the stored row (`stored`, undefined when missing). `rowCtx` makes the context
 * in which expressions see a row's props.
 */
export function runUpdate(
  req: UpdateRequest,
  plan: UpdatePlan,
  stored: Props | undefined,
  rowCtx: (props: ReadonlyMap<string, Value>) => RowContext,
): Result<UpdateOutcome> {
  if (stored === undefined && !req.upsert) return fail(rowNotFound());
  const old = stored !== undefined ? readProps(stored, plan.version) : defaultsRow(plan.version);
  const oldCtx = rowCtx(old);
  // NebulaGraph inserts a missing UPSERT row whatever WHEN says; WHEN guards existing rows.
  if (stored !== undefined && req.when !== undefined && !holds(evaluate(req.when, oldCtx))) {
    const output = yieldTable(req.yield, oldCtx);
    return output.ok ? ok({ output: output.value }) : output;
  }
  const next = new Map(old);
  for (const set of plan.sets) {
    const fitted = coerceToProp(evaluate(set.value, oldCtx), set.prop);
    if (!fitted.ok) return fitted;
    next.set(set.prop.name, fitted.value);
  }
  const write: Record<string, Value> = {};
  for (const prop of plan.version.props) {
    const v = next.get(prop.name);
    if (v === undefined) return fail(noDefault());
    write[prop.name] = v;
  }
  const output = yieldTable(req.yield, rowCtx(next));
  return output.ok ? ok({ write, output: output.value }) : output;
}
