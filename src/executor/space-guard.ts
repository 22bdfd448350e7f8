/**
 * The checks almost every executor starts with: is a space chosen, does it still exist, may this
 * session write to it. Kept in one place so the wording is the same everywhere.
 */
import type { SpaceDesc } from '../catalog/types.ts';
import { Errors, fail, ok, type Result } from '../errors.ts';
import { requireDba, requireRead, requireWriteData } from './permissions.ts';
import type { ExecContext } from './types.ts';

/** The session's current space, or `Space was not chosen` / `SpaceNotFound`. */
export function currentSpace(ctx: ExecContext): Result<SpaceDesc> {
  const name = ctx.session.space;
  if (name === undefined) return fail(Errors.spaceNotChosen());
  const space = ctx.meta.catalog().spaces[name];
  if (space === undefined) return fail(Errors.spaceNotFound());
  return ok(space);
}

/** The current space for a read by this session. */
export function readableSpace(ctx: ExecContext): Result<SpaceDesc> {
  const space = currentSpace(ctx);
  if (!space.ok) return space;
  const denied = requireRead(ctx, space.value.name);
  return denied ? fail(denied) : space;
}

/** The current space for a client data write (DML): permission, then read_only (DESIGN rule 6). */
export function dataWritableSpace(ctx: ExecContext): Result<SpaceDesc> {
  const space = currentSpace(ctx);
  if (!space.ok) return space;
  const denied = requireWriteData(ctx, space.value.name);
  if (denied) return fail(denied);
  if (space.value.readOnly) return fail(Errors.readOnly(space.value.name));
  return space;
}

/** The current space for a client schema change (DDL): permission, then read_only. */
export function schemaWritableSpace(ctx: ExecContext): Result<SpaceDesc> {
  const space = currentSpace(ctx);
  if (!space.ok) return space;
  const denied = requireDba(ctx, space.value.name);
  if (denied) return fail(denied);
  if (space.value.readOnly) return fail(Errors.readOnly(space.value.name));
  return space;
}
