/**
 * A snapshot chunk of one source partition at log id L (DESIGN rule 5). The first chunk (flagged
 * `first`) of a new snapshot purges what the target holds of that source partition, in the same
 * write as its rows, and marks the snapshot in progress (`snapshotLogId = L`); later chunks add
 * rows; the last one sets applied = L and clears the mark. Rows deleted on the source during a gap
 * therefore do not come back, and a snapshot cut short is started again (the hello answers
 * needs_snapshot).
 *
 * A chunk that does not follow the stored position is refused and changes nothing: a snapshot
 * below what is applied (E_LOG_STALE: it would roll rows back), a continuation with no snapshot
 * in progress or of another L than the one in progress (E_LOG_GAP), a log id or ts that is not
 * one (E_DATA_ILLEGAL). A chunk of a snapshot that already completed answers the position.
 */
import type { DataOp, SpaceStore, SyncPosition } from '../../storage/types.ts';
import { tryDecodeWalEntry } from '../../wal/wal-codec.ts';
import type { TurnSlicer } from '../turn-slicer.ts';
import { num, type ApplyReplyMsg, type SnapshotChunkMsg } from '../wire.ts';
import type { Admitted } from './apply-guard.ts';
import { ApplyCode, applied, appliedOf, reply } from './apply-reply.ts';
import { isLogNumber } from './batch-triage.ts';
import { schemaMapOf, translateOps } from './op-translate.ts';
import { purgeSourcePart, PURGING_MARK } from './partition-purge.ts';
import { holdSnapshot, snapshotHeld, type AtBarrier } from '../verify/verify-gate.ts';

/** Why `chunk` does not follow `position`, as a refusal; undefined when it does (or is a replay). */
function sequenceProblem(position: SyncPosition | undefined, chunk: SnapshotChunkMsg, at: number): ApplyReplyMsg | 'replay' | undefined {
  const done = appliedOf(position).logId;
  const inProgress = position?.snapshotLogId ?? null;
  // A retried chunk of a snapshot that completed (its answer was lost): purging again would drop
  // the rows of the chunks before it, so it only answers the position.
  if (inProgress === null && done > 0 && at === done) return 'replay';
  if (chunk.first === true) {
    if (at < done) return reply(ApplyCode.E_LOG_STALE, `LogStale: snapshot at log id ${at} is older than the applied ${done}`, position);
    return undefined;
  }
  if (inProgress === null) return reply(ApplyCode.E_LOG_GAP, `LogGap: a chunk of a snapshot at ${at} continues no snapshot in progress`, position);
  if (inProgress !== at) {
    const what = inProgress === PURGING_MARK ? 'a snapshot whose purge did not finish' : `the snapshot in progress at ${inProgress}`;
    return reply(ApplyCode.E_LOG_GAP, `LogGap: a chunk of a snapshot at ${at} does not continue ${what}`, position);
  }
  return undefined;
}

/** The target's rows of a chunk at `at`, or the refusal: the synchronous bulk, run as a TurnSlicer piece. */
function decodeChunk(a: Admitted, chunk: SnapshotChunkMsg, at: number, position: SyncPosition | undefined): { readonly rows: DataOp[] } | { readonly refusal: ApplyReplyMsg } {
  const rows: DataOp[] = [];
  if (chunk.rows.length === 0) return { rows };
  const decoded = tryDecodeWalEntry(chunk.rows, { lazyProps: true });
  if (!decoded.ok) return { refusal: reply(ApplyCode.E_DATA_ILLEGAL, `DataIllegal: ${decoded.reason}`, position) };
  if (decoded.entry.logId !== at) {
    return { refusal: reply(ApplyCode.E_DATA_ILLEGAL, `DataIllegal: snapshot rows of log id ${decoded.entry.logId} in a chunk at ${at}`, position) };
  }
  if (decoded.entry.ops.some((op) => op.op !== 'putTag' && op.op !== 'putEdge')) {
    return { refusal: reply(ApplyCode.E_DATA_ILLEGAL, 'DataIllegal: a snapshot chunk carries rows only (putTag / putEdge)', position) };
  }
  const translated = translateOps(schemaMapOf(a.space), decoded.entry.ops, rows);
  if (translated.kind === 'pending') return { refusal: reply(ApplyCode.E_SCHEMA_PENDING, `SchemaPending: ${translated.reason}`, position) };
  if (translated.kind === 'illegal') return { refusal: reply(ApplyCode.E_DATA_ILLEGAL, `DataIllegal: ${translated.reason}`, position) };
  return { rows };
}

export async function applySnapshotChunk(a: Admitted, store: SpaceStore, chunk: SnapshotChunkMsg, turns: TurnSlicer, atBarrier: AtBarrier): Promise<ApplyReplyMsg> {
  // A snapshot moves the partition to a log id of its own: never while a VERIFY SYNC holds it.
  if (atBarrier === 'wait') await holdSnapshot(store, a.key, a.part);
  else if (await snapshotHeld(store, a.key, a.part)) {
    const message = `VerifyHold: part ${a.part} is held for a VERIFY SYNC; send the snapshot chunk again`;
    return reply(ApplyCode.E_VERIFY_HOLD, message, store.syncPosition(a.key, a.part));
  }
  const position = store.syncPosition(a.key, a.part);
  const at = num(chunk.log_id);
  const ts = num(chunk.ts);
  if (!isLogNumber(at) || !isLogNumber(ts)) {
    return reply(ApplyCode.E_DATA_ILLEGAL, `DataIllegal: snapshot log id ${String(chunk.log_id)} / ts ${String(chunk.ts)}`, position);
  }
  const problem = sequenceProblem(position, chunk, at);
  if (problem === 'replay') return applied(position);
  if (problem !== undefined) return problem;

  const decoded = await turns.run(() => decodeChunk(a, chunk, at, position));
  if ('refusal' in decoded) return decoded.refusal;
  const { rows } = decoded;

  const done = appliedOf(position);
  const base = { source: a.key, part: a.part };
  let ops = rows;
  if (chunk.first === true) {
    const marking: SyncPosition = { ...base, appliedLogId: done.logId, appliedTs: done.ts, snapshotLogId: PURGING_MARK };
    const lastDeletes = await purgeSourcePart(store, a.source, a.part, marking);
    ops = lastDeletes.length === 0 ? rows : [...lastDeletes, ...rows];
  }
  const next: SyncPosition = chunk.last
    ? { ...base, appliedLogId: at, appliedTs: ts, snapshotLogId: null }
    : { ...base, appliedLogId: done.logId, appliedTs: done.ts, snapshotLogId: at };
  await turns.run(() => store.write(ops, { position: next }));
  return applied(next);
}
