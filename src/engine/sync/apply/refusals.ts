/**
 * What a secondary refused, counted per target space: for each source partition and code, how
 * many times, when first and last, and the last message. It is what an operator reads to learn why
 * a sync does not move (a gap, a stale snapshot, a drainer that was never added, a second source);
 * `refusalsOf(metaStore)` hands the cluster's registry to whoever shows it (the status code).
 *
 * Volatile, like liveness, and bounded: requests that name a target space this cluster does not
 * have share one bucket (UNKNOWN_TARGET), so made-up names cannot grow it; each bucket keeps at
 * most REFUSALS_PER_SPACE_MAX records and forgets the least recently refused first.
 *
 * @example
 *   const refusals = refusalsOf(metaStore);
 *   refusals.refused({ space: 'target', source: 'c1/basketballplayer', part: 3, code: -4001, message: 'LogGap: ...' }, Date.now());
 *   refusals.list('target'); // [{ code: -4001, count: 1, ... }]
 */

/** The bucket of refusals whose target space does not exist here. */
export const UNKNOWN_TARGET = '*';
/** Records kept per bucket (source partition x code). */
export const REFUSALS_PER_SPACE_MAX = 1_024;
/** Buckets kept (target spaces, existing ones and the UNKNOWN_TARGET one). */
export const REFUSAL_SPACES_MAX = 1_024;

export interface RefusalEvent {
  /** The target space as the catalog names it, or UNKNOWN_TARGET. */
  readonly space: string;
  /** `sourceKey` of the source the request named ("<cluster_id>/<space>", "?" when none). */
  readonly source: string;
  readonly part: number;
  readonly code: number;
  readonly message: string;
}

export interface Refusal extends RefusalEvent {
  readonly count: number;
  readonly firstMs: number;
  readonly lastMs: number;
}

export class RefusalRegistry {
  readonly #bySpace = new Map<string, Map<string, Refusal>>();

  /** Count one refusal at `nowMs`. */
  refused(event: RefusalEvent, nowMs: number): void {
    let records = this.#bySpace.get(event.space);
    if (records === undefined) {
      records = new Map();
      this.#bySpace.set(event.space, records);
      if (this.#bySpace.size > REFUSAL_SPACES_MAX) this.#bySpace.delete(this.#bySpace.keys().next().value!);
    }
    const key = `${event.source}\u0000${event.part}\u0000${event.code}`;
    const was = records.get(key);
    records.delete(key);
    records.set(key, { ...event, count: (was?.count ?? 0) + 1, firstMs: was?.firstMs ?? nowMs, lastMs: nowMs });
    if (records.size > REFUSALS_PER_SPACE_MAX) records.delete(records.keys().next().value!);
  }

  /** The refusals of `space` (UNKNOWN_TARGET for the shared bucket), most recent last. */
  list(space: string): readonly Refusal[] {
    return [...(this.#bySpace.get(space)?.values() ?? [])];
  }

  /** Total refusals counted for `space`. */
  total(space: string): number {
    return this.list(space).reduce((n, r) => n + r.count, 0);
  }

  /** Forget a space's refusals (it was dropped). */
  forget(space: string): void {
    this.#bySpace.delete(space);
  }
}

const registries = new WeakMap<object, RefusalRegistry>();

/** The registry of the cluster that owns `owner` (its MetaStore): one per cluster, made on first use. */
export function refusalsOf(owner: object): RefusalRegistry {
  let registry = registries.get(owner);
  if (registry === undefined) {
    registry = new RefusalRegistry();
    registries.set(owner, registry);
  }
  return registry;
}
