/**
 * The secondary's half of a consistent cut: a gate per (target space store, source) that the data
 * apply path consults before it applies anything (data-apply.ts, snapshot-apply.ts).
 *
 * A verify first FREEZEs the source: every new apply of it waits, so nothing applied can pass
 * the log ids the primary is about to fix. Then CUT sets a barrier per source partition at the
 * primary's log id L and lifts the freeze: an apply that crosses L applies its entries up to L,
 * stores L as its position, and waits for the release; one that starts past L waits. Once every
 * partition stands exactly at its barrier the verifier opens its read transaction and OPENS the
 * gate: held applies go on while the verifier reads the picture it took.
 *
 * Every wait here is bounded: a gate opens by itself after VERIFY_GATE_MS_MAX, which is shorter
 * than the drainer's apply deadline, whatever happens to the verify that installed it.
 */
import type { SpaceStore } from '../../storage/types.ts';
import { VERIFY_GATE_MS_MAX } from './verify-limits.ts';

export class SourceGate {
  #frozen = true;
  #open = false;
  #barriers: ReadonlyMap<number, number> = new Map();
  #waiting: (() => void)[] = [];
  readonly #timer: NodeJS.Timeout;

  constructor(onExpire: () => void) {
    this.#timer = setTimeout(() => {
      this.open();
      onExpire();
    }, VERIFY_GATE_MS_MAX);
    this.#timer.unref();
  }

  get frozen(): boolean {
    return this.#frozen && !this.#open;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  /** The barrier of `part` while the gate is shut, else undefined. */
  barrierOf(part: number): number | undefined {
    return this.#open ? undefined : this.#barriers.get(part);
  }

  /** CUT: the barriers, and the end of the freeze. */
  setBarriers(barriers: ReadonlyMap<number, number>): void {
    this.#barriers = barriers;
    this.#frozen = false;
    this.#wake();
  }

  /** Let every held apply go on; from now on the gate holds nothing. */
  open(): void {
    if (this.#open) return;
    this.#open = true;
    clearTimeout(this.#timer);
    this.#wake();
  }

  /** Resolves at the gate's next change (bounded: the gate opens by itself). */
  changed(): Promise<void> {
    if (this.#open) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #wake(): void {
    for (const w of this.#waiting.splice(0)) w();
  }
}

const gates = new WeakMap<SpaceStore, Map<string, SourceGate>>();

/** Install a shut, frozen gate for `source` on `store`; undefined when one is there already. */
export function installGate(store: SpaceStore, source: string): SourceGate | undefined {
  let bySource = gates.get(store);
  if (bySource === undefined) {
    bySource = new Map();
    gates.set(store, bySource);
  }
  const existing = bySource.get(source);
  if (existing !== undefined && !existing.isOpen) return undefined;
  const gate = new SourceGate(() => removeGate(store, source, gate));
  bySource.set(source, gate);
  return gate;
}

/** Open and forget `gate`. */
export function removeGate(store: SpaceStore, source: string, gate: SourceGate): void {
  gate.open();
  const bySource = gates.get(store);
  if (bySource?.get(source) === gate) bySource.delete(source);
}

/**
 * What an apply does at a verify's barrier: `wait` there (a request on a call of its own partition:
 * ApplyData, ApplyDataStream), or `answer` E_VERIFY_HOLD and be sent again by the drainer (an item
 * of a shared ApplyDataMany message, whose answer would otherwise hold every other item with it).
 */
export type AtBarrier = 'wait' | 'answer';

/** What a data apply must respect: apply up to `logId`, then `pass()` waits for the release. */
export interface Hold {
  readonly logId: number;
  pass(): Promise<void>;
}

function gateOf(store: SpaceStore, source: string): SourceGate | undefined {
  const gate = gates.get(store)?.get(source);
  return gate === undefined || gate.isOpen ? undefined : gate;
}

/**
 * Called by a data apply of (source, part) before it reads its position: waits while the source
 * is frozen, then answers the partition's barrier, or undefined when nothing holds it.
 */
export async function holdFor(store: SpaceStore, source: string, part: number): Promise<Hold | undefined> {
  for (;;) {
    const gate = gateOf(store, source);
    if (gate === undefined) return undefined;
    if (gate.frozen) {
      await gate.changed();
      continue;
    }
    const logId = gate.barrierOf(part);
    if (logId === undefined) return undefined;
    return {
      logId,
      pass: async () => {
        while (gate.barrierOf(part) !== undefined) await gate.changed();
      },
    };
  }
}

/**
 * Called by a snapshot chunk of (source, part) that must not wait at a barrier (`answer`): waits
 * out a freeze as every apply does, then answers whether a verify holds the partition.
 */
export async function snapshotHeld(store: SpaceStore, source: string, part: number): Promise<boolean> {
  for (;;) {
    const gate = gateOf(store, source);
    if (gate === undefined) return false;
    if (!gate.frozen) return gate.barrierOf(part) !== undefined;
    await gate.changed();
  }
}

/**
 * Called by a snapshot chunk of (source, part): a snapshot would move the partition to a log id
 * of its own choosing, so it waits until no verify holds the partition.
 */
export async function holdSnapshot(store: SpaceStore, source: string, part: number): Promise<void> {
  for (;;) {
    const gate = gateOf(store, source);
    if (gate === undefined || (!gate.frozen && gate.barrierOf(part) === undefined)) return;
    await gate.changed();
  }
}
