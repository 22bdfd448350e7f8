/**
 * A data partition's session once the drainer answered its position: tail the primary's WAL from
 * applied + 1 and ship it; when the WAL no longer holds that (retention, `gone`) or the secondary
 * asks for it (`needs_snapshot`), ship a snapshot at L first and tail from L + 1 (DESIGN rule 5).
 */
import type { PositionMsg, SnapshotChunkMsg, ShipRequestMsg, WalBatchMsg } from '../wire.ts';
import { num } from '../wire.ts';
import { BatchBuilder, walEntryTs } from './batch-builder.ts';
import { SHIP_PENDING_BATCHES_MAX } from './listener-limits.ts';
import { cancelOnAbort, pickAddr, type PartContext } from './part-context.ts';
import { serverStream } from './rpc-clients.ts';
import { TailEnded, type ShipSession } from './ship-session.ts';

/** Runs until the session fails (it never ends on its own: the tail is endless). */
export async function shipData(ctx: PartContext, session: ShipSession, position: PositionMsg): Promise<never> {
  let from = num(position.applied_log_id) + 1;
  let snapshot = position.needs_snapshot;
  for (;;) {
    if (snapshot) {
      await shipSnapshot(ctx, session);
      from = ctx.ackedLogId() + 1;
    }
    await shipTail(ctx, session, from);
    snapshot = true;
  }
}

function storageClient(ctx: PartContext) {
  return ctx.clients.get('Storage', pickAddr(ctx.assignment.storageHosts, ctx.attempt(), 'storage hosts (ADD HOSTS)'));
}

/** Ship the tail from `from`; resolves only when the primary answered `gone`. */
async function shipTail(ctx: PartContext, session: ShipSession, from: number): Promise<void> {
  const { source, part } = ctx.assignment;
  const builder = new BatchBuilder();
  session.setSource({ take: () => wrapBatch(builder.take()), pending: () => builder.pending() });
  const tail = serverStream<WalBatchMsg>(storageClient(ctx), 'TailWal', { space_id: source.space_id, part, from_log_id: from });
  const unlink = cancelOnAbort(tail, session.signal);
  let expected = from;
  try {
    for await (const batch of tail as AsyncIterable<WalBatchMsg>) {
      if (batch.gone) {
        ctx.log.info('WAL gone on the primary; full sync by snapshot', { from, retainedFirstLogId: num(batch.retained_first_log_id) });
        await session.drained();
        return;
      }
      const first = num(batch.first_log_id);
      if (first !== expected) throw new Error(`WAL tail skipped from ${expected} to ${first}`);
      batch.entries.forEach((entry, i) => builder.add(first + i, walEntryTs(entry), entry));
      expected = first + batch.entries.length;
      builder.setSourceEnd(num(batch.source_last_log_id), num(batch.source_last_ts));
      session.kick();
      await session.waitUntil(() => builder.pending() <= SHIP_PENDING_BATCHES_MAX);
    }
    throw new TailEnded('the primary ended the WAL tail');
  } catch (err) {
    throw session.error ?? err;
  } finally {
    unlink();
    tail.cancel();
  }
}

function wrapBatch(batch: WalBatchMsg | undefined): ShipRequestMsg | undefined {
  return batch === undefined ? undefined : { batch };
}

/** Ship a snapshot of the partition, chunk by chunk in the same window; resolves once all are acknowledged. */
async function shipSnapshot(ctx: PartContext, session: ShipSession): Promise<void> {
  const { source, part } = ctx.assignment;
  ctx.log.info('snapshot started');
  const queue: ShipRequestMsg[] = [];
  session.setSource({ take: () => queue.shift(), pending: () => queue.length });
  const stream = serverStream<SnapshotChunkMsg>(storageClient(ctx), 'Snapshot', { space_id: source.space_id, part });
  const unlink = cancelOnAbort(stream, session.signal);
  let logId = -1;
  let chunks = 0;
  try {
    for await (const chunk of stream as AsyncIterable<SnapshotChunkMsg>) {
      queue.push({ snapshot: chunk });
      chunks += 1;
      session.kick();
      await session.waitUntil(() => queue.length <= SHIP_PENDING_BATCHES_MAX);
      if (chunk.last) {
        logId = num(chunk.log_id);
        break;
      }
    }
    if (logId < 0) throw new Error('the snapshot stream ended before its last chunk');
    await session.drained();
  } catch (err) {
    throw session.error ?? err;
  } finally {
    unlink();
    stream.cancel();
  }
  ctx.log.info('snapshot finished', { logId, chunks, acked: ctx.ackedLogId() });
}
