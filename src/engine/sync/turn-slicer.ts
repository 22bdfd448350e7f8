/**
 * Synchronous pieces of work run in order, a few milliseconds of them per turn of the event loop:
 * how the secondary keeps reads answered while it applies at full speed. An ApplyDataMany message
 * holds up to 64 partitions' batches; decoding, translating and encoding them all at once held
 * the event loop for tens of milliseconds, and a point FETCH arriving meanwhile waited that long.
 * Through a slicer, once the pieces run in one turn have taken `sliceMs`, the rest waits for a
 * later turn (`setImmediate`, after the poll phase has served whatever I/O came in).
 *
 * Order is kept: a piece never runs before one handed over earlier. Nothing is dropped: every
 * piece runs, and its result (or what it threw) settles the promise `run` answered.
 */
import { performance } from 'node:perf_hooks';

interface Piece {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (cause: unknown) => void;
}

export class TurnSlicer {
  /** When the current turn's first piece ran; -1 until one runs in this turn. */
  private turnStart = -1;
  private readonly waiting: Piece[] = [];
  private scheduled = false;

  constructor(
    private readonly sliceMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Pieces handed over and not yet run. */
  get pending(): number {
    return this.waiting.length;
  }

  /** Run `work` now if this turn has room and nothing waits; else after what waits, in a later turn. */
  run<T>(work: () => T): Promise<Awaited<T>> {
    if (this.waiting.length === 0 && this.hasRoom()) {
      try {
        return Promise.resolve(work()) as Promise<Awaited<T>>;
      } catch (cause) {
        return Promise.reject(cause);
      }
    }
    return new Promise<Awaited<T>>((resolve, reject) => {
      this.waiting.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  private hasRoom(): boolean {
    const t = this.now();
    if (this.turnStart < 0) {
      this.turnStart = t;
      // Immediates queued now run after this turn's poll phase: the next turn starts afresh.
      setImmediate(() => (this.turnStart = -1));
      return true;
    }
    return t - this.turnStart < this.sliceMs;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    while (this.waiting.length > 0) {
      if (!this.hasRoom()) return this.schedule();
      const piece = this.waiting.shift()!;
      try {
        piece.resolve(piece.work());
      } catch (cause) {
        piece.reject(cause);
      }
    }
  }
}
