/**
 * Partition 0's session: replay the primary's whole meta WAL (from log id 1) into a shadow
 * catalog, and ship, for the entries after the drainer's position, batches whose ranges cover
 * every entry and whose schema changes are the synced space's tags and edges as full images.
 * Entries about users, hosts or other spaces never leave the primary; they only widen a range.
 */
import { apply } from '../../../catalog/apply.ts';
import { emptyCatalog } from '../../../catalog/empty.ts';
import { decodeMetaEntry } from '../../meta/meta-codec.ts';
import type { PositionMsg, WalBatchMsg } from '../wire.ts';
import { num } from '../wire.ts';
import { BatchBuilder } from './batch-builder.ts';
import { SHIP_PENDING_BATCHES_MAX } from './listener-limits.ts';
import { cancelOnAbort, pickAddr, type PartContext } from './part-context.ts';
import { serverStream } from './rpc-clients.ts';
import { schemaChangesOf } from './schema-changes.ts';
import type { ShipSession } from './ship-session.ts';

/** Runs until the session fails (the meta tail is endless). */
export async function shipMeta(ctx: PartContext, session: ShipSession, position: PositionMsg): Promise<never> {
  const source = ctx.assignment.source;
  const applied = num(position.applied_log_id);
  const builder = new BatchBuilder();
  session.setSource({
    take: () => {
      const batch = builder.take();
      return batch === undefined ? undefined : { batch };
    },
    pending: () => builder.pending(),
  });
  const client = ctx.clients.get('Meta', pickAddr(ctx.assignment.metaAddrs, ctx.attempt(), 'meta addresses'));
  const tail = serverStream<WalBatchMsg>(client, 'TailMetaWal', { space_id: source.space_id, from_log_id: 1 });
  const unlink = cancelOnAbort(tail, session.signal);
  let shadow = emptyCatalog();
  try {
    for await (const batch of tail as AsyncIterable<WalBatchMsg>) {
      const first = num(batch.first_log_id);
      if (first !== shadow.logId + 1) throw new Error(`meta WAL tail skipped from ${shadow.logId + 1} to ${first}`);
      for (const bytes of batch.entries) {
        const entry = decodeMetaEntry(bytes.toString('utf8'));
        if (entry.logId !== shadow.logId + 1) throw new Error(`meta WAL entry ${entry.logId} out of order`);
        const before = shadow;
        shadow = apply(shadow, entry);
        if (entry.logId > applied) builder.add(entry.logId, entry.ts, undefined, schemaChangesOf(before, shadow, entry, source));
      }
      builder.setSourceEnd(num(batch.source_last_log_id), num(batch.source_last_ts));
      session.kick();
      await session.waitUntil(() => builder.pending() <= SHIP_PENDING_BATCHES_MAX);
    }
    throw new Error('the primary ended the meta WAL tail');
  } catch (err) {
    throw session.error ?? err;
  } finally {
    unlink();
    tail.cancel();
  }
}
