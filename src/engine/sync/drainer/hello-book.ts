/**
 * Which sources said hello to this drainer lately, per target space, accepted or not. The
 * secondary's ADD DRAINER asks a drainer for it (Drainer.Health with a target space) before the
 * drainer is added: a listener that already knocks for the space, from a source that descends
 * from the space itself (its lineage), would close a cycle, and the statement is refused before
 * anything is written (src/engine/sync/DESIGN.md, "Cycles").
 *
 * Volatile and bounded: at most HELLO_SOURCES_MAX sources in all, the least recently heard
 * forgotten first, and none older than HELLO_MEMORY_MS. It is a hint for a statement; the
 * secondary's apply-time check (apply-guard.ts) is what holds.
 *
 * @example
 *   const book = new HelloBook();
 *   book.heard('replication_basketballplayer', hello.source, Date.now());
 *   book.sources('replication_basketballplayer', Date.now()); // [hello.source]
 */
import type { SourceSpaceMsg } from '../wire.ts';

/** Sources remembered in all (every target space together). */
export const HELLO_SOURCES_MAX = 256;
/** A hello older than this is forgotten: the listener that sent it retries far more often. */
export const HELLO_MEMORY_MS = 60_000;

interface Heard {
  readonly target: string;
  readonly source: SourceSpaceMsg;
  readonly ms: number;
}

export class HelloBook {
  readonly #heard = new Map<string, Heard>();

  /** Note a hello for `target` from `source` at `nowMs`. */
  heard(target: string, source: SourceSpaceMsg | null | undefined, nowMs: number): void {
    if (source === null || source === undefined) return;
    const key = `${target}\u0000${source.cluster_id}\u0000${source.space_name}`;
    this.#heard.delete(key);
    this.#heard.set(key, { target, source, ms: nowMs });
    if (this.#heard.size > HELLO_SOURCES_MAX) this.#heard.delete(this.#heard.keys().next().value!);
  }

  /** The sources heard for `target` within HELLO_MEMORY_MS of `nowMs`, latest last. */
  sources(target: string, nowMs: number): SourceSpaceMsg[] {
    const out: SourceSpaceMsg[] = [];
    for (const [key, h] of this.#heard) {
      if (nowMs - h.ms > HELLO_MEMORY_MS) {
        this.#heard.delete(key);
        continue;
      }
      if (h.target === target) out.push(h.source);
    }
    return out;
  }
}
