/**
 * Who may do what (NebulaGraph's role model). Executors call one of these before they act.
 *
 * GOD (root) may do everything. In a space: ADMIN manages the space's schema, data and the roles
 * of its users; DBA manages schema and data; USER reads and writes data; GUEST reads. With
 * `enable_authorize=false` every check passes, as in NebulaGraph.
 */
import type { RoleName } from '../parser/ast.ts';
import { Errors, type NgError } from '../errors.ts';
import type { ExecContext } from './types.ts';

export const ROOT_USER = 'root';

const RANK: Readonly<Record<RoleName, number>> = { GOD: 5, ADMIN: 4, DBA: 3, USER: 2, GUEST: 1 };

/** The user's role in `space`: GOD for root, undefined when the user has none there. */
export function roleIn(ctx: ExecContext, space: string | undefined): RoleName | undefined {
  const user = ctx.session.user;
  if (user === ROOT_USER) return 'GOD';
  if (space === undefined) return undefined;
  const roles = ctx.meta.catalog().roles[space];
  const role = roles?.[user];
  if (role !== undefined) return role;
  // A GOD role granted anywhere makes the user GOD everywhere.
  for (const perSpace of Object.values(ctx.meta.catalog().roles)) if (perSpace[user] === 'GOD') return 'GOD';
  return undefined;
}

function atLeast(ctx: ExecContext, space: string | undefined, min: RoleName, what: string): NgError | undefined {
  if (!ctx.config.enableAuthorize) return undefined;
  const role = roleIn(ctx, space);
  if (role !== undefined && RANK[role] >= RANK[min]) return undefined;
  return Errors.permission(what);
}

/** Root only: CREATE/DROP SPACE, users, hosts, SIGN IN/OUT DRAINER SERVICE, SET VARIABLES. */
export const requireGod = (ctx: ExecContext, what = 'No permission to write space.'): NgError | undefined =>
  atLeast(ctx, undefined, 'GOD', what);
/** GOD or the space's ADMIN: GRANT/REVOKE in that space. */
export const requireAdmin = (ctx: ExecContext, space: string, what = 'No permission to grant/revoke.'): NgError | undefined =>
  atLeast(ctx, space, 'ADMIN', what);
/** GOD, ADMIN, DBA: schema changes, ADD/REMOVE LISTENER SYNC, ADD/REMOVE DRAINER, STOP/RESTART SYNC, jobs. */
export const requireDba = (ctx: ExecContext, space: string, what = 'No permission to write schema.'): NgError | undefined =>
  atLeast(ctx, space, 'DBA', what);
/** Data writes: GOD, ADMIN, DBA, USER. */
export const requireWriteData = (ctx: ExecContext, space: string): NgError | undefined =>
  atLeast(ctx, space, 'USER', 'No permission to write data.');
/** Reads of a space (and USE): any role in it. */
export const requireRead = (ctx: ExecContext, space: string, what = 'No permission to read space.'): NgError | undefined =>
  atLeast(ctx, space, 'GUEST', what);
