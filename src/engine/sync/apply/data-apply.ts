/**
 * A data batch from one source partition onto the target space (DESIGN rules 3 and 4): entries at
 * or below the stored position are skipped (a replay converges), a batch that starts after
 * `applied + 1` is refused as a gap, and the rest is written through the target's normal write
 * path with the new position in the same transaction. The reply goes out once that is durable.
 */
import type { SpaceStore, DataOp, SyncPosition } from '../../storage/types.ts';
import { tryDecodeWalEntry } from '../../wal/wal-codec.ts';
import { num, type ApplyReplyMsg, type WalBatchMsg } from '../wire.ts';
import type { Admitted } from './apply-guard.ts';
import { ApplyCode, applied, appliedOf, reply } from './apply-reply.ts';
import { schemaMapOf, translateOps } from './op-translate.ts';

/** The gap refusal: says where the target stands so the listener can resume there. */
export function gapReply(position: SyncPosition | undefined, first: number): ApplyReplyMsg {
  const at = appliedOf(position).logId;
  return reply(ApplyCode.E_LOG_GAP, `LogGap: batch starts at log id ${first}, the target applied up to ${at}`, position);
}

/** Checks a batch's range: [first, last] with 1 <= first <= last. */
export function rangeProblem(first: number, last: number): string | undefined {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || first < 1 || last < first) {
    return `DataIllegal: batch range [${first}, ${last}] is not a range of log ids`;
  }
  return undefined;
}

export async function applyDataBatch(a: Admitted, store: SpaceStore, batch: WalBatchMsg): Promise<ApplyReplyMsg> {
  const position = store.syncPosition(a.key, a.part);
  if (position !== undefined && position.snapshotLogId !== null) {
    // Rows of this source partition are half replaced: only finishing the snapshot repairs them.
    return reply(ApplyCode.E_LOG_GAP, `LogGap: a snapshot of part ${a.part} is in progress; send it again`, position);
  }
  const first = num(batch.first_log_id);
  const last = num(batch.last_log_id);
  const problem = rangeProblem(first, last);
  if (problem !== undefined) return reply(ApplyCode.E_DATA_ILLEGAL, problem, position);
  const done = appliedOf(position).logId;
  if (first > done + 1) return gapReply(position, first);
  if (last <= done) return applied(position);

  const map = schemaMapOf(a.space);
  const ops: DataOp[] = [];
  let previous = first - 1;
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
    const translated = translateOps(map, entry.ops, ops);
    if (translated.kind === 'pending') return reply(ApplyCode.E_SCHEMA_PENDING, `SchemaPending: ${translated.reason}`, position);
    if (translated.kind === 'illegal') return reply(ApplyCode.E_DATA_ILLEGAL, `DataIllegal: ${translated.reason}`, position);
  }
  if (previous !== last) {
    return reply(ApplyCode.E_DATA_ILLEGAL, `DataIllegal: batch [${first}, ${last}] ends at entry ${previous}`, position);
  }
  const next: SyncPosition = { source: a.key, part: a.part, appliedLogId: last, appliedTs: num(batch.last_ts), snapshotLogId: null };
  await store.write(ops, { position: next });
  return applied(next);
}
