/**
 * Storage.Snapshot: one partition's consistent picture at log id L (`SpaceStore.snapshot`),
 * streamed as chunks of putTag/putEdge ops. Rows are pulled from SQLite one chunk at a time and a
 * chunk is read only once gRPC took the previous one, so a 200,000-row partition never sits in
 * memory. The snapshot (a read transaction) is released at the end and when the caller cancels.
 * A refused partition, or a row that fails its checksum mid-stream, ends the call with DATA_LOSS
 * (`readUndamaged`): the listener gets an error, never the damaged bytes.
 */
import type * as grpc from '@grpc/grpc-js';
import type { DataOp, PartitionSnapshot } from '../../engine/storage/types.ts';
import { encodeWalEntry } from '../../engine/wal/wal-codec.ts';
import type { SnapshotChunkMsg } from '../../engine/sync/wire.ts';
import { callSignal, readUndamaged, writeWithBackpressure } from './primary-tail.ts';

/** Rows per snapshot chunk: each chunk is one WalEntry the secondary applies in one transaction. */
export const SNAPSHOT_CHUNK_ROWS = 500;
/** Term stamped on snapshot chunks (one replica, one term). */
const SNAPSHOT_TERM = 1;

/** Every row of the snapshot as ops, tags first, then edges. */
function* rowsAsOps(snapshot: PartitionSnapshot): IterableIterator<DataOp> {
  for (const t of snapshot.tags()) yield { op: 'putTag', vid: t.vid, tagId: t.tagId, ver: t.ver, props: t.props };
  for (const e of snapshot.edges()) {
    yield { op: 'putEdge', src: e.src, etype: e.etype, rank: e.rank, dst: e.dst, ver: e.ver, props: e.props };
  }
}

function chunkOf(snapshot: PartitionSnapshot, ops: readonly DataOp[], first: boolean, last: boolean): Partial<SnapshotChunkMsg> {
  const rows = encodeWalEntry({ logId: snapshot.logId, term: SNAPSHOT_TERM, ts: snapshot.ts, ops });
  return { log_id: snapshot.logId, ts: snapshot.ts, rows, last, first };
}

/**
 * Open the snapshot with `open`, stream it into `call`, then end it; the snapshot is closed
 * whatever happens.
 */
export async function pumpSnapshot(
  call: grpc.ServerWritableStream<unknown, unknown>,
  open: () => PartitionSnapshot,
  chunkRows = SNAPSHOT_CHUNK_ROWS,
): Promise<void> {
  const snapshot = readUndamaged(call, open);
  if (snapshot === undefined) return;
  const { signal, release } = callSignal(call);
  try {
    let ops: DataOp[] = [];
    const rows = rowsAsOps(snapshot);
    let first = true;
    for (;;) {
      if (signal.aborted) return;
      const next = readUndamaged(call, () => rows.next());
      if (next === undefined) return;
      if (next.done === true) break;
      ops.push(next.value);
      if (ops.length < chunkRows) continue;
      await writeWithBackpressure(call, chunkOf(snapshot, ops, first, false), signal);
      first = false;
      ops = [];
    }
    if (signal.aborted) return;
    // The final chunk says "done" even when the rows divided evenly (it may then carry none).
    call.write(chunkOf(snapshot, ops, first, true));
    call.end();
  } finally {
    snapshot.close();
    release();
  }
}
