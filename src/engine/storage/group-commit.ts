/**
 * Group commit: every write of one event-loop tick shares one SQLite transaction.
 *
 * The first write of a tick runs BEGIN and applies at once, so reads later in the same process
 * see it (after they force the commit, below). COMMIT runs once, from `setImmediate`, and only then
 * do the writes' promises resolve; if COMMIT fails the whole group is rolled back and every promise
 * of it rejects. With `synchronous = FULL` that is one fsync per tick however many clients wrote in
 * it. A reader calls `flush()` first, so nothing ever reads a group that could still roll back.
 */
import type Database from 'better-sqlite3';

interface Waiter {
  readonly settle: (err: unknown) => void;
}

export interface GroupCommitHooks {
  /** A group transaction just began: remember what to restore if it rolls back. */
  readonly onBegin: () => void;
  /** The group rolled back: forget what it applied. */
  readonly onRollback: () => void;
  /** The group committed: tell whoever tails the WAL. Runs after the writers are settled. */
  readonly onCommitted: () => void;
}

export class GroupCommit {
  private open = false;
  private waiters: Waiter[] = [];
  private readonly tick = (): void => this.flush();

  constructor(
    private readonly stmts: {
      readonly begin: Database.Statement;
      readonly commit: Database.Statement;
      readonly rollback: Database.Statement;
    },
    private readonly hooks: GroupCommitHooks,
  ) {}

  /** Whether a group transaction is open (uncommitted writes exist). */
  get pending(): boolean {
    return this.open;
  }

  /** Open the tick's transaction unless one is open already. */
  enter(): void {
    if (this.open) return;
    this.stmts.begin.run();
    this.open = true;
    this.hooks.onBegin();
    setImmediate(this.tick);
  }

  /** A promise for `value` that settles when the open group commits or rolls back. */
  join<T>(value: T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiters.push({ settle: (err) => (err === undefined ? resolve(value) : reject(err)) });
    });
  }

  /** Commit the open group now, if any, and settle its writers. Safe to call at any time. */
  flush(): void {
    if (!this.open) return;
    this.open = false;
    const waiters = this.waiters;
    this.waiters = [];
    let failure: unknown;
    try {
      this.stmts.commit.run();
    } catch (err) {
      failure = err instanceof Error ? err : new Error(String(err));
      try {
        this.stmts.rollback.run();
      } catch {
        // A failed COMMIT may already have rolled back; there is nothing left to undo then.
      }
      this.hooks.onRollback();
    }
    for (const w of waiters) w.settle(failure);
    if (failure === undefined) this.hooks.onCommitted();
  }
}
