/**
 * Partition 0's session: tail the primary's meta link from the drainer's position + 1 and forward
 * what it carries. The primary computes the synced space's schema changes itself
 * (Meta.TailMetaWal): each batch covers a contiguous log id range and carries only that space's
 * tag and edge changes as full images, never raw meta entries, so users, hosts or password hashes
 * never reach a listener. Ranges are re-gathered into shipped batches like data entries.
 */
import type { PositionMsg, WalBatchMsg } from '../wire.ts';
import { num } from '../wire.ts';
import { BatchBuilder } from './batch-builder.ts';
import { SHIP_PENDING_BATCHES_MAX } from './listener-limits.ts';
import { cancelOnAbort, pickAddr, type PartContext } from './part-context.ts';
import { serverStream } from './rpc-clients.ts';
import { TailEnded, type ShipSession } from './ship-session.ts';

/** Runs until the session fails (the meta tail is endless). */
export async function shipMeta(ctx: PartContext, session: ShipSession, position: PositionMsg): Promise<never> {
  const source = ctx.assignment.source;
  let expected = num(position.applied_log_id) + 1;
  const builder = new BatchBuilder();
  session.setSource({
    take: () => {
      const batch = builder.take();
      return batch === undefined ? undefined : { batch };
    },
    pending: () => builder.pending(),
  });
  const client = ctx.clients.get('Meta', pickAddr(ctx.assignment.metaAddrs, ctx.attempt(), 'meta addresses'));
  const tail = serverStream<WalBatchMsg>(client, 'TailMetaWal', { space_id: source.space_id, from_log_id: expected });
  const unlink = cancelOnAbort(tail, session.signal);
  try {
    for await (const batch of tail as AsyncIterable<WalBatchMsg>) {
      const first = num(batch.first_log_id);
      const last = num(batch.last_log_id);
      if (batch.entries.length > 0) throw new Error('the primary sent raw meta entries; it must run the same version as this listener');
      if (first !== expected || last < first) throw new Error(`meta tail skipped from ${expected} to [${first}, ${last}]`);
      builder.addRange(first, last, num(batch.last_ts), undefined, batch.schema_changes);
      expected = last + 1;
      builder.setSourceEnd(num(batch.source_last_log_id), num(batch.source_last_ts));
      session.kick();
      await session.waitUntil(() => builder.pending() <= SHIP_PENDING_BATCHES_MAX);
    }
    throw new TailEnded('the primary ended the meta tail');
  } catch (err) {
    throw session.error ?? err;
  } finally {
    unlink();
    tail.cancel();
  }
}
