/**
 * CREATE SPACE, DROP SPACE, USE, SHOW SPACES, DESCRIBE SPACE and SHOW CREATE SPACE.
 */
import { findSpace, hostPortText, spaceNames } from '../../catalog/lookup.ts';
import { Errors, fail, ok } from '../../errors.ts';
import { dataSet } from '../../value/types.ts';
import { requireGod, requireRead } from '../permissions.ts';
import type { Executor } from '../types.ts';
import { int, optional } from './cells.ts';
import { createSpaceText, newSpaceOf, vidTypeText } from './space-options.ts';

const HOST_NOT_ENOUGH = 'Host not enough!';

export const createSpace: Executor<'CreateSpace'> = (stmt, ctx) => {
  const denied = requireGod(ctx, 'No permission to create space.');
  if (denied) return fail(denied);
  const desc = newSpaceOf(stmt);
  if (!desc.ok) return desc;
  const cat = ctx.meta.catalog();
  if (findSpace(cat, stmt.name) !== undefined) return stmt.ifNotExists ? ok(undefined) : fail(Errors.existed());
  // Every replica needs its own storage host; with none added yet there is nowhere to put a part.
  if (cat.storageHosts.length === 0 || desc.value.replicaFactor > cat.storageHosts.length) {
    return fail(Errors.executionPlain(HOST_NOT_ENOUGH));
  }
  const next = ctx.meta.commit({ op: 'createSpace', space: desc.value });
  const created = findSpace(next, stmt.name);
  if (created === undefined) return fail(Errors.spaceNotFound());
  ctx.storage.openSpace(created.id, created.partitionNum, created.vidType.kind);
  return ok(undefined);
};

export const dropSpace: Executor<'DropSpace'> = (stmt, ctx) => {
  const denied = requireGod(ctx, 'No permission to drop space.');
  if (denied) return fail(denied);
  const cat = ctx.meta.catalog();
  const space = findSpace(cat, stmt.name);
  if (space === undefined) return stmt.ifExists ? ok(undefined) : fail(Errors.spaceNotFound());
  // A target space that a drainer writes into must be released first (REMOVE DRAINER): dropping
  // it under a running sync would lose what was shipped and hide it behind a healthy status.
  const drainers = Object.hasOwn(cat.drainers, space.name) ? cat.drainers[space.name]! : [];
  if (drainers.length > 0) {
    const names = drainers.map((d) => hostPortText(d.host, d.port)).join(', ');
    return fail(Errors.execution('Conflict', `space \`${space.name}' has drainer ${names}; REMOVE DRAINER first`));
  }
  // A space that feeds a listener sync may still go: the sync's catalog entries go with it, and
  // the listener finds the space gone. The space's stored sync positions go with it too (its
  // SQLite file, and the meta store's partition 0 positions), so a space created again under the
  // same name starts its sync from scratch.
  ctx.meta.commit({ op: 'dropSpace', name: stmt.name });
  ctx.storage.dropSpace(space.id);
  return ok(undefined);
};

export const use: Executor<'Use'> = (stmt, ctx) => {
  if (findSpace(ctx.meta.catalog(), stmt.space) === undefined) return fail(Errors.spaceNotFound());
  const denied = requireRead(ctx, stmt.space);
  if (denied) return fail(denied);
  ctx.session.space = stmt.space;
  return ok(undefined);
};

export const showSpaces: Executor<'ShowSpaces'> = (_stmt, ctx) => {
  const cat = ctx.meta.catalog();
  // Only the spaces this user may read are listed, as NebulaGraph does when authorizing.
  const names = spaceNames(cat).filter((name) => requireRead(ctx, name) === undefined);
  return ok(dataSet(['Name'], names.map((n) => [n])));
};

export const describeSpace: Executor<'DescribeSpace'> = (stmt, ctx) => {
  const space = findSpace(ctx.meta.catalog(), stmt.name);
  if (space === undefined) return fail(Errors.spaceNotFound());
  const denied = requireRead(ctx, space.name);
  if (denied) return fail(denied);
  const row = [
    int(space.id),
    space.name,
    int(space.partitionNum),
    int(space.replicaFactor),
    space.charset,
    space.collate,
    vidTypeText(space.vidType),
    optional(space.comment),
  ];
  return ok(
    dataSet(['ID', 'Name', 'Partition Number', 'Replica Factor', 'Charset', 'Collate', 'Vid Type', 'Comment'], [row]),
  );
};

export const showCreateSpace: Executor<'ShowCreateSpace'> = (stmt, ctx) => {
  const space = findSpace(ctx.meta.catalog(), stmt.name);
  if (space === undefined) return fail(Errors.spaceNotFound());
  const denied = requireRead(ctx, space.name);
  if (denied) return fail(denied);
  return ok(dataSet(['Space', 'Create Space'], [[space.name, createSpaceText(space)]]));
};
