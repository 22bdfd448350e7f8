/**
 * Which sources asked lately to sync into a target space and were refused because no drainer of
 * theirs was added yet (E_NO_VALID_DRAINER) or because they would close a cycle (E_SYNC_CYCLE),
 * with their lineages. A drainer forwards every hello to the secondary before the target space
 * added it, so the secondary itself knows who is knocking: `ADD DRAINER` reads this book and
 * refuses, before it commits anything, a drainer through which a source descending from the space
 * itself would feed it (src/engine/sync/DESIGN.md, "Cycles").
 *
 * Volatile and bounded, like the refusal registry: at most KNOCKING_SOURCES_MAX sources in all,
 * the least recently heard forgotten first, none older than KNOCKING_MEMORY_MS (a refused
 * listener says hello again at least every few seconds). It is a hint for a statement; the
 * apply-time check (apply-guard.ts) is what holds.
 *
 * @example
 *   knockingOf(metaStore).heard('basketballplayer', { clusterId: 'c2', space: 'rbp', lineage: [...] }, Date.now());
 *   knockingOf(metaStore).sources('basketballplayer', Date.now()); // [{ clusterId: 'c2', ... }]
 */
import type { LineageLink } from '../../../catalog/types.ts';

/** Sources remembered in all (every target space together). */
export const KNOCKING_SOURCES_MAX = 256;
/** A refusal older than this is forgotten. */
export const KNOCKING_MEMORY_MS = 60_000;

/** A source that asked to sync into a target space. */
export interface KnockingSource {
  readonly clusterId: string;
  readonly space: string;
  readonly lineage: readonly LineageLink[];
}

interface Heard {
  readonly target: string;
  readonly source: KnockingSource;
  readonly ms: number;
}

export class KnockingBook {
  readonly #heard = new Map<string, Heard>();

  /** Note that `source` asked to sync into `target` at `nowMs`. */
  heard(target: string, source: KnockingSource, nowMs: number): void {
    const key = `${target}\u0000${source.clusterId}\u0000${source.space}`;
    this.#heard.delete(key);
    this.#heard.set(key, { target, source, ms: nowMs });
    if (this.#heard.size > KNOCKING_SOURCES_MAX) this.#heard.delete(this.#heard.keys().next().value!);
  }

  /** The sources that asked for `target` within KNOCKING_MEMORY_MS of `nowMs`, latest last. */
  sources(target: string, nowMs: number): KnockingSource[] {
    const out: KnockingSource[] = [];
    for (const [key, h] of this.#heard) {
      if (nowMs - h.ms > KNOCKING_MEMORY_MS) {
        this.#heard.delete(key);
        continue;
      }
      if (h.target === target) out.push(h.source);
    }
    return out;
  }
}

const books = new WeakMap<object, KnockingBook>();

/** The book of the cluster that owns `owner` (its MetaStore): one per cluster, made on first use. */
export function knockingOf(owner: object): KnockingBook {
  let book = books.get(owner);
  if (book === undefined) {
    book = new KnockingBook();
    books.set(owner, book);
  }
  return book;
}
