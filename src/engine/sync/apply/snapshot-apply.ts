/**
 * A snapshot chunk of one source partition at log id L (DESIGN rule 5). The first chunk of a new
 * snapshot purges what the target holds of that source partition, in the same write as its rows,
 * and marks the snapshot in progress (`snapshotLogId = L`); later chunks add rows; the last one
 * sets applied = L and clears the mark. Rows deleted on the source during a gap therefore do not
 * come back, and a snapshot cut short is started again (the hello answers needs_snapshot).
 */
import type { DataOp, SpaceStore, SyncPosition } from '../../storage/types.ts';
import { tryDecodeWalEntry } from '../../wal/wal-codec.ts';
import { num, type ApplyReplyMsg, type SnapshotChunkMsg } from '../wire.ts';
import type { Admitted } from './apply-guard.ts';
import { ApplyCode, applied, appliedOf, reply } from './apply-reply.ts';
import { schemaMapOf, translateOps } from './op-translate.ts';
import { purgeSourcePart, PURGING_MARK } from './partition-purge.ts';
import { holdSnapshot } from '../verify/verify-gate.ts';

export async function applySnapshotChunk(a: Admitted, store: SpaceStore, chunk: SnapshotChunkMsg): Promise<ApplyReplyMsg> {
  // A snapshot moves the partition to a log id of its own: never while a VERIFY SYNC holds it.
  await holdSnapshot(store, a.key, a.part);
  const position = store.syncPosition(a.key, a.part);
  const at = num(chunk.log_id);
  const ts = num(chunk.ts);
  if (!Number.isSafeInteger(at) || at < 0) return reply(ApplyCode.E_DATA_ILLEGAL, `DataIllegal: snapshot log id ${at}`, position);
  const done = appliedOf(position);
  const inProgress = position?.snapshotLogId ?? null;
  // A chunk of a snapshot that already completed (a retry whose answer was lost): purging again
  // would drop the rows of the chunks before it.
  if (inProgress === null && done.logId > 0 && at <= done.logId) return applied(position);

  const rows: DataOp[] = [];
  if (chunk.rows.length > 0) {
    const decoded = tryDecodeWalEntry(chunk.rows);
    if (!decoded.ok) return reply(ApplyCode.E_DATA_ILLEGAL, `DataIllegal: ${decoded.reason}`, position);
    const translated = translateOps(schemaMapOf(a.space), decoded.entry.ops, rows);
    if (translated.kind === 'pending') return reply(ApplyCode.E_SCHEMA_PENDING, `SchemaPending: ${translated.reason}`, position);
    if (translated.kind === 'illegal') return reply(ApplyCode.E_DATA_ILLEGAL, `DataIllegal: ${translated.reason}`, position);
  }

  const base = { source: a.key, part: a.part };
  let ops = rows;
  if (inProgress !== at) {
    const marking: SyncPosition = { ...base, appliedLogId: done.logId, appliedTs: done.ts, snapshotLogId: PURGING_MARK };
    const lastDeletes = await purgeSourcePart(store, a.source, a.part, marking);
    ops = lastDeletes.length === 0 ? rows : [...lastDeletes, ...rows];
  }
  const next: SyncPosition = chunk.last
    ? { ...base, appliedLogId: at, appliedTs: ts, snapshotLogId: null }
    : { ...base, appliedLogId: done.logId, appliedTs: done.ts, snapshotLogId: at };
  await store.write(ops, { position: next });
  return applied(next);
}
