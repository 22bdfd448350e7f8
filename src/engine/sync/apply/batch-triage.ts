/**
 * The checks every batch goes through before anything of it is applied, data or schema (DESIGN
 * rules 3 and 4, docs/sync-trust.md): its range must be a range of log ids below 2^53 with a
 * usable ts; a data batch carries exactly one entry per log id and no schema changes, a schema
 * batch carries no entries; a batch starting after `applied + 1` is a gap, and one wholly at or
 * below `applied` is a replay that only answers the position. A refused batch changes nothing.
 */
import type { SyncPosition } from '../../storage/types.ts';
import { num, type ApplyReplyMsg, type WalBatchMsg } from '../wire.ts';
import { ApplyCode, applied, appliedOf, reply } from './apply-reply.ts';

/** Whether `n` is a log id or a ts we can hold exactly: an integer in [0, 2^53). */
export const isLogNumber = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

/** The gap refusal: says where the target stands so the listener can resume there. */
export function gapReply(position: SyncPosition | undefined, first: number): ApplyReplyMsg {
  const at = appliedOf(position).logId;
  return reply(ApplyCode.E_LOG_GAP, `LogGap: batch starts at log id ${first}, the target applied up to ${at}`, position);
}

/** Checks a batch's range: [first, last] with 1 <= first <= last < 2^53. */
export function rangeProblem(first: number, last: number): string | undefined {
  if (!isLogNumber(first) || !isLogNumber(last) || first < 1 || last < first) {
    return `DataIllegal: batch range [${first}, ${last}] is not a range of log ids`;
  }
  return undefined;
}

/** What a batch of each side must carry beside its range. */
function shapeProblem(batch: WalBatchMsg, first: number, last: number, side: 'data' | 'schema'): string | undefined {
  const entries = batch.entries?.length ?? 0;
  const changes = batch.schema_changes?.length ?? 0;
  if (side === 'schema') return entries > 0 ? `DataIllegal: a schema batch carries ${entries} raw entries; it may carry schema changes only` : undefined;
  if (changes > 0) return `DataIllegal: a data batch carries ${changes} schema changes`;
  if (entries !== last - first + 1) return `DataIllegal: batch [${first}, ${last}] carries ${entries} entries, not one per log id`;
  return undefined;
}

/**
 * A malformed batch is illegal, a batch starting after `applied + 1` is a gap, one wholly at or
 * below `applied` a replay. Otherwise the range to apply and what is already applied.
 */
export function triageBatch(
  position: SyncPosition | undefined,
  batch: WalBatchMsg,
  side: 'data' | 'schema',
): { readonly reply: ApplyReplyMsg } | { readonly first: number; readonly last: number; readonly done: number } {
  const first = num(batch.first_log_id);
  const last = num(batch.last_log_id);
  const lastTs = num(batch.last_ts);
  const problem =
    rangeProblem(first, last) ??
    (isLogNumber(lastTs) ? undefined : `DataIllegal: batch ts ${String(batch.last_ts)} is not a time`) ??
    shapeProblem(batch, first, last, side);
  if (problem !== undefined) return { reply: reply(ApplyCode.E_DATA_ILLEGAL, problem, position) };
  const done = appliedOf(position).logId;
  if (first > done + 1) return { reply: gapReply(position, first) };
  if (last <= done) return { reply: applied(position) };
  return { first, last, done };
}
