/**
 * Who may speak for a partition's progress: the listener that serves it under the current ADD
 * LISTENER SYNC (the meta listener for part 0, the round-robin storage listener for 1..N), or a
 * drainer the target space added (ADD DRAINER). A report from anyone else is ignored, both when it
 * arrives and when it is read, so a stray or made-up report cannot show a partition in sync.
 */
import { findSpace, storageListenerOf } from '../../../catalog/lookup.ts';
import type { Catalog, HostRole, ListenerSyncDesc } from '../../../catalog/types.ts';

export interface ServingHost {
  readonly role: HostRole;
  readonly host: string;
  readonly port: number;
}

/** The listener sync of `space`, if any (catalog records are keyed by names users choose). */
export function listenerSyncOf(cat: Catalog, space: string): ListenerSyncDesc | undefined {
  return Object.hasOwn(cat.listeners, space) ? cat.listeners[space] : undefined;
}

/** The listener that serves `part`: the meta listener for 0, round-robin storage listeners for 1..N. */
export function servingListener(sync: ListenerSyncDesc, part: number): ServingHost {
  if (part === 0) return { role: 'META_LISTENER', host: sync.meta.host, port: sync.meta.port };
  const addr = storageListenerOf(sync, part);
  return { role: 'STORAGE_LISTENER', host: addr.host, port: addr.port };
}

/** Whether `host:port` in `role` serves `part` of primary space `space` now. */
export function listenerServes(cat: Catalog, role: HostRole, host: string, port: number, space: string, part: number): boolean {
  const sync = listenerSyncOf(cat, space);
  const desc = findSpace(cat, space);
  if (sync === undefined || desc === undefined || !Number.isInteger(part) || part < 0 || part > desc.partitionNum) return false;
  if (part > 0 && sync.storage.length === 0) return false;
  const who = servingListener(sync, part);
  return who.role === role && who.host === host && who.port === port;
}

/** Whether target space `space` added the drainer at `host:port`. */
export function drainerServes(cat: Catalog, host: string, port: number, space: string): boolean {
  const drainers = Object.hasOwn(cat.drainers, space) ? cat.drainers[space] : undefined;
  return drainers !== undefined && drainers.some((d) => d.host === host && d.port === port);
}

/** Whether a report stamped with `spaceId` is about the space that has this name now. */
export function sameSpace(cat: Catalog, space: string, spaceId: number | undefined): boolean {
  return spaceId === undefined || findSpace(cat, space)?.id === spaceId;
}

/** Whether a progress report of `role` from `host:port` may speak for `part` of `space`. */
export function reporterServes(cat: Catalog, role: HostRole, host: string, port: number, space: string, part: number): boolean {
  return role === 'DRAINER' ? drainerServes(cat, host, port, space) : listenerServes(cat, role, host, port, space, part);
}
