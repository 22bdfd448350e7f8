/**
 * CUT on the secondary: stand every source partition exactly at the log id the primary fixed, take
 * one picture of the target space, let the held applies go, then checksum the picture per source
 * partition. The picture's own read of the stored positions decides whether a partition really is
 * at its cut: a partition that is not (it could not catch up in time, or a snapshot is being
 * applied) is answered with the reason instead of a checksum.
 */
import { MetaCode } from '../../../errors.ts';
import { spacePositionKey, type MetaStore } from '../../meta/meta-store.ts';
import type { SpaceStore } from '../../storage/types.ts';
import { backoffMs, sleep } from '../rpc-call.ts';
import { num, type SourceSpaceMsg } from '../wire.ts';
import { PartSums } from './part-sums.ts';
import { schemaNames } from './row-digest.ts';
import { schemaDigest } from './schema-digest.ts';
import type { Picture } from './secondary-verify.ts';
import { scanSpace, type PartPlacement } from './space-scan.ts';
import type { SourceGate } from './verify-gate.ts';
import { VERIFY_BARRIER_WAIT_MS_MAX, VERIFY_POLL_MS_MAX, VERIFY_POLL_MS_MIN } from './verify-limits.ts';
import { verifyFailure, type VerifyPartMsg, type VerifyReplyMsg, type VerifyRequestMsg } from './verify-wire.ts';

export interface CutArgs {
  readonly metaStore: MetaStore;
  readonly store: SpaceStore;
  readonly key: string;
  readonly source: SourceSpaceMsg;
  readonly targetSpace: string;
  readonly gate: SourceGate;
  /** Open the gate: the applies held at their barriers go on. */
  readonly release: () => void;
  readonly req: VerifyRequestMsg;
}

/** How far the schema part (0) and a data part stand right now (live reads, no commit forced). */
function schemaApplied(metaStore: MetaStore, targetSpace: string, key: string): number {
  const catalog = metaStore.catalog();
  const space = Object.hasOwn(catalog.spaces, targetSpace) ? catalog.spaces[targetSpace] : undefined;
  if (space === undefined) return 0;
  // Part 0's position lives under the target space's id, so it goes with a dropped space.
  return metaStore.syncPosition(spacePositionKey(space.id, key), 0)?.appliedLogId ?? 0;
}

function dataApplied(store: SpaceStore, key: string, part: number): { logId: number; snapshot: boolean } {
  const p = store.syncPosition(key, part);
  return { logId: p?.appliedLogId ?? 0, snapshot: p !== undefined && p.snapshotLogId !== null };
}

/** Waits until every part is at its cut (or past it, or in a snapshot) and part 0 caught up; bounded. */
async function waitAtBarriers(a: CutArgs, cuts: ReadonlyMap<number, number>, schemaLogId: number): Promise<void> {
  const deadline = Date.now() + VERIFY_BARRIER_WAIT_MS_MAX;
  for (let attempt = 0; ; attempt++) {
    let settled = schemaApplied(a.metaStore, a.targetSpace, a.key) >= schemaLogId;
    for (const [part, logId] of cuts) {
      if (!settled) break;
      const at = dataApplied(a.store, a.key, part);
      settled = at.logId >= logId || at.snapshot;
    }
    const left = deadline - Date.now();
    if (settled || left <= 0) return;
    await sleep(Math.min(left, backoffMs(attempt, VERIFY_POLL_MS_MIN, VERIFY_POLL_MS_MAX)));
  }
}

function problemOf(applied: number, snapshot: boolean, wanted: number): string {
  if (snapshot) return 'a snapshot of this partition is being applied on the secondary; verify again when it is done';
  if (applied < wanted) {
    return `the secondary applied log id ${applied} of ${wanted} within ${VERIFY_BARRIER_WAIT_MS_MAX} ms (is the sync stopped or behind? see SHOW SYNC STATUS)`;
  }
  if (applied > wanted) return `the secondary had applied log id ${applied}, past the cut at ${wanted}; verify again`;
  return '';
}

export async function cutAndChecksum(a: CutArgs): Promise<{ reply: VerifyReplyMsg; picture?: Picture }> {
  const partitions = a.source.partition_num;
  const cuts = new Map<number, number>();
  for (const c of a.req.cuts) {
    if (!(c.part >= 1 && c.part <= partitions)) return { reply: verifyFailure(MetaCode.E_PART_MISMATCH, `PartMismatch: cut for part ${c.part} of a ${partitions}-partition source`) };
    cuts.set(c.part, num(c.log_id));
  }
  const schemaLogId = num(a.req.schema_log_id);
  a.gate.setBarriers(cuts);
  let view;
  try {
    await waitAtBarriers(a, cuts, schemaLogId);
    view = a.store.readView();
  } finally {
    a.release();
  }
  try {
    // The catalog right after the picture: a schema change between the two would show as a
    // difference of partition 0, never as a false match.
    const catalog = a.metaStore.catalog();
    const space = Object.hasOwn(catalog.spaces, a.targetSpace) ? catalog.spaces[a.targetSpace] : undefined;
    const applied0 = schemaApplied(a.metaStore, a.targetSpace, a.key);
    const schema = schemaDigest(space);
    const positions = view.syncPositions(a.key);
    const sameLayout = space !== undefined && space.partitionNum === partitions && space.vidType.kind === a.source.vid_type;
    const placement: PartPlacement = sameLayout ? { kind: 'own' } : { kind: 'hash', partitions };
    const sums = new PartSums(partitions, a.req.keys);
    const tags = schemaNames(space?.tags ?? {});
    const edges = schemaNames(space?.edges ?? {});
    const scan = await scanSpace({ view, tags, edges, placement, sums });
    const parts: VerifyPartMsg[] = [
      {
        part: 0,
        applied_log_id: applied0,
        rows: schema.rows,
        checksum: schema.checksum,
        problem: applied0 < schemaLogId ? `the secondary applied schema log id ${applied0} of ${schemaLogId} within ${VERIFY_BARRIER_WAIT_MS_MAX} ms` : '',
      },
    ];
    for (let part = 1; part <= partitions; part++) {
      const p = positions.get(part);
      const applied = p?.appliedLogId ?? 0;
      const wanted = cuts.get(part) ?? 0;
      const sum = sums.of(part);
      parts.push({ part, applied_log_id: applied, rows: sum.rows, checksum: sum.checksum, problem: problemOf(applied, p?.snapshotLogId != null, wanted) });
    }
    const reply: VerifyReplyMsg = {
      ...verifyFailure(0, ''),
      parts,
      schemas: a.req.keys ? schema.entries.map((e) => ({ ...e })) : [],
      scanned_rows: scan.rows,
      scan_ms: Math.round(scan.ms),
      scan_cpu_ms: Math.round(scan.cpuMs),
    };
    if (!a.req.keys) {
      view.close();
      return { reply };
    }
    return { reply, picture: { view, sums, tags, edges, placement } };
  } catch (cause) {
    view.close();
    throw cause;
  }
}
