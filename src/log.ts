/**
 * Structured logging to stderr: one JSON object per line, so that operators can grep and tools can
 * parse. Every long-lived component takes a `Logger` and names itself with `child`.
 */
/** A log line's level, least to most severe. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVEL_RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Where a component writes its structured log lines; `child` adds fields to every line. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { message: value.message, stack: value.stack };
  return value;
}

export function createLogger(base: Record<string, unknown> = {}, minLevel: LogLevel = 'info'): Logger {
  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (LEVEL_RANK[level] < LEVEL_RANK[minLevel]) return;
    const line = JSON.stringify({ ts: new Date().toISOString(), level, msg, ...base, ...fields }, replacer);
    process.stderr.write(line + '\n');
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger({ ...base, ...fields }, minLevel),
  };
}

/** A logger that drops everything: for library use and quiet tests. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};

/**
 * A warning that a stranger can trigger at will (a refused connection, a refused report), logged
 * at most once per `periodMs`: the first at once, then, for events within the period, one line at
 * its end with the latest event's fields and the number of events since the line before. So a
 * flood writes a line a period, and its tail is told within a period, not at the next flood.
 */
export function throttledWarn(log: Pick<Logger, 'warn'>, msg: string, periodMs: number): (fields: Record<string, unknown>) => void {
  let loggedAt = -Infinity;
  let unlogged = 0;
  let latest: Record<string, unknown> = {};
  let flush: NodeJS.Timeout | undefined;
  const write = (): void => {
    flush = undefined;
    if (unlogged === 0) return;
    log.warn(msg, { ...latest, count: unlogged });
    loggedAt = Date.now();
    unlogged = 0;
  };
  return (fields) => {
    unlogged++;
    latest = fields;
    const waitMs = loggedAt + periodMs - Date.now();
    if (waitMs <= 0) {
      clearTimeout(flush);
      write();
    } else if (flush === undefined) {
      flush = setTimeout(write, waitMs);
      flush.unref();
    }
  };
}

/**
 * `log`'s warnings with each distinct message throttled as `throttledWarn` does: for components
 * whose warnings a stranger can provoke one per connection. The messages are the code's own
 * literals, so the table of them stays small.
 */
export function throttledWarnings(log: Pick<Logger, 'warn'>, periodMs: number): Pick<Logger, 'warn'> {
  const byMessage = new Map<string, (fields: Record<string, unknown>) => void>();
  return {
    warn: (msg, fields) => {
      let warn = byMessage.get(msg);
      if (warn === undefined) {
        warn = throttledWarn(log, msg, periodMs);
        byMessage.set(msg, warn);
      }
      warn(fields ?? {});
    },
  };
}
