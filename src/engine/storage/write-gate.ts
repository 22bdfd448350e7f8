/**
 * The order of one space's writes, now that they are committed on another thread and reads here
 * see only what was committed.
 *
 * A plain write is posted at once. A read-then-write step (`readThenWrite`: UPDATE, INSERT IF NOT
 * EXISTS, DELETE read the rows they change) must see every write posted before it, and no write
 * may slip between its read and its own write: it waits until nothing is in flight, then runs its
 * `decide` (synchronous reads) and posts the ops it answers in the same tick. Writes asked for
 * while such a step waits are held and posted right after it, so a stream of writes cannot starve
 * it, and they share its group commit. Steps are granted one at a time, in arrival order.
 */
/** What a step decided: how to send its write (none when nothing changes), and its value. */
export interface Decision<T> {
  readonly send: (() => Promise<unknown>) | undefined;
  readonly value: T;
}

export class WriteGate {
  private inflight = 0;
  private readonly steps: (() => void)[] = [];
  private held: (() => void)[] = [];

  /** Post `send` now, or after the read-then-write steps already waiting. */
  write<T>(send: () => Promise<T>): Promise<T> {
    if (this.steps.length === 0) return this.track(send());
    return new Promise<T>((resolve, reject) => this.held.push(() => void this.track(send()).then(resolve, reject)));
  }

  /** Run `decide` once every earlier write committed, and send its write before any later one. */
  readThenWrite<T>(decide: () => Decision<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.steps.push(() => {
        let d: Decision<T>;
        try {
          d = decide();
        } catch (err) {
          reject(err);
          return;
        }
        if (d.send === undefined) return resolve(d.value);
        this.track(d.send()).then(() => resolve(d.value), reject);
      });
      this.grant();
    });
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight++;
    const done = (): void => {
      this.inflight--;
      this.grant();
    };
    p.then(done, done);
    return p;
  }

  private grant(): void {
    while (this.inflight === 0 && this.steps.length > 0) {
      this.steps.shift()!();
      const held = this.held;
      this.held = [];
      for (const send of held) send();
    }
  }
}
