/**
 * Turning an INSERT's VALUES into property rows. The plan (which value goes to which prop, what
 * unlisted props default to) is made once per statement, so the row loop does no catalog lookup
 * and allocates only the props object it writes.
 */
import { currentVersion, findProp } from '../../catalog/lookup.ts';
import type { PropDef, SchemaDesc } from '../../catalog/types.ts';
import type { Props } from '../../engine/storage/types.ts';
import { Errors, fail, ok, type NgError, type Result } from '../../errors.ts';
import { limits } from '../../limits.ts';
import type { Expr } from '../../parser/ast.ts';
import type { Value } from '../../value/types.ts';
import { coerceToProp } from '../expr/coerce.ts';
import { evaluate } from '../expr/evaluate.ts';
import type { RowContext } from '../expr/row-context.ts';
import { validateExpr } from '../expr/validate.ts';

export const noDefault = (): NgError =>
  Errors.executionPlain("Storage Error: The not null field doesn't have a default value.");
export const tooManyRowsToInsert = (): NgError =>
  Errors.semantic(`Too many rows in one INSERT: at most ${limits.insertRowsMax}.`);
export const columnCountMismatch = (): NgError => Errors.semantic("Column count doesn't match value count.");

/** How one tag's (or edge's) props are filled from a row of values. */
export interface PropsPlan {
  readonly schemaId: number;
  readonly version: number;
  /** Every prop of the current version, in schema order. */
  readonly props: readonly PropDef[];
  /** For each prop: the index of its value in the row, or -1 when it takes `defaults[i]`. */
  readonly valueIndex: readonly number[];
  readonly defaults: readonly Value[];
}

/**
 * Plan the props of `schema` from the listed `names`, whose values start at `offset` in each row.
 */
export function planProps(schema: SchemaDesc, names: readonly string[], offset: number): Result<PropsPlan> {
  const version = currentVersion(schema);
  for (const name of names) {
    if (findProp(version, name) === undefined) return fail(Errors.semantic(`Unknown column \`${name}' in schema`));
  }
  const valueIndex: number[] = [];
  const defaults: Value[] = [];
  for (const prop of version.props) {
    const at = names.indexOf(prop.name);
    valueIndex.push(at < 0 ? -1 : offset + at);
    if (at >= 0) {
      defaults.push(null);
      continue;
    }
    if (prop.defaultValue === undefined && !prop.nullable) return fail(noDefault());
    const fitted = coerceToProp(prop.defaultValue ?? null, prop);
    if (!fitted.ok) return fitted;
    defaults.push(fitted.value);
  }
  return ok({ schemaId: schema.id, version: version.version, props: version.props, valueIndex, defaults });
}

/** A value expression: literals directly, anything else validated and evaluated without a row. */
export function evalValue(expr: Expr, row: RowContext): Result<Value> {
  if (expr.kind === 'literal') return ok(expr.value);
  const bad = validateExpr(expr, {});
  return bad ? fail(bad) : ok(evaluate(expr, row));
}

/** The full props object of one row under `plan`. */
export function buildProps(plan: PropsPlan, values: readonly Expr[], row: RowContext): Result<Props> {
  const out: Record<string, Value> = {};
  const { props, valueIndex, defaults } = plan;
  for (let i = 0; i < props.length; i++) {
    const prop = props[i]!;
    const at = valueIndex[i]!;
    if (at < 0) {
      out[prop.name] = defaults[i]!;
      continue;
    }
    const raw = evalValue(values[at]!, row);
    if (!raw.ok) return raw;
    const fitted = coerceToProp(raw.value, prop);
    if (!fitted.ok) return fitted;
    out[prop.name] = fitted.value;
  }
  return ok(out);
}
