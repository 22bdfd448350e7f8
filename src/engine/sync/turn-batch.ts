/**
 * Items queued during one turn of the event loop, handed on together from `setImmediate`: how the
 * sync links put what is ready at the same moment (one commit's entries in every partition, their
 * answers) into one message (drainer/apply-many-channel.ts, listener/ship-mux.ts,
 * drainer/ship-mux.ts). `flush` gets every item queued since the last one, in order, and splits
 * them into messages by its own limits.
 */
export class TurnBatch<T> {
  private items: T[] = [];
  private scheduled = false;

  constructor(private readonly flush: (items: T[]) => void) {}

  push(item: T): void {
    this.items.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const items = this.items;
      this.items = [];
      if (items.length > 0) this.flush(items);
    });
  }

  /** Drop what is queued (the link broke); answers it, for whoever must be told. */
  clear(): T[] {
    const items = this.items;
    this.items = [];
    return items;
  }
}
