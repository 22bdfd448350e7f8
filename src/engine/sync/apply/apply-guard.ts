/**
 * Who may apply to a target space (src/engine/sync/DESIGN.md, "Secondary"): the space must exist,
 * the drainer must be one the space added (ADD DRAINER), and the source must be the one source the
 * space receives from. The first source seen is registered in the catalog (`setSyncSource`, first
 * come) with how it maps rows to partitions; any other source, or the same one described
 * otherwise, is refused so that two primaries never write into one space (no fan-in, rule 7) and a
 * snapshot never purges by the wrong partition count. Refusals are counted and logged by the
 * applier, once per state change.
 */
import type { SpaceDesc, SyncSourceDesc } from '../../../catalog/types.ts';
import { limits } from '../../../limits.ts';
import type { Logger } from '../../../log.ts';
import type { MetaStore } from '../../meta/meta-store.ts';
import { sourceKey } from '../source-key.ts';
import type { ApplyReplyMsg, ApplyRequestMsg, SourceSpaceMsg } from '../wire.ts';
import { ApplyCode, reply } from './apply-reply.ts';

/** Longest source cluster id or space name accepted (a cluster id is a UUID). */
export const SOURCE_NAME_CHARS_MAX = 256;

/** What an admitted request applies to. */
export interface Admitted {
  readonly space: SpaceDesc;
  /** `sourceKey(source)`: the key of every stored position of this source. */
  readonly key: string;
  readonly source: SourceSpaceMsg;
  readonly part: number;
}

export type Admission = { readonly ok: true; readonly value: Admitted } | { readonly ok: false; readonly reply: ApplyReplyMsg };

export interface GuardDeps {
  readonly metaStore: MetaStore;
  readonly now: () => number;
  readonly log: Logger;
}

const refuse = (code: number, message: string): Admission => ({ ok: false, reply: reply(code, message, undefined) });

/** Whether the source description is usable at all (names, partition count, vid type, part). */
function sourceProblem(source: SourceSpaceMsg | null | undefined, part: number, schemaSide: boolean): string | undefined {
  if (source === null || source === undefined || source.cluster_id === '' || source.space_name === '') {
    return 'the request names no source cluster and space';
  }
  if (source.cluster_id.length > SOURCE_NAME_CHARS_MAX || source.space_name.length > SOURCE_NAME_CHARS_MAX) {
    return `source names longer than ${SOURCE_NAME_CHARS_MAX} characters`;
  }
  if (source.vid_type !== 'INT64' && source.vid_type !== 'FIXED_STRING') return `unknown source vid type '${source.vid_type}'`;
  if (!(source.partition_num >= 1 && source.partition_num <= limits.partitionNumMax)) {
    return `source partition count ${source.partition_num} is not in 1..${limits.partitionNumMax}`;
  }
  if (schemaSide ? part !== 0 : !(part >= 1 && part <= source.partition_num)) {
    return `part ${part} is not a ${schemaSide ? 'schema (0)' : `data (1..${source.partition_num})`} partition of the source`;
  }
  return undefined;
}

/** Why `source` is not the `registered` one, or undefined when it is. */
function otherSource(registered: SyncSourceDesc, source: SourceSpaceMsg, key: string): string | undefined {
  const registeredKey = sourceKey({ clusterId: registered.clusterId, spaceName: registered.sourceSpace });
  if (registeredKey !== key) return `target space receives from ${registeredKey} already`;
  if (registered.partitionNum !== undefined && registered.partitionNum !== source.partition_num) {
    return `source ${key} has ${registered.partitionNum} partitions, not ${source.partition_num}`;
  }
  if (registered.vidType !== undefined && registered.vidType !== source.vid_type) {
    return `source ${key} has vid type ${registered.vidType}, not ${source.vid_type}`;
  }
  return undefined;
}

/**
 * Admit `req` for the data side (`schemaSide` false: parts 1..N) or the schema side (part 0),
 * registering its source when the target has none yet.
 */
export function admit(deps: GuardDeps, req: ApplyRequestMsg, schemaSide: boolean): Admission {
  const catalog = deps.metaStore.catalog();
  const space = Object.hasOwn(catalog.spaces, req.target_space) ? catalog.spaces[req.target_space] : undefined;
  if (space === undefined) {
    return refuse(ApplyCode.E_SPACE_NOT_FOUND, `SpaceNotFound: Space \`${req.target_space}' not existed!`);
  }
  const drainers = Object.hasOwn(catalog.drainers, space.name) ? catalog.drainers[space.name]! : [];
  if (!drainers.some((d) => `${d.host}:${d.port}` === req.drainer)) {
    return refuse(ApplyCode.E_NO_VALID_DRAINER, `NoValidDrainer: drainer ${req.drainer} was not added to space \`${space.name}'`);
  }
  const problem = sourceProblem(req.source, req.part, schemaSide);
  if (problem !== undefined) return refuse(ApplyCode.E_PART_MISMATCH, `PartMismatch: ${problem}`);
  const source = req.source;
  const key = sourceKey({ clusterId: source.cluster_id, spaceName: source.space_name });
  const registered = Object.hasOwn(catalog.syncSources, space.name) ? catalog.syncSources[space.name] : undefined;
  if (registered === undefined) {
    deps.metaStore.commit(
      {
        op: 'setSyncSource',
        space: space.name,
        clusterId: source.cluster_id,
        sourceSpace: source.space_name,
        partitionNum: source.partition_num,
        vidType: source.vid_type,
      },
      deps.now(),
    );
    deps.log.info('target space registered its sync source', { space: space.name, source: key });
  } else {
    const other = otherSource(registered, source, key);
    if (other !== undefined) return refuse(ApplyCode.E_DATA_CONFLICT, `DataConflict: ${other}`);
  }
  return { ok: true, value: { space, key, source, part: req.part } };
}
