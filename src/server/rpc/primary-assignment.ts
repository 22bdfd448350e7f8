/**
 * Meta.GetAssignment: what a listener (or, asked of a secondary, a drainer) must serve, computed
 * from one catalog snapshot so that SHOW LISTENER SYNC and the processes agree on who ships what.
 */
import { lineageOf } from '../../catalog/lineage.ts';
import { storageListenerOf } from '../../catalog/lookup.ts';
import type { Catalog, HostAddr, SpaceDesc } from '../../catalog/types.ts';
import type { AssignmentMsg, AssignmentReplyMsg, SourceSpaceMsg } from '../../engine/sync/wire.ts';

/** Bytes of an INT64 vid: what SourceSpace.vid_length says for INT64 spaces. */
const INT64_VID_BYTES = 8;

export interface AssignmentQuery {
  readonly role: string;
  readonly host: string;
  readonly port: number;
}

function same(addr: HostAddr, host: string, port: number): boolean {
  return addr.host === host && addr.port === port;
}

/** The replication name and shape of a primary space. */
export function sourceSpaceOf(clusterId: string, space: SpaceDesc): SourceSpaceMsg {
  return {
    cluster_id: clusterId,
    space_name: space.name,
    space_id: space.id,
    partition_num: space.partitionNum,
    vid_type: space.vidType.kind,
    vid_length: space.vidType.kind === 'FIXED_STRING' ? space.vidType.length : INT64_VID_BYTES,
  };
}

/** The partitions of `space` that the listener at host:port serves for `role`. */
function partsFor(cat: Catalog, space: SpaceDesc, q: AssignmentQuery): number[] {
  const sync = Object.hasOwn(cat.listeners, space.name) ? cat.listeners[space.name] : undefined;
  if (sync === undefined) return [];
  if (q.role === 'META_LISTENER') return same(sync.meta, q.host, q.port) ? [0] : [];
  if (q.role !== 'STORAGE_LISTENER' || sync.storage.length === 0) return [];
  const parts: number[] = [];
  for (let part = 1; part <= space.partitionNum; part++) {
    if (same(storageListenerOf(sync, part), q.host, q.port)) parts.push(part);
  }
  return parts;
}

function listenerAssignments(cat: Catalog, clusterId: string, q: AssignmentQuery): AssignmentMsg[] {
  const out: AssignmentMsg[] = [];
  for (const space of Object.values(cat.spaces)) {
    const parts = partsFor(cat, space, q);
    if (parts.length === 0) continue;
    const sync = cat.listeners[space.name]!;
    const drainers = Object.hasOwn(cat.drainerClients, space.name) ? cat.drainerClients[space.name]! : [];
    // The space's lineage goes with it, so the secondary can refuse a sync that closes a cycle.
    const lineage = lineageOf(cat, space.name).map((l) => ({ cluster_id: l.clusterId, space_name: l.space }));
    out.push({
      source: { ...sourceSpaceOf(clusterId, space), lineage },
      target_space: sync.targetSpace,
      parts,
      drainers: drainers.map((d) => `${d.host}:${d.port}`),
      stopped: sync.stopped,
    });
  }
  return out;
}

/** Target spaces that added the drainer at host:port (ADD DRAINER), asked of a secondary. */
function drainerAssignments(cat: Catalog, q: AssignmentQuery): AssignmentMsg[] {
  const out: AssignmentMsg[] = [];
  for (const [space, drainers] of Object.entries(cat.drainers)) {
    if (!drainers.some((d) => same(d, q.host, q.port))) continue;
    out.push({ source: null, target_space: space, parts: [], drainers: [], stopped: false });
  }
  return out;
}

/** The whole reply; roles other than the three sync roles get an empty assignment list. */
export function assignmentReply(cat: Catalog, clusterId: string, q: AssignmentQuery): AssignmentReplyMsg {
  const assignments = q.role === 'DRAINER' ? drainerAssignments(cat, q) : listenerAssignments(cat, clusterId, q);
  return { code: 0, message: '', assignments, storage_hosts: [...cat.storageHosts], cluster_id: clusterId };
}
