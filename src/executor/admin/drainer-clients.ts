/**
 * SIGN IN DRAINER SERVICE, SIGN OUT DRAINER SERVICE and SHOW DRAINER CLIENTS: on the primary, the
 * drainers that the current space's listeners ship to. Registering them is root's business only.
 */
import { Errors, fail, ok } from '../../errors.ts';
import { dataSet } from '../../value/types.ts';
import { requireGod } from '../permissions.ts';
import { currentSpace, readableSpace } from '../space-guard.ts';
import type { ExecContext, Executor } from '../types.ts';
import { int, own } from './cells.ts';
import { distinctHosts, SyncErrors } from './sync-common.ts';
import { cycleThroughDrainers } from './sync-topology.ts';

const alreadySignedIn = (ctx: ExecContext, space: string): boolean =>
  (own(ctx.meta.catalog().drainerClients, space) ?? []).length > 0;

export const signInDrainerService: Executor<'SignInDrainerService'> = async (stmt, ctx) => {
  const denied = requireGod(ctx);
  if (denied) return fail(denied);
  const space = currentSpace(ctx);
  if (!space.ok) return space;
  const bad = distinctHosts(stmt.drainers);
  if (bad) return fail(bad);
  const name = space.value.name;
  if (alreadySignedIn(ctx, name)) return fail(Errors.existed());
  // Under an existing listener sync, the drainers decide where the space's data goes next.
  const sync = own(ctx.meta.catalog().listeners, name);
  if (sync !== undefined) {
    const cycle = await cycleThroughDrainers(ctx, name, sync.targetSpace, stmt.drainers);
    if (cycle) return fail(cycle);
    if (alreadySignedIn(ctx, name)) return fail(Errors.existed());
  }
  ctx.meta.commit({ op: 'signInDrainers', space: name, drainers: stmt.drainers });
  return ok(undefined);
};

export const signOutDrainerService: Executor<'SignOutDrainerService'> = (_stmt, ctx) => {
  const denied = requireGod(ctx);
  if (denied) return fail(denied);
  const space = currentSpace(ctx);
  if (!space.ok) return space;
  const signedIn = own(ctx.meta.catalog().drainerClients, space.value.name);
  if (signedIn === undefined || signedIn.length === 0) return fail(SyncErrors.drainerClientNotFound());
  ctx.meta.commit({ op: 'signOutDrainers', space: space.value.name });
  return ok(undefined);
};

export const showDrainerClients: Executor<'ShowDrainerClients'> = (_stmt, ctx) => {
  const space = readableSpace(ctx);
  if (!space.ok) return space;
  const clients = own(ctx.meta.catalog().drainerClients, space.value.name) ?? [];
  return ok(dataSet(['Type', 'Host', 'Port'], clients.map((d) => ['DRAINER', d.host, int(d.port)])));
};
