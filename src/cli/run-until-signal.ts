/**
 * Foreground processes stop cleanly on SIGTERM or SIGINT: close (drain), then exit 0. A second
 * signal while closing exits at once.
 */
import type { Logger } from '../log.ts';

export function runUntilSignal(close: () => Promise<void>, log: Logger): Promise<void> {
  return new Promise((resolve) => {
    let closing = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (closing) process.exit(1);
      closing = true;
      log.info('stopping', { signal });
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
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
