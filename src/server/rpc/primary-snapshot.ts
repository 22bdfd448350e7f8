/**
 * Storage.Snapshot: one partition's consistent picture at log id L (`SpaceStore.snapshot`),
 * streamed as chunks of putTag/putEdge ops. Rows are pulled from SQLite one chunk at a time and a
 * chunk is read only once gRPC took the previous one, so a 200,000-row partition never sits in
 * memory. A chunk ends at SNAPSHOT_CHUNK_ROWS rows or once it holds SNAPSHOT_CHUNK_BYTES_MAX
 * encoded bytes, whichever comes first (at least one row each): rows with large strings make
 * small chunks, and a chunk stays within what the drainer and the secondary receive. The
 * snapshot (a read transaction) is released at the end and when the caller cancels.
 * A refused partition, or a row that fails its checksum mid-stream, ends the call with DATA_LOSS
 * (`readUndamaged`): the listener gets an error, never the damaged bytes.
 */
import type * as grpc from '@grpc/grpc-js';
import type { DataOp, PartitionSnapshot } from '../../engine/storage/types.ts';
import { encodeProps } from '../../engine/wal/value-codec.ts';
import { EntryBuilder, putEdgeWithEncodedProps, putTagWithEncodedProps } from '../../engine/wal/wal-codec.ts';
import type { SnapshotChunkMsg } from '../../engine/sync/wire.ts';
import { callSignal, readUndamaged, writeWithBackpressure } from './primary-tail.ts';

/** Rows per snapshot chunk: each chunk is one WalEntry the secondary applies in one transaction. */
export const SNAPSHOT_CHUNK_ROWS = 500;
/** Encoded bytes after which a chunk ends (it may pass this by its last row). */
export const SNAPSHOT_CHUNK_BYTES_MAX = 1024 * 1024;
/** Term stamped on snapshot chunks (one replica, one term). */
const SNAPSHOT_TERM = 1;

/** Every row of the snapshot as ops, tags first, then edges; props go as stored, never decoded. */
function* rowsAsOps(snapshot: PartitionSnapshot): IterableIterator<DataOp> {
  for (const t of snapshot.tags()) yield putTagWithEncodedProps(t.vid, t.tagId, t.ver, t.encodedProps ?? encodeProps(t.props));
  for (const e of snapshot.edges()) {
    yield putEdgeWithEncodedProps(e.src, e.etype, e.rank, e.dst, e.ver, e.encodedProps ?? encodeProps(e.props));
  }
}

function chunkOf(snapshot: PartitionSnapshot, rows: EntryBuilder, first: boolean, last: boolean): Partial<SnapshotChunkMsg> {
  return { log_id: snapshot.logId, ts: snapshot.ts, rows: rows.take(snapshot.logId, SNAPSHOT_TERM, snapshot.ts), last, first };
}

/**
 * Open the snapshot with `open`, stream it into `call`, then end it; the snapshot is closed
 * whatever happens.
 */
export async function pumpSnapshot(
  call: grpc.ServerWritableStream<unknown, unknown>,
  open: () => PartitionSnapshot,
  chunkRows = SNAPSHOT_CHUNK_ROWS,
  chunkBytes = SNAPSHOT_CHUNK_BYTES_MAX,
): Promise<void> {
  const snapshot = readUndamaged(call, open);
  if (snapshot === undefined) return;
  const { signal, release } = callSignal(call);
  try {
    const chunk = new EntryBuilder();
    const rows = rowsAsOps(snapshot);
    let first = true;
    for (;;) {
      if (signal.aborted) return;
      const next = readUndamaged(call, () => rows.next());
      if (next === undefined) return;
      if (next.done === true) break;
      chunk.add(next.value);
      if (chunk.count < chunkRows && chunk.bytes < chunkBytes) continue;
      await writeWithBackpressure(call, chunkOf(snapshot, chunk, first, false), signal);
      first = false;
    }
    if (signal.aborted) return;
    // The final chunk says "done" even when the rows divided evenly (it may then carry none).
    call.write(chunkOf(snapshot, chunk, first, true));
    call.end();
  } finally {
    snapshot.close();
    release();
  }
}
