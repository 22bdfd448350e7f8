/**
 * Before a snapshot of source partition p replaces what the target holds of it, every target row
 * that came from p goes: tag rows whose vid, and edges whose src, hash to p with the SOURCE's
 * partition count and vid type (NebulaGraph's mapping, partition-of.ts). The target partitions
 * that can hold such rows (`partsHolding`: one when the partition counts are equal, else all) are
 * scanned through consistent snapshots, streaming, and the deletes are written in bounded
 * batches so a large partition never sits in memory whole.
 */
import { partOfInt, partOfString } from '../../storage/partition-of.ts';
import type { DataOp, SpaceStore, SyncPosition, Vid } from '../../storage/types.ts';
import type { SourceSpaceMsg } from '../wire.ts';

/** Deletes written per transaction while purging. */
export const PURGE_BATCH_OPS = 5_000;

/**
 * `snapshotLogId` stored while a purge is under way: never a real log id, so a snapshot that
 * starts again at the same L still counts as new and purges again.
 */
export const PURGING_MARK = -1;

/** The source partition of `vid`, or undefined when the vid is not of the source's kind. */
export function sourcePartOf(vid: Vid, source: SourceSpaceMsg): number | undefined {
  if (source.vid_type === 'INT64') return typeof vid === 'bigint' ? partOfInt(vid, source.partition_num) : undefined;
  return typeof vid === 'string' ? partOfString(vid, source.partition_num) : undefined;
}

/**
 * The target partitions that can hold rows of source partition `part`. A row's partition is its
 * vid's hash modulo the partition count, the same function on both clusters (partition-of.ts):
 * with as many partitions as the source, a row of source part p can only be in the target's
 * partition p (a vid of the other kind belongs to no source part), so only that one is scanned.
 * Otherwise rows of p are spread over all of them.
 */
function partsHolding(store: SpaceStore, source: SourceSpaceMsg, part: number): number[] {
  if (store.partitionNum === source.partition_num) return [part];
  return Array.from({ length: store.partitionNum }, (_, i) => i + 1);
}

/**
 * Delete every target row of source partition `part`. Full batches are written here with
 * `marking` (a position whose snapshotLogId is PURGING_MARK); the last, partial batch is returned
 * so the caller commits it together with the snapshot's first rows and position.
 */
export async function purgeSourcePart(
  store: SpaceStore,
  source: SourceSpaceMsg,
  part: number,
  marking: SyncPosition,
): Promise<DataOp[]> {
  let pending: DataOp[] = [];
  const flushIfFull = async () => {
    if (pending.length < PURGE_BATCH_OPS) return;
    const batch = pending;
    pending = [];
    await store.write(batch, { position: marking });
  };
  for (const p of partsHolding(store, source, part)) {
    const picture = store.snapshot(p);
    try {
      for (const row of picture.tags()) {
        if (sourcePartOf(row.vid, source) !== part) continue;
        pending.push({ op: 'deleteTag', vid: row.vid, tagId: row.tagId });
        await flushIfFull();
      }
      for (const row of picture.edges()) {
        if (sourcePartOf(row.src, source) !== part) continue;
        pending.push({ op: 'deleteEdge', src: row.src, etype: row.etype, rank: row.rank, dst: row.dst });
        await flushIfFull();
      }
    } finally {
      picture.close();
    }
  }
  return pending;
}
