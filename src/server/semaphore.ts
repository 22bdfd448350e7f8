/**
 * A counting semaphore with a bounded wait queue, for work that must not run too many at once
 * (password hashing on libuv's small thread pool). A caller that finds the queue full is told so at
 * once instead of waiting, so a flood turns into quick refusals rather than a growing backlog.
 *
 * Two queues: `urgent` waiters (root's logins) are served before ordinary ones and have their own
 * bound, so ordinary waiters can never push root's work out of the queue.
 *
 * @example
 *   const sem = new Semaphore({ permits: 2, queueMax: 32 });
 *   const release = await sem.acquire();
 *   if (release === undefined) return 'busy';
 *   try { await work(); } finally { release(); }
 */
export type Release = () => void;

export interface SemaphoreOptions {
  /** Holders at once. */
  readonly permits: number;
  /** Waiters per queue (ordinary and urgent each) before acquire answers undefined. */
  readonly queueMax: number;
}

export class Semaphore {
  private free: number;
  private readonly waiting: ((release: Release) => void)[] = [];
  private readonly urgent: ((release: Release) => void)[] = [];

  constructor(private readonly opts: SemaphoreOptions) {
    if (!Number.isInteger(opts.permits) || opts.permits < 1) throw new RangeError('permits must be a positive integer');
    if (!Number.isInteger(opts.queueMax) || opts.queueMax < 0) throw new RangeError('queueMax must be a non-negative integer');
    this.free = opts.permits;
  }

  /** Holders right now. */
  get active(): number {
    return this.opts.permits - this.free;
  }

  /** Waiters right now (both queues). */
  get queued(): number {
    return this.waiting.length + this.urgent.length;
  }

  /**
   * A release function once a permit is held, or undefined at once when the queue is full.
   * Call the release exactly once; extra calls are ignored.
   */
  acquire(urgent = false): Promise<Release> | undefined {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(this.releaser());
    }
    const queue = urgent ? this.urgent : this.waiting;
    if (queue.length >= this.opts.queueMax) return undefined;
    return new Promise((resolve) => queue.push(resolve));
  }

  /** Runs `work` holding a permit; answers undefined (without running it) when the queue is full. */
  async run<T>(work: () => Promise<T>, urgent = false): Promise<{ value: T } | undefined> {
    const pending = this.acquire(urgent);
    if (pending === undefined) return undefined;
    const release = await pending;
    try {
      return { value: await work() };
    } finally {
      release();
    }
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Hand the permit straight to the next waiter, urgent first, so nobody can jump the queue.
      const next = this.urgent.shift() ?? this.waiting.shift();
      if (next !== undefined) next(this.releaser());
      else this.free++;
    };
  }
}
