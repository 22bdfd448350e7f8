/**
 * Turns the primary's answer to GetAssignment into the parts this listener must ship now, each
 * with a key that changes whenever anything the shipper depends on changes (a recreated space has
 * a new id, a drainer signed in or out, storage hosts moved, the source's lineage changed), so the
 * listener restarts exactly the shippers whose world changed.
 */
import type { AssignmentReplyMsg } from '../wire.ts';
import type { PartAssignment } from './part-context.ts';

export interface PlannedPart {
  /** Identity and configuration of the shipper: equal keys = leave it running. */
  readonly key: string;
  readonly assignment: PartAssignment;
}

export interface AssignmentPlan {
  /** Parts to ship, by key. */
  readonly run: ReadonlyMap<string, PlannedPart>;
  /** Parts assigned but not shipped (STOP SYNC, or no drainer signed in): reported shipping = false. */
  readonly idle: readonly { readonly space: string; readonly part: number; readonly targetSpace: string }[];
  /** Source spaces this listener serves at all (progress of others is forgotten). */
  readonly spaces: ReadonlySet<string>;
}

export function planAssignment(reply: AssignmentReplyMsg, metaAddrs: readonly string[]): AssignmentPlan {
  const run = new Map<string, PlannedPart>();
  const idle: { space: string; part: number; targetSpace: string }[] = [];
  const spaces = new Set<string>();
  for (const a of reply.assignments) {
    if (a.source === null || a.source === undefined) continue;
    const space = a.source.space_name;
    spaces.add(space);
    for (const part of a.parts) {
      if (a.stopped || a.drainers.length === 0) {
        idle.push({ space, part, targetSpace: a.target_space });
        continue;
      }
      const assignment: PartAssignment = {
        source: a.source,
        targetSpace: a.target_space,
        part,
        drainer: a.drainers[part % a.drainers.length]!,
        storageHosts: [...reply.storage_hosts],
        metaAddrs,
      };
      const key = JSON.stringify([
        a.source.cluster_id,
        space,
        a.source.space_id,
        a.source.partition_num,
        part,
        a.target_space,
        assignment.drainer,
        part === 0 ? [] : assignment.storageHosts,
        // A new lineage (the source space began or stopped receiving from elsewhere) must reach
        // the secondary: the shipper starts over and says hello with it.
        (a.source.lineage ?? []).map((l) => `${l.cluster_id}/${l.space_name}`),
      ]);
      run.set(key, { key, assignment });
    }
  }
  return { run, idle, spaces };
}
