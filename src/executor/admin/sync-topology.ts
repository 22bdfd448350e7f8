/**
 * The topology a sync statement would make, checked before it commits anything: a sync that would
 * close a cycle, and listener addresses given in each other's place. Each check answers the error
 * to refuse with, or undefined; the statement then changes nothing.
 *
 * Cycles (src/engine/sync/DESIGN.md, "Cycles"): a space's lineage (what it descends from, through
 * the sources its cluster registered) and the sources refused lately when they asked to sync into
 * a space (with their lineages) are known here; which cluster a drainer writes to only the drainer
 * knows, so it is asked, with a short deadline, and only when the answer could decide. A drainer
 * that does not answer is no reason to refuse: the secondary's apply-time check (E_SYNC_CYCLE)
 * still holds.
 */
import { lineageHas, lineageOf, lineageText } from '../../catalog/lineage.ts';
import type { HostAddr } from '../../catalog/types.ts';
import type { DrainerFacts, KnockingSource } from '../../engine/sync/drainer-probe.ts';
import { Errors, type NgError } from '../../errors.ts';
import type { ExecContext } from '../types.ts';
import { hostKey, own } from './cells.ts';

const conflict = (message: string): NgError => Errors.execution('Conflict', message);

/** Every drainer's answer (undefined for those that did not answer), asked at once. */
async function probeAll(ctx: ExecContext, drainers: readonly HostAddr[]): Promise<(DrainerFacts | undefined)[]> {
  const peers = ctx.peers;
  if (peers === undefined) return drainers.map(() => undefined);
  return Promise.all(drainers.map((d) => peers.probeDrainer(d)));
}

/**
 * ADD LISTENER SYNC's META address must be a meta listener and its STORAGE addresses storage
 * listeners ("Do not mix them up"): an address this cluster hears from in the other role (SHOW
 * HOSTS ... LISTENER), and not in the right one, is refused.
 */
export function swappedListeners(ctx: ExecContext, meta: HostAddr, storage: readonly HostAddr[]): NgError | undefined {
  const heard = (role: 'META_LISTENER' | 'STORAGE_LISTENER', h: HostAddr, online: boolean) =>
    ctx.meta.hosts(role).some((x) => x.host === h.host && x.port === h.port && (!online || x.status === 'ONLINE'));
  if (heard('STORAGE_LISTENER', meta, false) && !heard('META_LISTENER', meta, true)) {
    return conflict(
      `${hostKey(meta)} is a storage listener (SHOW HOSTS STORAGE LISTENER), not a meta listener. ` +
        'Do not mix them up: ADD LISTENER SYNC META <meta listener> STORAGE <storage listeners> TO SPACE <space>',
    );
  }
  const wrong = storage.find((h) => heard('META_LISTENER', h, false) && !heard('STORAGE_LISTENER', h, true));
  if (wrong !== undefined) {
    return conflict(
      `${hostKey(wrong)} is a meta listener (SHOW HOSTS META LISTENER), not a storage listener. ` +
        'Do not mix them up: ADD LISTENER SYNC META <meta listener> STORAGE <storage listeners> TO SPACE <space>',
    );
  }
  return undefined;
}

/**
 * A sync from `space` to `target` through `drainers` (ADD LISTENER SYNC, or SIGN IN DRAINER SERVICE
 * under an existing one) closes a cycle when a drainer writes to a cluster whose `target` is in
 * `space`'s lineage: that space already feeds this one.
 */
export async function cycleThroughDrainers(ctx: ExecContext, space: string, target: string, drainers: readonly HostAddr[]): Promise<NgError | undefined> {
  const lineage = lineageOf(ctx.meta.catalog(), space);
  // A space that receives from no one cannot be fed back into.
  if (lineage.length === 0) return undefined;
  const facts = await probeAll(ctx, drainers);
  for (const [i, f] of facts.entries()) {
    if (f === undefined || f.clusterId === '' || !lineageHas(lineage, f.clusterId, target)) continue;
    return conflict(
      `sync from ${space} to ${target} would close a cycle: drainer ${hostKey(drainers[i]!)} writes to cluster ${f.clusterId}, ` +
        `whose ${target} already feeds ${space} (${space} descends from ${lineageText(lineage)})`,
    );
  }
  return undefined;
}

/** The chain by which `source` descends from `space` of cluster `clusterId` (itself included), or undefined. */
function descendsFrom(source: KnockingSource, clusterId: string, space: string): string | undefined {
  const self = source.clusterId === clusterId && source.space === space;
  if (!self && !lineageHas(source.lineage, clusterId, space)) return undefined;
  return lineageText([{ clusterId: source.clusterId, space: source.space }, ...source.lineage]);
}

/**
 * ADD DRAINER on `space` (the target) closes a cycle when a source that asked lately to sync into
 * `space` (refused: no drainer yet) descends from `space` itself (its lineage), or is the very
 * space that `space` syncs to (its listener sync's target, on the cluster its signed-in drainers
 * write to) even before that space registered where it receives from. The drainers being added
 * forward every hello they get to this cluster, so the knocking sources are known here without
 * asking them; the signed-in drainers are asked only when a source bears the target's name.
 */
export async function cycleThroughNewDrainers(ctx: ExecContext, space: string): Promise<NgError | undefined> {
  const peers = ctx.peers;
  if (peers === undefined) return undefined;
  const knocking = peers.knocking(space);
  for (const source of knocking) {
    const chain = descendsFrom(source, peers.clusterId, space);
    if (chain !== undefined) {
      return conflict(`ADD DRAINER would close a cycle: ${source.clusterId}/${source.space} asks to sync into ${space} and descends from ${space} of this cluster (${chain})`);
    }
  }
  const cat = ctx.meta.catalog();
  const sync = own(cat.listeners, space);
  const back = sync === undefined ? [] : knocking.filter((k) => k.space === sync.targetSpace);
  if (back.length === 0) return undefined;
  const downstream = await probeAll(ctx, own(cat.drainerClients, space) ?? []);
  const feeds = new Set(downstream.flatMap((f) => (f === undefined || f.clusterId === '' ? [] : [f.clusterId])));
  const source = back.find((k) => feeds.has(k.clusterId));
  if (source === undefined) return undefined;
  return conflict(`ADD DRAINER would close a cycle: ${source.clusterId}/${source.space} asks to sync into ${space}, and ${space} syncs to it (SHOW LISTENER SYNC)`);
}
