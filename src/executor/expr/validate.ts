/**
 * Checks an expression against what its statement can see, before any row is read: functions
 * exist and get the right number of arguments, `label.prop` names a declared tag or edge and one
 * of its props, `$^`/`$$` props name a tag of the space, bare names are the UPDATE row's props.
 * Answers NebulaGraph's SemanticError wording, e.g. "`$^.player.agee', not found the property
 * `agee'".
 */
import type { Expr } from '../../parser/ast.ts';
import { Errors, type NgError } from '../../errors.ts';
import { FUNCTIONS } from './functions.ts';

/** What `label.prop` can name: a tag or an edge with its props. */
export interface LabelSchema {
  readonly props: ReadonlySet<string>;
  /** Edges also answer `_src`, `_dst`, `_rank` and `_type`. */
  readonly isEdge: boolean;
}

export type EntityName = 'vertex' | 'edge' | '$^' | '$$';

export interface ExprScope {
  /** Labels usable as `label.prop`: FETCH's tags, GO's edges, UPDATE's tag or edge. */
  readonly labels?: ReadonlyMap<string, LabelSchema>;
  /** Tags readable through `$^.tag.prop` and `$$.tag.prop` (GO): every tag of the space. */
  readonly vertexTags?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Bare names: UPDATE's row props. */
  readonly names?: ReadonlySet<string>;
  /** Which of `vertex`, `edge`, `$^`, `$$` mean something here. */
  readonly entities?: ReadonlySet<EntityName>;
}

const EDGE_META_PROPS: ReadonlySet<string> = new Set(['_src', '_dst', '_rank', '_type']);

const notFoundProp = (text: string, prop: string): NgError =>
  Errors.semantic(`\`${text}', not found the property \`${prop}'`);

function vertexProp(text: string, tag: string, prop: string, scope: ExprScope): NgError | undefined {
  const tags = scope.vertexTags;
  if (tags === undefined) return Errors.semantic(`\`${text}', only GO can read source or destination vertex props`);
  const props = tags.get(tag);
  if (props === undefined) return Errors.tagNotFound(tag);
  return props.has(prop) ? undefined : notFoundProp(text, prop);
}

function call(expr: Extract<Expr, { kind: 'call' }>, scope: ExprScope): NgError | undefined {
  const def = FUNCTIONS[expr.name.toLowerCase()];
  if (def === undefined) return Errors.semantic(`Function \`${expr.name}' not defined`);
  const n = expr.args.length;
  if (n < def.min || n > def.max) {
    const wanted = def.min === def.max ? `${def.min}` : def.max > 1_000_000 ? `at least ${def.min}` : `${def.min} to ${def.max}`;
    return Errors.semantic(`Function \`${expr.name}' takes ${wanted} argument(s), got ${n}`);
  }
  for (const arg of expr.args) {
    const bad = validateExpr(arg, scope);
    if (bad) return bad;
  }
  return undefined;
}

/** The first problem with `expr` in `scope`, or undefined when it may be evaluated. */
export function validateExpr(expr: Expr, scope: ExprScope): NgError | undefined {
  switch (expr.kind) {
    case 'literal':
      return undefined;
    case 'list':
      for (const item of expr.items) {
        const bad = validateExpr(item, scope);
        if (bad) return bad;
      }
      return undefined;
    case 'map':
      for (const [, item] of expr.entries) {
        const bad = validateExpr(item, scope);
        if (bad) return bad;
      }
      return undefined;
    case 'unary':
    case 'isNull':
      return validateExpr(expr.operand, scope);
    case 'binary':
      return validateExpr(expr.left, scope) ?? validateExpr(expr.right, scope);
    case 'call':
      return call(expr, scope);
    case 'entity':
      return scope.entities?.has(expr.entity)
        ? undefined
        : Errors.semantic(`\`${expr.entity}' is not allowed in this statement`);
    case 'srcProp':
      return vertexProp(`$^.${expr.tag}.${expr.prop}`, expr.tag, expr.prop, scope);
    case 'dstProp':
      return vertexProp(`$$.${expr.tag}.${expr.prop}`, expr.tag, expr.prop, scope);
    case 'labelProp': {
      const text = `${expr.label}.${expr.prop}`;
      const label = scope.labels?.get(expr.label);
      if (label === undefined) return Errors.semantic(`\`${text}', tag or edge \`${expr.label}' is not declared here`);
      if (label.props.has(expr.prop) || (label.isEdge && EDGE_META_PROPS.has(expr.prop))) return undefined;
      return notFoundProp(text, expr.prop);
    }
    case 'name':
      if (scope.names === undefined) return Errors.semantic(`Invalid label identifiers: ${expr.name}`);
      return scope.names.has(expr.name) ? undefined : notFoundProp(expr.name, expr.name);
    case 'varProp':
      return Errors.semantic(`\`$${expr.variable}.${expr.prop}', variables and pipes are not supported here`);
  }
}

/** Validate several expressions; the first problem wins. */
export function validateAll(exprs: readonly (Expr | undefined)[], scope: ExprScope): NgError | undefined {
  for (const expr of exprs) {
    if (expr === undefined) continue;
    const bad = validateExpr(expr, scope);
    if (bad) return bad;
  }
  return undefined;
}
