/**
 * What every in-process role (cluster, listener, drainer) shares in the public API: a life cycle
 * (`start`, `close` to drain, `destroy` to cut), its status as plain data with a callback on each
 * change, and its log lines as plain records with a callback, so that an embedding program sees
 * what the process would print (a primary that cannot be reached, a refused batch) without parsing
 * stderr.
 */
import { silentLogger, type Logger, type LogLevel } from '../log.ts';

/** Where a role is in its life: `new` until `start()`, `closed` after `close()`, `destroy()` or a failed start. */
export type RoleState = 'new' | 'starting' | 'running' | 'closing' | 'closed';

/** One log line of a role, as the process would write it to stderr (JSON), as data. */
export interface LogRecord {
  readonly level: LogLevel;
  readonly msg: string;
  /** The line's fields, the component's own (`component`, ...) included. */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Stops a subscription. */
export type Unsubscribe = () => void;

/** The life-cycle half of a role; `S` is its status record. */
export abstract class Role<S extends { readonly state: RoleState }> {
  #state: RoleState = 'new';
  readonly #statusListeners = new Set<(status: S) => void>();
  readonly #logListeners = new Set<(record: LogRecord) => void>();
  /** Every log line goes to the caller's logger (silent by default) and to `onLog` listeners. */
  protected readonly log: Logger;

  protected constructor(log: Logger | undefined) {
    this.log = teeLogger(log ?? silentLogger, (record) => {
      for (const listener of this.#logListeners) listener(record);
    });
  }

  /** The role's status now, as plain data. */
  abstract status(): S;

  /** Calls `listener` with the status at every change of state; answers how to stop. */
  onStatus(listener: (status: S) => void): Unsubscribe {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  /** Calls `listener` with each log line of level info and above; answers how to stop. */
  onLog(listener: (record: LogRecord) => void): Unsubscribe {
    this.#logListeners.add(listener);
    return () => this.#logListeners.delete(listener);
  }

  protected get state(): RoleState {
    return this.#state;
  }

  protected setState(state: RoleState): void {
    if (state === this.#state) return;
    this.#state = state;
    const status = this.status();
    for (const listener of this.#statusListeners) listener(status);
  }

  /** Runs `boot` once from `new`; a failure leaves the role closed and rejects. */
  protected async starting<T>(boot: () => Promise<T>): Promise<T> {
    if (this.#state !== 'new') throw new Error(`start() is allowed once, on a new role (this one is ${this.#state})`);
    this.setState('starting');
    try {
      const out = await boot();
      this.setState('running');
      return out;
    } catch (cause) {
      this.setState('closed');
      throw cause;
    }
  }

  /** Runs `cut` while running or closing (not before start, not twice), then the role is closed. */
  protected cutting(cut: () => void): void {
    if (this.#state !== 'running' && this.#state !== 'closing') return;
    cut();
    this.setState('closed');
  }

  /** Runs `drain` once from `running`; later calls wait for nothing. */
  protected async closing(drain: () => Promise<void>): Promise<void> {
    if (this.#state !== 'running') return;
    this.setState('closing');
    try {
      await drain();
    } finally {
      this.setState('closed');
    }
  }
}

/** A logger that writes to `base` and hands every line of level info and above to `emit`, with its fields. */
export function teeLogger(base: Logger, emit: (record: LogRecord) => void, fields: Readonly<Record<string, unknown>> = {}): Logger {
  const line = (level: LogLevel) => (msg: string, extra?: Record<string, unknown>) => {
    base[level](msg, extra);
    if (level !== 'debug') emit({ level, msg, fields: { ...fields, ...extra } });
  };
  return {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    child: (more) => teeLogger(base.child(more), emit, { ...fields, ...more }),
  };
}
