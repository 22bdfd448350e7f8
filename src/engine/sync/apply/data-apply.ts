/**
 * A data batch from one source partition onto the target space (DESIGN rules 3 and 4): after the
 * checks of batch-triage.ts, entries at or below the stored position are skipped (a replay
 * converges), and the rest is written through the target's normal write path with the new
 * position in the same transaction. The reply goes out once that is durable.
 */
import type { SpaceStore, DataOp, SyncPosition } from '../../storage/types.ts';
import { tryDecodeWalEntry } from '../../wal/wal-codec.ts';
import { num, type ApplyReplyMsg, type WalBatchMsg } from '../wire.ts';
import type { Admitted } from './apply-guard.ts';
import { ApplyCode, applied, reply } from './apply-reply.ts';
import { triageBatch } from './batch-triage.ts';
import { schemaMapOf, translateOps } from './op-translate.ts';
import { holdFor } from '../verify/verify-gate.ts';

export async function applyDataBatch(a: Admitted, store: SpaceStore, batch: WalBatchMsg): Promise<ApplyReplyMsg> {
  // A VERIFY SYNC may hold this partition at a log id (src/engine/sync/verify/verify-gate.ts).
  const hold = await holdFor(store, a.key, a.part);
  const position = store.syncPosition(a.key, a.part);
  if (position !== undefined && position.snapshotLogId !== null) {
    // Rows of this source partition are half replaced: only finishing the snapshot repairs them.
    return reply(ApplyCode.E_LOG_GAP, `LogGap: a snapshot of part ${a.part} is in progress; send it again`, position);
  }
  const range = triageBatch(position, batch, 'data');
  if ('reply' in range) return range.reply;
  const { first, last, done } = range;

  const map = schemaMapOf(a.space);
  const ops: DataOp[] = [];
  let previous = first - 1;
  let split = 0;
  let heldTs = 0;
  for (const bytes of batch.entries) {
    const decoded = tryDecodeWalEntry(bytes);
    if (!decoded.ok) return reply(ApplyCode.E_DATA_ILLEGAL, `DataIllegal: ${decoded.reason}`, position);
    const entry = decoded.entry;
    // A data batch carries every log id of its range: a hole inside it is a gap too (rule 4).
    if (entry.logId !== previous + 1 || entry.logId > last) {
      return reply(ApplyCode.E_DATA_ILLEGAL, `DataIllegal: entry ${entry.logId} breaks the run of batch [${first}, ${last}] after ${previous}`, position);
    }
    previous = entry.logId;
    if (entry.logId <= done) continue;
    if (entry.logId === hold?.logId) heldTs = entry.ts;
    if (entry.logId - 1 === hold?.logId) split = ops.length;
    const translated = translateOps(map, entry.ops, ops);
    if (translated.kind === 'pending') return reply(ApplyCode.E_SCHEMA_PENDING, `SchemaPending: ${translated.reason}`, position);
    if (translated.kind === 'illegal') return reply(ApplyCode.E_DATA_ILLEGAL, `DataIllegal: ${translated.reason}`, position);
  }
  if (previous !== last) {
    return reply(ApplyCode.E_DATA_ILLEGAL, `DataIllegal: batch [${first}, ${last}] ends at entry ${previous}`, position);
  }
  const next: SyncPosition = { source: a.key, part: a.part, appliedLogId: last, appliedTs: num(batch.last_ts), snapshotLogId: null };
  let rest = ops;
  if (hold !== undefined && hold.logId >= done && hold.logId < last) {
    // The batch crosses the barrier: apply up to it, stand there until the verify lets go.
    if (hold.logId > done) {
      await store.write(ops.slice(0, split), { position: { ...next, appliedLogId: hold.logId, appliedTs: heldTs } });
    }
    await hold.pass();
    rest = ops.slice(split);
  }
  await store.write(rest, { position: next });
  return applied(next);
}
