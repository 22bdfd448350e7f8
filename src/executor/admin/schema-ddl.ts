/**
 * CREATE, ALTER and DROP TAG|EDGE. Each needs a current space that this session may change the
 * schema of and that is not read_only; an ALTER logs the complete new property list as a new
 * version, so a replayed or shipped entry needs nothing else to rebuild the schema.
 */
import { currentVersion, findSchema } from '../../catalog/lookup.ts';
import type { PropDef, SchemaKind } from '../../catalog/types.ts';
import { Errors, fail, ok, type NgError, type Result } from '../../errors.ts';
import type { StatementOf } from '../../parser/ast.ts';
import { schemaWritableSpace } from '../space-guard.ts';
import type { Executor } from '../types.ts';
import { propDefOf, propDefsOf } from './prop-defs.ts';

/** TagNotFound or EdgeNotFound, by kind. */
export function schemaNotFound(kind: SchemaKind, name: string): NgError {
  return kind === 'TAG' ? Errors.tagNotFound(name) : Errors.edgeNotFound(name);
}

const columnNotFound = (name: string): NgError => Errors.executionPlain(`Column \`${name}' not found`);

export const createSchema: Executor<'CreateSchema'> = (stmt, ctx) => {
  const space = schemaWritableSpace(ctx);
  if (!space.ok) return space;
  const props = propDefsOf(stmt.columns);
  if (!props.ok) return props;
  if (findSchema(space.value, stmt.schema, stmt.name) !== undefined) {
    return stmt.ifNotExists ? ok(undefined) : fail(Errors.existed());
  }
  // A tag and an edge type may not share a name; IF NOT EXISTS does not excuse that, because
  // the thing asked for does not exist afterwards.
  const other: SchemaKind = stmt.schema === 'TAG' ? 'EDGE' : 'TAG';
  if (findSchema(space.value, other, stmt.name) !== undefined) return fail(Errors.existed());
  ctx.meta.commit({
    op: 'createSchema',
    space: space.value.name,
    kind: stmt.schema,
    name: stmt.name,
    props: props.value,
    ...(stmt.comment !== undefined ? { comment: stmt.comment } : {}),
  });
  return ok(undefined);
};

/** The property list after every clause of an ALTER, applied in the order written. */
function alteredProps(stmt: StatementOf<'AlterSchema'>, before: readonly PropDef[]): Result<PropDef[]> {
  const props = [...before];
  const mentioned = new Set<string>();
  const mention = (name: string): NgError | undefined => {
    if (mentioned.has(name)) return Errors.semantic(`Duplicate column name \`${name}'`);
    mentioned.add(name);
    return undefined;
  };
  for (const change of stmt.changes) {
    if (change.op === 'DROP') {
      for (const name of change.names) {
        const dup = mention(name);
        if (dup) return fail(dup);
        const at = props.findIndex((p) => p.name === name);
        if (at < 0) return fail(columnNotFound(name));
        props.splice(at, 1);
      }
      continue;
    }
    for (const col of change.columns) {
      const dup = mention(col.name);
      if (dup) return fail(dup);
      // Rows written before the ALTER lack this column; without a default they could not be read.
      if (!col.nullable && col.defaultValue === undefined) {
        return fail(Errors.semantic(`Column \`${col.name}' must have a default value if it's not nullable`));
      }
      const def = propDefOf(col);
      if (!def.ok) return def;
      const at = props.findIndex((p) => p.name === col.name);
      if (change.op === 'ADD') {
        if (at >= 0) return fail(Errors.existed());
        props.push(def.value);
      } else {
        if (at < 0) return fail(columnNotFound(col.name));
        props[at] = def.value;
      }
    }
  }
  return ok(props);
}

export const alterSchema: Executor<'AlterSchema'> = (stmt, ctx) => {
  const space = schemaWritableSpace(ctx);
  if (!space.ok) return space;
  const schema = findSchema(space.value, stmt.schema, stmt.name);
  if (schema === undefined) return fail(schemaNotFound(stmt.schema, stmt.name));
  const props = alteredProps(stmt, currentVersion(schema).props);
  if (!props.ok) return props;
  ctx.meta.commit({
    op: 'alterSchema',
    space: space.value.name,
    kind: stmt.schema,
    name: stmt.name,
    props: props.value,
    ...(stmt.comment !== undefined ? { comment: stmt.comment } : {}),
  });
  return ok(undefined);
};

export const dropSchema: Executor<'DropSchema'> = (stmt, ctx) => {
  const space = schemaWritableSpace(ctx);
  if (!space.ok) return space;
  if (findSchema(space.value, stmt.schema, stmt.name) === undefined) {
    return stmt.ifExists ? ok(undefined) : fail(schemaNotFound(stmt.schema, stmt.name));
  }
  ctx.meta.commit({ op: 'dropSchema', space: space.value.name, kind: stmt.schema, name: stmt.name });
  return ok(undefined);
};
