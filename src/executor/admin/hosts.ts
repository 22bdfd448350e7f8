/**
 * ADD HOSTS, DROP HOSTS and SHOW HOSTS: the storage hosts a cluster places partitions on, and the
 * registered processes of every role with their liveness.
 */
import type { Catalog, HostRole } from '../../catalog/types.ts';
import { Errors, fail, ok } from '../../errors.ts';
import type { ShowHostsRole } from '../../parser/ast.ts';
import { dataSet } from '../../value/types.ts';
import { requireGod } from '../permissions.ts';
import type { Executor } from '../types.ts';
import { hostKey, int } from './cells.ts';

const NO_PARTITION = 'No valid partition';
const DISTRIBUTION_DELIMITER = ', ';

const ROLE_OF: Readonly<Record<ShowHostsRole, HostRole>> = {
  GRAPH: 'GRAPH',
  META: 'META',
  STORAGE: 'STORAGE',
  'STORAGE LISTENER': 'STORAGE_LISTENER',
  'META LISTENER': 'META_LISTENER',
  DRAINER: 'DRAINER',
};

/**
 * Partitions of every space held by the storage host `key`, by space name. With one replica,
 * partition p of every space lives on the ((p - 1) mod n)-th storage host, the way NebulaGraph
 * spreads a new space's partitions over the hosts it knows; the host is also each one's leader.
 */
export function partitionsOnHost(cat: Catalog, key: string): ReadonlyMap<string, number> {
  const index = cat.storageHosts.indexOf(key);
  const counts = new Map<string, number>();
  if (index < 0) return counts;
  const n = cat.storageHosts.length;
  for (const name of Object.keys(cat.spaces).sort()) {
    const parts = cat.spaces[name].partitionNum;
    // Partitions index, index + n, index + 2n, ... (0-based) fall on this host.
    const count = index < parts ? Math.floor((parts - 1 - index) / n) + 1 : 0;
    if (count > 0) counts.set(name, count);
  }
  return counts;
}

function distributionText(counts: ReadonlyMap<string, number>): string {
  if (counts.size === 0) return NO_PARTITION;
  return [...counts].map(([space, n]) => `${space}:${n}`).join(DISTRIBUTION_DELIMITER);
}

export const addHosts: Executor<'AddHosts'> = (stmt, ctx) => {
  const denied = requireGod(ctx, 'No permission to add hosts.');
  if (denied) return fail(denied);
  const keys = stmt.hosts.map(hostKey);
  if (keys.length === 0) return fail(Errors.semantic('Host is empty'));
  if (new Set(keys).size !== keys.length) return fail(Errors.semantic('Host have duplicated'));
  const known = ctx.meta.catalog().storageHosts;
  if (keys.some((k) => known.includes(k))) return fail(Errors.existed());
  ctx.meta.commit({ op: 'addHosts', hosts: keys });
  return ok(undefined);
};

export const dropHosts: Executor<'DropHosts'> = (stmt, ctx) => {
  const denied = requireGod(ctx, 'No permission to drop hosts.');
  if (denied) return fail(denied);
  const keys = stmt.hosts.map(hostKey);
  if (keys.length === 0) return fail(Errors.semantic('Host is empty'));
  if (new Set(keys).size !== keys.length) return fail(Errors.semantic('Host have duplicated'));
  const cat = ctx.meta.catalog();
  if (keys.some((k) => !cat.storageHosts.includes(k))) return fail(Errors.noHosts());
  // A host that still holds partitions would leave them without a home: NebulaGraph answers
  // E_CONFLICT and asks for the partitions to be moved first.
  if (keys.some((k) => partitionsOnHost(cat, k).size > 0)) return fail(Errors.executionPlain('Conflict!'));
  ctx.meta.commit({ op: 'dropHosts', hosts: keys });
  return ok(undefined);
};

export const showHosts: Executor<'ShowHosts'> = (stmt, ctx) => {
  if (stmt.role !== undefined) {
    const rows = ctx.meta
      .hosts(ROLE_OF[stmt.role])
      .map((h) => [h.host, int(h.port), h.status, h.role, h.gitInfoSha, h.version]);
    return ok(dataSet(['Host', 'Port', 'Status', 'Role', 'Git Info Sha', 'Version'], rows));
  }
  const cat = ctx.meta.catalog();
  const rows = ctx.meta.hosts('STORAGE').map((h) => {
    const parts = partitionsOnHost(cat, hostKey(h));
    const total = [...parts.values()].reduce((a, b) => a + b, 0);
    const text = distributionText(parts);
    return [h.host, int(h.port), h.status, int(total), text, text, h.version];
  });
  return ok(
    dataSet(
      ['Host', 'Port', 'Status', 'Leader count', 'Leader distribution', 'Partition distribution', 'Version'],
      rows,
    ),
  );
};
