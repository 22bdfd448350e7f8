/**
 * SET VARIABLES and GET VARIABLES. The only variable is the current space's `read_only`; turning
 * it off must work on a read_only space, so SET does not go through the DDL guard.
 */
import { Errors, fail, ok } from '../../errors.ts';
import { dataSet } from '../../value/types.ts';
import { evalConstant } from '../expr/evaluate.ts';
import { requireGod } from '../permissions.ts';
import { currentSpace, readableSpace } from '../space-guard.ts';
import type { Executor } from '../types.ts';

const READ_ONLY = 'read_only';

const unknownVariable = (name: string) => Errors.semantic(`Unknown variable \`${name}'`);

export const setVariable: Executor<'SetVariable'> = (stmt, ctx) => {
  const denied = requireGod(ctx, 'No permission to set variables.');
  if (denied) return fail(denied);
  if (stmt.name.toLowerCase() !== READ_ONLY) return fail(unknownVariable(stmt.name));
  const space = currentSpace(ctx);
  if (!space.ok) return space;
  const value = evalConstant(stmt.value);
  if (!value.ok) return value;
  if (typeof value.value !== 'boolean') {
    return fail(Errors.semantic(`Variable \`${READ_ONLY}' takes a bool value`));
  }
  ctx.meta.commit({ op: 'setReadOnly', space: space.value.name, readOnly: value.value });
  return ok(undefined);
};

export const getVariable: Executor<'GetVariable'> = (stmt, ctx) => {
  if (stmt.name.toLowerCase() !== READ_ONLY) return fail(unknownVariable(stmt.name));
  const space = readableSpace(ctx);
  if (!space.ok) return space;
  return ok(dataSet(['name', 'type', 'value'], [[READ_ONLY, 'bool', space.value.readOnly]]));
};
