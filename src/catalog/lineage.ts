/**
 * A space's lineage: the chain of (cluster, space) it descends from by synchronization, nearest
 * first. A secondary records, with the source its target space receives from, that source's own
 * lineage (it travels in every request, src/engine/sync/DESIGN.md "Cycles"), so every cluster
 * knows the whole upstream chain of each of its spaces. A sync from space S to a space T that is
 * already in S's lineage would close a cycle: data would go round for ever.
 *
 * The chain is bounded (LINEAGE_LINKS_MAX): a cycle longer than that is not seen by lineage, and
 * the secondary refuses a request whose lineage is longer (a forged or broken one).
 *
 * @example
 *   const upstream = lineageOf(catalog, 'replication_basketballplayer');
 *   // [{ clusterId: '5f1c...', space: 'basketballplayer' }]
 *   lineageHas(upstream, '5f1c...', 'basketballplayer'); // true
 */
import type { Catalog, LineageLink } from './types.ts';

/** Most hops a lineage holds: chains longer than this are cut (their far end is not known). */
export const LINEAGE_LINKS_MAX = 16;

/**
 * Where `space` of this cluster descends from: its registered sync source (the space it receives
 * from, on another cluster) followed by that source's lineage, at most LINEAGE_LINKS_MAX hops. A
 * space that receives from no one has an empty lineage.
 */
export function lineageOf(cat: Catalog, space: string): readonly LineageLink[] {
  const source = Object.hasOwn(cat.syncSources, space) ? cat.syncSources[space] : undefined;
  if (source === undefined) return [];
  return [{ clusterId: source.clusterId, space: source.sourceSpace }, ...(source.lineage ?? [])].slice(0, LINEAGE_LINKS_MAX);
}

/** Whether `lineage` passes through `space` on cluster `clusterId`. */
export function lineageHas(lineage: readonly LineageLink[], clusterId: string, space: string): boolean {
  return lineage.some((l) => l.clusterId === clusterId && l.space === space);
}

/** Two lineages hop for hop the same. */
export function sameLineage(a: readonly LineageLink[], b: readonly LineageLink[]): boolean {
  return a.length === b.length && a.every((l, i) => l.clusterId === b[i]!.clusterId && l.space === b[i]!.space);
}

/** "cluster/space <- cluster/space ..." as an error message shows a chain, nearest first. */
export function lineageText(lineage: readonly LineageLink[]): string {
  return lineage.map((l) => `${l.clusterId}/${l.space}`).join(' <- ');
}
