/**
 * Who may apply to a target space (src/engine/sync/DESIGN.md, "Secondary"): the space must exist,
 * the drainer must be one the space added (ADD DRAINER), and the source must be the one source the
 * space receives from. The first source seen is registered in the catalog (`setSyncSource`, first
 * come) with how it maps rows to partitions; any other source, or the same one described
 * otherwise, is refused so that two primaries never write into one space (no fan-in, rule 7) and a
 * snapshot never purges by the wrong partition count. A source whose lineage (what it descends
 * from) passes through the target space itself is refused with E_SYNC_CYCLE before anything is
 * registered: the sync would close a cycle (A -> B -> A) and data would go round for ever. The
 * lineage is recorded with the registered source, and kept current, so this cluster passes it on
 * when the target space is in turn a source (chains). Who was refused for want of a drainer, or
 * for a cycle, is remembered for ADD DRAINER (knocking.ts). Refusals are counted and logged by
 * the applier, once per state change.
 */
import { LINEAGE_LINKS_MAX, lineageHas, lineageText, sameLineage } from '../../../catalog/lineage.ts';
import type { LineageLink, SpaceDesc, SyncSourceDesc } from '../../../catalog/types.ts';
import { limits } from '../../../limits.ts';
import type { Logger } from '../../../log.ts';
import type { MetaStore } from '../../meta/meta-store.ts';
import { positionKey, sourceKey } from '../source-key.ts';
import type { ApplyReplyMsg, ApplyRequestMsg, SourceSpaceMsg } from '../wire.ts';
import { ApplyCode, reply } from './apply-reply.ts';
import { knockingOf } from './knocking.ts';

/** Longest source cluster id or space name accepted (a cluster id is a UUID). */
export const SOURCE_NAME_CHARS_MAX = 256;

/** What an admitted request applies to. */
export interface Admitted {
  readonly space: SpaceDesc;
  /** `positionKey(source)`: the key of every stored position of this source. */
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

/** The lineage a request carries, or why it cannot be one (too long, nameless hops). */
function lineageIn(source: SourceSpaceMsg): { lineage: LineageLink[] } | { problem: string } {
  const links = source.lineage ?? [];
  if (links.length > LINEAGE_LINKS_MAX) return { problem: `a source lineage of ${links.length} hops (at most ${LINEAGE_LINKS_MAX})` };
  const lineage: LineageLink[] = [];
  for (const l of links) {
    const usable = l.cluster_id !== '' && l.space_name !== '' && l.cluster_id.length <= SOURCE_NAME_CHARS_MAX && l.space_name.length <= SOURCE_NAME_CHARS_MAX;
    if (!usable) return { problem: 'a source lineage hop without a usable cluster id and space name' };
    lineage.push({ clusterId: l.cluster_id, space: l.space_name });
  }
  return { lineage };
}

/** Why receiving `source` into `space` of cluster `clusterId` would close a cycle, or undefined. */
function cycleOf(clusterId: string, space: SpaceDesc, source: SourceSpaceMsg, lineage: readonly LineageLink[]): string | undefined {
  const self = source.cluster_id === clusterId && source.space_name === space.name;
  if (!self && !lineageHas(lineage, clusterId, space.name)) return undefined;
  const chain = lineageText([{ clusterId: source.cluster_id, space: source.space_name }, ...lineage]);
  return `SyncCycle: a sync from ${source.cluster_id}/${source.space_name} into \`${space.name}' would close a cycle: the source descends from \`${space.name}' of this cluster (${chain})`;
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
  if (registered.sourceSpaceId !== undefined && registered.sourceSpaceId !== source.space_id) {
    return (
      `source space \`${source.space_name}' was dropped and created again on ${source.cluster_id} (space id ${registered.sourceSpaceId}, now ${source.space_id}); ` +
      'REMOVE DRAINER and ADD DRAINER again on the target space to receive the new one (drop and create the target space as well to start it empty)'
    );
  }
  return undefined;
}

/** Remember that `source` asked to sync into `space` and was refused (ADD DRAINER reads it: knocking.ts). */
function knocked(deps: GuardDeps, space: string, source: SourceSpaceMsg | null | undefined): void {
  if (source === null || source === undefined || source.cluster_id === '' || source.space_name === '') return;
  if (source.cluster_id.length > SOURCE_NAME_CHARS_MAX || source.space_name.length > SOURCE_NAME_CHARS_MAX) return;
  const upstream = lineageIn(source);
  if ('problem' in upstream) return;
  knockingOf(deps.metaStore).heard(space, { clusterId: source.cluster_id, space: source.space_name, lineage: upstream.lineage }, deps.now());
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
    knocked(deps, space.name, req.source);
    return refuse(ApplyCode.E_NO_VALID_DRAINER, `NoValidDrainer: drainer ${req.drainer} was not added to space \`${space.name}'`);
  }
  const problem = sourceProblem(req.source, req.part, schemaSide);
  if (problem !== undefined) return refuse(ApplyCode.E_PART_MISMATCH, `PartMismatch: ${problem}`);
  const source = req.source;
  const upstream = lineageIn(source);
  if ('problem' in upstream) return refuse(ApplyCode.E_DATA_ILLEGAL, `DataIllegal: ${upstream.problem}`);
  const { lineage } = upstream;
  const cycle = cycleOf(deps.metaStore.clusterId, space, source, lineage);
  if (cycle !== undefined) {
    knocked(deps, space.name, source);
    return refuse(ApplyCode.E_SYNC_CYCLE, cycle);
  }
  const key = sourceKey({ clusterId: source.cluster_id, spaceName: source.space_name });
  const registered = Object.hasOwn(catalog.syncSources, space.name) ? catalog.syncSources[space.name] : undefined;
  if (registered !== undefined) {
    const other = otherSource(registered, source, key);
    if (other !== undefined) return refuse(ApplyCode.E_DATA_CONFLICT, `DataConflict: ${other}`);
  }
  // Registered first come; the lineage is kept current (it changes when the source's own
  // upstream does), so what this cluster passes on downstream is the whole chain.
  if (registered === undefined || registered.sourceSpaceId === undefined || !sameLineage(registered.lineage ?? [], lineage)) {
    deps.metaStore.commit(
      {
        op: 'setSyncSource',
        space: space.name,
        clusterId: source.cluster_id,
        sourceSpace: source.space_name,
        sourceSpaceId: source.space_id,
        partitionNum: source.partition_num,
        vidType: source.vid_type,
        lineage,
      },
      deps.now(),
    );
    const what = registered === undefined ? 'target space registered its sync source' : 'the sync source has a new lineage';
    deps.log.info(what, { space: space.name, source: key, lineage: lineageText(lineage) });
  }
  const positions = positionKey({ clusterId: source.cluster_id, spaceName: source.space_name, spaceId: source.space_id });
  return { ok: true, value: { space, key: positions, source, part: req.part } };
}
