/**
 * Foreground processes stop cleanly on SIGTERM or SIGINT, or when their launcher is gone
 * (parent-watch.ts): close (drain), then exit 0.
 *
 * Only the first request stops; later SIGTERMs are ignored, because one stop often brings two
 * signals (Ctrl-C signals the whole process group, then the playground sends each child
 * SIGTERM; they may arrive in either order) and the second must not turn a clean stop into a
 * failure. A second SIGINT is a person pressing Ctrl-C again: it exits at once, with code 1 and a
 * line saying so. The close itself is
 * bounded: past CLOSE_TIMEOUT_MS the process logs and exits 1.
 */
import type { Logger } from '../log.ts';
import { watchLauncher } from './parent-watch.ts';

/** Longest a clean stop may take; the playground SIGKILLs a child after 10 s anyway. */
export const CLOSE_TIMEOUT_MS = 30_000;

export function runUntilSignal(close: () => Promise<void>, log: Logger): Promise<void> {
  return new Promise((resolve) => {
    let closing = false;
    const stop = (why: Record<string, unknown>): void => {
      if (closing) return;
      closing = true;
      unwatch();
      log.info('stopping', why);
      const timer = setTimeout(() => {
        log.error('did not stop in time; exiting', { timeoutMs: CLOSE_TIMEOUT_MS });
        process.exit(1);
      }, CLOSE_TIMEOUT_MS);
      timer.unref();
      close()
        .then(() => {
          log.info('stopped');
          resolve();
          process.exit(0);
        })
        .catch((cause: unknown) => {
          log.error('close failed', { cause });
          process.exit(1);
        });
    };
    let interrupts = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (signal === 'SIGINT') interrupts += 1;
      if (!closing) return stop({ signal });
      // Counted, not ordered: the SIGINT and SIGTERM of one Ctrl-C may arrive either way round.
      if (interrupts < 2) return log.info('already stopping; signal ignored', { signal });
      log.error('interrupted again while stopping; exiting without a clean stop', { signal });
      process.exit(1);
    };
    const unwatch = watchLauncher((launcher) => stop({ launcher }));
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
