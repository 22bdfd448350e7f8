/**
 * Vertex ids as statements write them: evaluated as constants and checked against the space's
 * vid type. An INT64 space takes ints only; a FIXED_STRING(N) space takes strings of at most N
 * bytes. Literals take a fast path because INSERT evaluates thousands of them.
 */
import type { SpaceDesc } from '../../catalog/types.ts';
import type { Vid } from '../../engine/storage/types.ts';
import { Errors, fail, ok, type NgError, type Result } from '../../errors.ts';
import type { Expr } from '../../parser/ast.ts';
import type { Value } from '../../value/types.ts';
import { evalConstant } from '../expr/evaluate.ts';
import { typeName } from '../expr/value-ops.ts';

export const invalidVid = (): NgError =>
  Errors.executionPlain(
    'Storage Error: The VID must be a 64-bit integer or a string fitting space vertex id length limit.',
  );

const valueLiteral = (v: Value): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

const wrongType = (v: Value, want: string): NgError =>
  Errors.semantic(`\`${valueLiteral(v)}', the vid should be type of ${want}, but was\`${typeName(v)}'`);

/** Check an evaluated vid against the space. */
export function checkVid(v: Value, space: SpaceDesc): Result<Vid> {
  const type = space.vidType;
  if (type.kind === 'INT64') return typeof v === 'bigint' ? ok(v) : fail(wrongType(v, 'INT64'));
  if (typeof v !== 'string') return fail(wrongType(v, 'FIXED_STRING'));
  // Multi-byte characters count by their UTF-8 bytes, as NebulaGraph stores them.
  if (v.length > type.length || (v.length * 3 > type.length && Buffer.byteLength(v, 'utf8') > type.length)) {
    return fail(invalidVid());
  }
  return ok(v);
}

/** Evaluate and check one vid expression. */
export function vidOf(expr: Expr, space: SpaceDesc): Result<Vid> {
  if (expr.kind === 'literal') return checkVid(expr.value, space);
  const v = evalConstant(expr);
  return v.ok ? checkVid(v.value, space) : v;
}

/** Evaluate every vid; the first bad one refuses the statement. */
export function vidsOf(exprs: readonly Expr[], space: SpaceDesc): Result<Vid[]> {
  const out: Vid[] = [];
  for (const expr of exprs) {
    const vid = vidOf(expr, space);
    if (!vid.ok) return vid;
    out.push(vid.value);
  }
  return ok(out);
}

/** An edge rank: an int constant, 0 when absent. */
export function rankOf(expr: Expr | undefined): Result<bigint> {
  if (expr === undefined) return ok(0n);
  const v = expr.kind === 'literal' ? ok<Value>(expr.value) : evalConstant(expr);
  if (!v.ok) return v;
  return typeof v.value === 'bigint' ? ok(v.value) : fail(Errors.semantic(`Rank should be an integer, but was \`${typeName(v.value)}'`));
}
