/**
 * SHOW TAGS|EDGES, DESCRIBE TAG|EDGE and SHOW CREATE TAG|EDGE, printed as NebulaGraph prints them.
 */
import { currentVersion, findSchema, schemasOf } from '../../catalog/lookup.ts';
import type { SchemaDesc } from '../../catalog/types.ts';
import { fail, ok } from '../../errors.ts';
import { dataSet, EMPTY } from '../../value/types.ts';
import { readableSpace } from '../space-guard.ts';
import type { Executor } from '../types.ts';
import { optional } from './cells.ts';
import { typeText } from './prop-defs.ts';
import { schemaNotFound } from './schema-ddl.ts';

/** The CREATE statement that would make this schema's current version, in NebulaGraph's layout. */
export function createSchemaText(schema: SchemaDesc): string {
  const version = currentVersion(schema);
  const lines = version.props.map((p) => {
    let line = ` \`${p.name}\` ${typeText(p.type)} ${p.nullable ? 'NULL' : 'NOT NULL'}`;
    if (p.defaultText !== undefined) line += ` DEFAULT ${p.defaultText}`;
    if (p.comment !== undefined) line += ` COMMENT "${p.comment}"`;
    return line;
  });
  const body = lines.length > 0 ? `${lines.join(',\n')}\n` : '';
  const comment = version.comment !== undefined ? `, comment = "${version.comment}"` : '';
  return `CREATE ${schema.kind} \`${schema.name}\` (\n${body}) ttl_duration = 0, ttl_col = ""${comment}`;
}

export const showSchemas: Executor<'ShowSchemas'> = (stmt, ctx) => {
  const space = readableSpace(ctx);
  if (!space.ok) return space;
  const names = schemasOf(space.value, stmt.schema).map((s) => [s.name]);
  return ok(dataSet(['Name'], names));
};

export const describeSchema: Executor<'DescribeSchema'> = (stmt, ctx) => {
  const space = readableSpace(ctx);
  if (!space.ok) return space;
  const schema = findSchema(space.value, stmt.schema, stmt.name);
  if (schema === undefined) return fail(schemaNotFound(stmt.schema, stmt.name));
  const rows = currentVersion(schema).props.map((p) => [
    p.name,
    typeText(p.type),
    p.nullable ? 'YES' : 'NO',
    p.defaultText !== undefined ? (p.defaultValue ?? null) : EMPTY,
    optional(p.comment),
  ]);
  return ok(dataSet(['Field', 'Type', 'Null', 'Default', 'Comment'], rows));
};

export const showCreateSchema: Executor<'ShowCreateSchema'> = (stmt, ctx) => {
  const space = readableSpace(ctx);
  if (!space.ok) return space;
  const schema = findSchema(space.value, stmt.schema, stmt.name);
  if (schema === undefined) return fail(schemaNotFound(stmt.schema, stmt.name));
  const columns = stmt.schema === 'TAG' ? ['Tag', 'Create Tag'] : ['Edge', 'Create Edge'];
  return ok(dataSet(columns, [[schema.name, createSchemaText(schema)]]));
};
