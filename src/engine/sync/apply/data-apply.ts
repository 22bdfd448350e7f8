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
import { holdFor, type AtBarrier } from '../verify/verify-gate.ts';
import type { TurnSlicer } from '../turn-slicer.ts';

/** The ops a batch's entries come to on the target (`split`: where the verify hold falls), or the refusal. */
type Decoded = { readonly ops: DataOp[]; readonly split: number; readonly heldTs: number } | { readonly refusal: ApplyReplyMsg };

/**
 * Decode and translate the entries of `batch` above `done`: the synchronous bulk of an apply, which
 * the caller runs through its TurnSlicer so that reads get turns in between.
 */
function decodeBatch(a: Admitted, batch: WalBatchMsg, range: { first: number; last: number; done: number }, position: SyncPosition | undefined, holdLogId: number | undefined): Decoded {
  const { first, last, done } = range;
  const map = schemaMapOf(a.space);
  const ops: DataOp[] = [];
  let previous = first - 1;
  let split = 0;
  let heldTs = 0;
  for (const bytes of batch.entries) {
    const decoded = tryDecodeWalEntry(bytes, { lazyProps: true });
    if (!decoded.ok) return { refusal: reply(ApplyCode.E_DATA_ILLEGAL, `DataIllegal: ${decoded.reason}`, position) };
    const entry = decoded.entry;
    // A data batch carries every log id of its range: a hole inside it is a gap too (rule 4).
    if (entry.logId !== previous + 1 || entry.logId > last) {
      return { refusal: reply(ApplyCode.E_DATA_ILLEGAL, `DataIllegal: entry ${entry.logId} breaks the run of batch [${first}, ${last}] after ${previous}`, position) };
    }
    previous = entry.logId;
    if (entry.logId <= done) continue;
    if (entry.logId === holdLogId) heldTs = entry.ts;
    if (entry.logId - 1 === holdLogId) split = ops.length;
    const translated = translateOps(map, entry.ops, ops);
    if (translated.kind === 'pending') return { refusal: reply(ApplyCode.E_SCHEMA_PENDING, `SchemaPending: ${translated.reason}`, position) };
    if (translated.kind === 'illegal') return { refusal: reply(ApplyCode.E_DATA_ILLEGAL, `DataIllegal: ${translated.reason}`, position) };
  }
  if (previous !== last) {
    return { refusal: reply(ApplyCode.E_DATA_ILLEGAL, `DataIllegal: batch [${first}, ${last}] ends at entry ${previous}`, position) };
  }
  return { ops, split, heldTs };
}

export async function applyDataBatch(a: Admitted, store: SpaceStore, batch: WalBatchMsg, turns: TurnSlicer, atBarrier: AtBarrier): Promise<ApplyReplyMsg> {
  // A VERIFY SYNC may hold this partition at a log id (src/engine/sync/verify/verify-gate.ts).
  const hold = await holdFor(store, a.key, a.part);
  const position = store.syncPosition(a.key, a.part);
  if (position !== undefined && position.snapshotLogId !== null) {
    // Rows of this source partition are half replaced: only finishing the snapshot repairs them.
    return reply(ApplyCode.E_LOG_GAP, `LogGap: a snapshot of part ${a.part} is in progress; send it again`, position);
  }
  const range = triageBatch(position, batch, 'data');
  if ('reply' in range) return range.reply;
  const { last, done } = range;
  const decoded = await turns.run(() => decodeBatch(a, batch, range, position, hold?.logId));
  if ('refusal' in decoded) return decoded.refusal;
  const { ops, split, heldTs } = decoded;
  const next: SyncPosition = { source: a.key, part: a.part, appliedLogId: last, appliedTs: num(batch.last_ts), snapshotLogId: null };
  let rest = ops;
  if (hold !== undefined && hold.logId >= done && hold.logId < last) {
    // The batch crosses the barrier: apply up to it, stand there until the verify lets go (or,
    // as an item of a shared message, answer so and be sent again: verify-gate.ts, AtBarrier).
    const atHold: SyncPosition = { ...next, appliedLogId: hold.logId, appliedTs: heldTs };
    if (hold.logId > done) await turns.run(() => store.write(ops.slice(0, split), { position: atHold }));
    if (atBarrier === 'answer') {
      const message = `VerifyHold: part ${a.part} stands at log id ${hold.logId} for a VERIFY SYNC; send the rest again`;
      return reply(ApplyCode.E_VERIFY_HOLD, message, hold.logId > done ? atHold : position);
    }
    await hold.pass();
    rest = ops.slice(split);
  }
  // Encoding for the writer thread is the other synchronous bulk: it takes its turn too.
  await turns.run(() => store.write(rest, { position: next }));
  return applied(next);
}
