/**
 * Schema changes of the synced space onto the target's catalog (part 0). Each change is a full
 * image of a tag or edge type, committed as `syncSchema` / `syncDropSchema` on the TARGET space
 * with the position in the same meta transaction; the batch's end is stored afterwards, since a
 * meta batch covers entries about other things that carry no change here. Every change is checked
 * before any is committed (ids, versions, names, props): a bad batch changes nothing.
 */
import type { MetaOp, PropDef, SchemaKind } from '../../../catalog/types.ts';
import { decodeJson } from '../../meta/meta-codec.ts';
import type { MetaStore } from '../../meta/meta-store.ts';
import type { SyncPosition } from '../../storage/types.ts';
import { num, type ApplyReplyMsg, type SchemaChangeMsg, type WalBatchMsg } from '../wire.ts';
import type { Admitted } from './apply-guard.ts';
import { ApplyCode, applied, reply } from './apply-reply.ts';
import { isLogNumber, triageBatch } from './batch-triage.ts';

/** Longest tag or edge name a change may carry (NebulaGraph names are far shorter). */
export const SCHEMA_NAME_CHARS_MAX = 256;
/** Most props one schema image may carry. */
export const SCHEMA_PROPS_MAX = 4_096;
const INT32_MAX = 2 ** 31 - 1;

/** Whether `value` looks like PropDef[]: each a named prop with a named type. */
function propsProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'are not a list';
  if (value.length > SCHEMA_PROPS_MAX) return `are more than ${SCHEMA_PROPS_MAX}`;
  for (const p of value as unknown[]) {
    const prop = p as { name?: unknown; type?: { name?: unknown } } | null;
    if (prop === null || typeof prop !== 'object' || typeof prop.name !== 'string' || prop.name === '') return 'name a prop without a name';
    if (typeof prop.type !== 'object' || prop.type === null || typeof prop.type.name !== 'string') return `give ${prop.name} no type`;
  }
  return undefined;
}

/** The meta op for one change, or the reason it cannot be one. */
export function schemaOpOf(space: string, change: SchemaChangeMsg): MetaOp | string {
  if (change.kind !== 'TAG' && change.kind !== 'EDGE') return `unknown schema kind '${change.kind}'`;
  if (change.name === '' || change.name.length > SCHEMA_NAME_CHARS_MAX) return 'a schema change without a usable name';
  if (!Number.isInteger(change.source_id) || change.source_id < 1 || change.source_id > INT32_MAX) return `source id ${change.source_id} of ${change.name}`;
  if (!Number.isInteger(change.version) || change.version < 0) return `version ${change.version} of ${change.name}`;
  const kind: SchemaKind = change.kind;
  if (change.dropped) return { op: 'syncDropSchema', space, kind, name: change.name, sourceId: change.source_id };
  let props: readonly PropDef[];
  try {
    props = decodeJson<readonly PropDef[]>(change.props_json === '' ? '[]' : change.props_json);
  } catch (cause) {
    return `props of ${change.name} are not meta-codec JSON: ${(cause as Error).message}`;
  }
  const problem = propsProblem(props);
  if (problem !== undefined) return `props of ${change.name} ${problem}`;
  const op = { op: 'syncSchema', space, kind, name: change.name, sourceId: change.source_id, version: change.version, props } as const;
  return change.comment === '' ? op : { ...op, comment: change.comment };
}

/** Apply a schema batch; `positionKey` is where part 0's position of this target and source lives. */
export function applySchemaBatch(a: Admitted, metaStore: MetaStore, positionKey: string, now: number, batch: WalBatchMsg): ApplyReplyMsg {
  const position = metaStore.syncPosition(positionKey, 0);
  const range = triageBatch(position, batch, 'schema');
  if ('reply' in range) return range.reply;
  const { first, last, done } = range;

  const changes = [...batch.schema_changes].sort((x, y) => num(x.log_id) - num(y.log_id));
  const ops: { op: MetaOp; position: SyncPosition }[] = [];
  for (const change of changes) {
    const logId = num(change.log_id);
    if (!isLogNumber(logId) || logId < first || logId > last) {
      return reply(ApplyCode.E_DATA_ILLEGAL, `DataIllegal: schema change ${String(change.log_id)} is outside batch [${first}, ${last}]`, position);
    }
    if (!isLogNumber(num(change.ts))) return reply(ApplyCode.E_DATA_ILLEGAL, `DataIllegal: schema change ts ${String(change.ts)}`, position);
    if (logId <= done) continue;
    const op = schemaOpOf(a.space.name, change);
    if (typeof op === 'string') return reply(ApplyCode.E_DATA_ILLEGAL, `DataIllegal: ${op}`, position);
    ops.push({ op, position: { source: positionKey, part: 0, appliedLogId: logId, appliedTs: num(change.ts), snapshotLogId: null } });
  }
  for (const { op, position: at } of ops) metaStore.commit(op, now, at);
  const next: SyncPosition = { source: positionKey, part: 0, appliedLogId: last, appliedTs: num(batch.last_ts), snapshotLogId: null };
  metaStore.setSyncPosition(next);
  return applied(next);
}
