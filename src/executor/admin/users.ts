/**
 * CREATE USER, DROP USER, ALTER USER, CHANGE PASSWORD and SHOW USERS. Passwords reach the catalog
 * only as hashes made by `ctx.hashPassword`. Hashing is async and bounded (it runs on the thread
 * pool, not the event loop every client shares): CHANGE PASSWORD is open to every user for his own
 * account, so it must not become a way to stall the cluster. When too much hashing is waiting, the
 * statement fails with "Server busy" and changes nothing.
 */
import { userNames } from '../../catalog/lookup.ts';
import { Errors, fail, ok, type NgError } from '../../errors.ts';
import { dataSet } from '../../value/types.ts';
import { ROOT_USER, requireGod } from '../permissions.ts';
import type { ExecContext, Executor } from '../types.ts';

/** NebulaGraph's bounds on account names and passwords (graph's ACL validator). */
export const USERNAME_LENGTH_MAX = 16;
export const PASSWORD_LENGTH_MAX = 24;
/** Root's password until it is first changed, as NebulaGraph ships it. */
const ROOT_DEFAULT_PASSWORD = 'nebula';

function checkName(user: string): NgError | undefined {
  if ([...user].length > USERNAME_LENGTH_MAX) {
    return Errors.semantic(`Username exceed maximum length ${USERNAME_LENGTH_MAX} characters.`);
  }
  return undefined;
}

function checkPassword(password: string, which = 'Password'): NgError | undefined {
  if ([...password].length > PASSWORD_LENGTH_MAX) {
    return Errors.semantic(`${which} exceed maximum length ${PASSWORD_LENGTH_MAX} characters.`);
  }
  return undefined;
}

/** Whether `user` exists; root always does, whether or not the catalog has logged it. */
export function userExists(ctx: ExecContext, user: string): boolean {
  return user === ROOT_USER || Object.hasOwn(ctx.meta.catalog().users, user);
}

export const createUser: Executor<'CreateUser'> = async (stmt, ctx) => {
  const denied = requireGod(ctx, 'No permission to write user.');
  if (denied) return fail(denied);
  const bad = checkName(stmt.user) ?? checkPassword(stmt.password);
  if (bad) return fail(bad);
  if (userExists(ctx, stmt.user)) return stmt.ifNotExists ? ok(undefined) : fail(Errors.existed());
  const hashed = await ctx.hashPassword(stmt.password);
  if (!hashed.ok) return hashed;
  // Hashing yielded the event loop: another session may have created the user meanwhile.
  if (userExists(ctx, stmt.user)) return stmt.ifNotExists ? ok(undefined) : fail(Errors.existed());
  ctx.meta.commit({ op: 'putUser', name: stmt.user, passwordHash: hashed.value });
  return ok(undefined);
};

export const dropUser: Executor<'DropUser'> = (stmt, ctx) => {
  const denied = requireGod(ctx, 'No permission to write user.');
  if (denied) return fail(denied);
  const bad = checkName(stmt.user);
  if (bad) return fail(bad);
  if (stmt.user === ROOT_USER) return fail(Errors.semantic("Can't drop root user."));
  if (!userExists(ctx, stmt.user)) return stmt.ifExists ? ok(undefined) : fail(Errors.userNotFound());
  ctx.meta.commit({ op: 'dropUser', name: stmt.user });
  return ok(undefined);
};

export const alterUser: Executor<'AlterUser'> = async (stmt, ctx) => {
  const denied = requireGod(ctx, 'No permission to write user.');
  if (denied) return fail(denied);
  const bad = checkName(stmt.user) ?? checkPassword(stmt.password);
  if (bad) return fail(bad);
  if (!userExists(ctx, stmt.user)) return fail(Errors.userNotFound());
  const hashed = await ctx.hashPassword(stmt.password);
  if (!hashed.ok) return hashed;
  // Hashing yielded the event loop: the user may have been dropped meanwhile.
  if (!userExists(ctx, stmt.user)) return fail(Errors.userNotFound());
  ctx.meta.commit({ op: 'putUser', name: stmt.user, passwordHash: hashed.value });
  return ok(undefined);
};

export const changePassword: Executor<'ChangePassword'> = async (stmt, ctx) => {
  // A user may change his own password; only GOD may change another's.
  if (stmt.user !== ctx.session.user) {
    const denied = requireGod(ctx, 'No permission to change password.');
    if (denied) return fail(denied);
  }
  const bad =
    checkName(stmt.user) ??
    checkPassword(stmt.oldPassword, 'Old password') ??
    checkPassword(stmt.newPassword, 'New password');
  if (bad) return fail(bad);
  if (!userExists(ctx, stmt.user)) return fail(Errors.userNotFound());
  const stored = ctx.meta.catalog().users[stmt.user];
  // A catalog that has not logged root yet still knows root by its default password.
  let matches = stmt.oldPassword === ROOT_DEFAULT_PASSWORD;
  if (stored !== undefined) {
    const verified = await ctx.verifyPassword(stmt.oldPassword, stored.passwordHash);
    if (!verified.ok) return verified;
    matches = verified.value;
  }
  if (!matches) return fail(Errors.executionPlain('Invalid password!'));
  const hashed = await ctx.hashPassword(stmt.newPassword);
  if (!hashed.ok) return hashed;
  // Hashing yielded the event loop: the user may have been dropped meanwhile.
  if (!userExists(ctx, stmt.user)) return fail(Errors.userNotFound());
  ctx.meta.commit({ op: 'putUser', name: stmt.user, passwordHash: hashed.value });
  return ok(undefined);
};

export const showUsers: Executor<'ShowUsers'> = (_stmt, ctx) => {
  const denied = requireGod(ctx, 'No permission to read user.');
  if (denied) return fail(denied);
  const names = new Set([ROOT_USER, ...userNames(ctx.meta.catalog())]);
  return ok(dataSet(['Account'], [...names].sort().map((n) => [n])));
};
