/**
 * Schema changes of the synced space onto the target's catalog (part 0). Each change is a full
 * image of a tag or edge type, committed as `syncSchema` / `syncDropSchema` on the TARGET space
 * with the position in the same meta transaction; the batch's end is stored afterwards, since a
 * meta batch covers entries about other things that carry no change here.
 */
import type { MetaOp, PropDef, SchemaKind } from '../../../catalog/types.ts';
import { decodeJson } from '../../meta/meta-codec.ts';
import type { MetaStore } from '../../meta/meta-store.ts';
import type { SyncPosition } from '../../storage/types.ts';
import { num, type ApplyReplyMsg, type SchemaChangeMsg, type WalBatchMsg } from '../wire.ts';
import type { Admitted } from './apply-guard.ts';
import { ApplyCode, applied, reply } from './apply-reply.ts';
import { triageBatch } from './data-apply.ts';

/** The meta op for one change, or the reason it cannot be one. */
export function schemaOpOf(space: string, change: SchemaChangeMsg): MetaOp | string {
  if (change.kind !== 'TAG' && change.kind !== 'EDGE') return `unknown schema kind '${change.kind}'`;
  if (change.name === '') return 'a schema change without a name';
  const kind: SchemaKind = change.kind;
  if (change.dropped) return { op: 'syncDropSchema', space, kind, name: change.name, sourceId: change.source_id };
  let props: readonly PropDef[];
  try {
    props = decodeJson<readonly PropDef[]>(change.props_json === '' ? '[]' : change.props_json);
  } catch (cause) {
    return `props of ${change.name} are not meta-codec JSON: ${(cause as Error).message}`;
  }
  if (!Array.isArray(props)) return `props of ${change.name} are not a list`;
  const op = { op: 'syncSchema', space, kind, name: change.name, sourceId: change.source_id, version: change.version, props } as const;
  return change.comment === '' ? op : { ...op, comment: change.comment };
}

export function applySchemaBatch(a: Admitted, metaStore: MetaStore, now: number, batch: WalBatchMsg): ApplyReplyMsg {
  const position = metaStore.syncPosition(a.key, 0);
  const range = triageBatch(position, batch);
  if ('reply' in range) return range.reply;
  const { first, last, done } = range;

  // Every change is checked before any is committed: a bad batch changes nothing.
  const changes = [...batch.schema_changes].sort((x, y) => num(x.log_id) - num(y.log_id));
  const ops: { op: MetaOp; position: SyncPosition }[] = [];
  for (const change of changes) {
    const logId = num(change.log_id);
    if (logId < first || logId > last) {
      return reply(ApplyCode.E_DATA_ILLEGAL, `DataIllegal: schema change ${logId} is outside batch [${first}, ${last}]`, position);
    }
    if (logId <= done) continue;
    const op = schemaOpOf(a.space.name, change);
    if (typeof op === 'string') return reply(ApplyCode.E_DATA_ILLEGAL, `DataIllegal: ${op}`, position);
    ops.push({ op, position: { source: a.key, part: 0, appliedLogId: logId, appliedTs: num(change.ts), snapshotLogId: null } });
  }
  for (const { op, position: at } of ops) metaStore.commit(op, now, at);
  const next: SyncPosition = { source: a.key, part: 0, appliedLogId: last, appliedTs: num(batch.last_ts), snapshotLogId: null };
  metaStore.setSyncPosition(next);
  return applied(next);
}
