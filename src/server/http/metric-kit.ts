/**
 * Pieces every process's metrics share (prom-client): a counter per (space, part) that forgets
 * the spaces a process no longer serves, so label cardinality stays bounded by what exists; the
 * `nebula_sync_info` gauge; and the process figures (CPU, memory, event loop, GC), made once per
 * process however many clusters, listeners or drainers it embeds.
 *
 * @example
 *   const shipped = new PartCounter(registry, 'nebula_sync_shipped_entries_total', 'entries sent');
 *   shipped.add('basketballplayer', 3, 10);
 *   shipped.prune((space) => space === 'basketballplayer');
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from './prom.ts';
import { GIT_INFO_SHA, PRODUCT_VERSION } from '../../engine/meta/version.ts';

/** Label names of per-partition figures. */
export const PART_LABELS = ['space', 'part'] as const;

export class PartCounter {
  private readonly counter: Counter<'space' | 'part'>;
  /** The label sets counted so far, by space: what prune() may remove. */
  private readonly seen = new Map<string, Set<number>>();

  constructor(registry: Registry, name: string, help: string) {
    this.counter = new Counter({ name, help, labelNames: PART_LABELS, registers: [registry] });
  }

  add(space: string, part: number, n: number): void {
    if (n <= 0) return;
    let parts = this.seen.get(space);
    if (parts === undefined) this.seen.set(space, (parts = new Set()));
    parts.add(part);
    this.counter.inc({ space, part: String(part) }, n);
  }

  /** Drop the series of every space `keep` rejects (a dropped space, a removed sync). */
  prune(keep: (space: string) => boolean): void {
    for (const [space, parts] of this.seen) {
      if (keep(space)) continue;
      for (const part of parts) this.counter.remove({ space, part: String(part) });
      this.seen.delete(space);
    }
  }
}

/** A gauge per (space, part), set afresh at each scrape (reset, then the current label sets). */
export function partGauge(registry: Registry, name: string, help: string): Gauge<'space' | 'part'> {
  return new Gauge({ name, help, labelNames: PART_LABELS, registers: [registry] });
}

export type ProcessKind = 'cluster' | 'listener' | 'drainer';

/** A registry for one process object, with its `nebula_sync_info` series. */
export function syncRegistry(kind: ProcessKind): Registry {
  const registry = new Registry();
  const info = new Gauge({
    name: 'nebula_sync_info',
    help: 'Always 1; the labels say which process kind and build answers',
    labelNames: ['kind', 'version', 'git_info_sha'],
    registers: [registry],
  });
  info.set({ kind, version: PRODUCT_VERSION, git_info_sha: GIT_INFO_SHA }, 1);
  return registry;
}

let processRegistry: Registry | undefined;

/** The process figures (prom-client's default metrics: process_*, nodejs_*), made on first use. */
export function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}
