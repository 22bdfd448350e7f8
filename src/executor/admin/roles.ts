/**
 * GRANT ROLE, REVOKE ROLE and SHOW ROLES IN, with NebulaGraph's rules: nobody grants GOD, GOD
 * users cannot be given a space role, and a space's ADMIN hands out only the roles below his own.
 */
import { findSpace, roleOf, usersWithRoles } from '../../catalog/lookup.ts';
import { Errors, fail, ok, type NgError } from '../../errors.ts';
import type { RoleName } from '../../parser/ast.ts';
import { dataSet } from '../../value/types.ts';
import { ROOT_USER, requireAdmin, requireRead, roleIn } from '../permissions.ts';
import type { ExecContext, Executor } from '../types.ts';
import { userExists } from './users.ts';

/** Whether `user` holds GOD anywhere (root always does). */
function isGod(ctx: ExecContext, user: string): boolean {
  if (user === ROOT_USER) return true;
  return Object.values(ctx.meta.catalog().roles).some((perSpace) => perSpace[user] === 'GOD');
}

/** May this session give or take `role` in `space` from `user`? */
function checkRoleWrite(ctx: ExecContext, space: string, user: string, role: RoleName): NgError | undefined {
  if (role === 'GOD') return Errors.permission('No permission to grant/revoke god user.');
  const denied = requireAdmin(ctx, space);
  if (denied) return denied;
  if (!ctx.config.enableAuthorize || roleIn(ctx, space) === 'GOD') return undefined;
  // An ADMIN manages the users below him, never himself and never another ADMIN.
  if (user === ctx.session.user) return Errors.permission('No permission to grant/revoke yourself.');
  if (role === 'ADMIN') return Errors.permission('No permission to grant/revoke admin.');
  return undefined;
}

export const grantRole: Executor<'GrantRole'> = (stmt, ctx) => {
  const denied = checkRoleWrite(ctx, stmt.space, stmt.user, stmt.role);
  if (denied) return fail(denied);
  if (isGod(ctx, stmt.user)) return fail(Errors.semantic(`User '${stmt.user}' is GOD, cannot be granted.`));
  const cat = ctx.meta.catalog();
  if (findSpace(cat, stmt.space) === undefined) return fail(Errors.spaceNotFound());
  if (!userExists(ctx, stmt.user)) return fail(Errors.userNotFound());
  ctx.meta.commit({ op: 'grantRole', space: stmt.space, user: stmt.user, role: stmt.role });
  return ok(undefined);
};

export const revokeRole: Executor<'RevokeRole'> = (stmt, ctx) => {
  const denied = checkRoleWrite(ctx, stmt.space, stmt.user, stmt.role);
  if (denied) return fail(denied);
  const cat = ctx.meta.catalog();
  if (findSpace(cat, stmt.space) === undefined) return fail(Errors.spaceNotFound());
  if (!userExists(ctx, stmt.user)) return fail(Errors.userNotFound());
  const held = roleOf(cat, stmt.space, stmt.user);
  if (held === undefined) return fail(Errors.executionPlain('Role not existed!'));
  // REVOKE names the role it takes away; naming another one is a mistake worth reporting.
  if (held !== stmt.role) return fail(Errors.executionPlain('Improper role!'));
  ctx.meta.commit({ op: 'revokeRole', space: stmt.space, user: stmt.user });
  return ok(undefined);
};

export const showRoles: Executor<'ShowRoles'> = (stmt, ctx) => {
  const cat = ctx.meta.catalog();
  if (findSpace(cat, stmt.space) === undefined) return fail(Errors.spaceNotFound());
  const denied = requireRead(ctx, stmt.space);
  if (denied) return fail(denied);
  const rows = usersWithRoles(cat, stmt.space).map((r) => [r.user, r.role]);
  return ok(dataSet(['Account', 'Role Type'], rows));
};
