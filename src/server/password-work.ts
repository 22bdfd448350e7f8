/**
 * Every password hash a client can cause (logins, CREATE/ALTER USER, CHANGE PASSWORD), run off the
 * event loop and at most `limits.passwordHashesConcurrentMax` at a time. A scrypt holds ~16 MiB and
 * a thread of libuv's pool (4 by default, shared with file work) for ~100 ms; with a bound, eight
 * connections guessing passwords use two threads and the event loop stays free for everyone's
 * statements. Work beyond the queue bound is answered BUSY at once instead of piling up.
 * Root's checks are urgent: they go before ordinary ones and have their own queue slots.
 */
import { hashPasswordAsync, verifyPasswordAsync } from '../catalog/password.ts';
import { limits } from '../limits.ts';
import { Semaphore } from './semaphore.ts';

export const BUSY = 'busy' as const;
export type Busy = typeof BUSY;

export interface PasswordWorkOptions {
  readonly concurrentMax?: number;
  readonly queuedMax?: number;
  /** Injected for tests; the scrypt forms by default. */
  readonly hash?: (password: string) => Promise<string>;
  readonly verify?: (password: string, stored: string) => Promise<boolean>;
}

export class PasswordWork {
  private readonly semaphore: Semaphore;
  private readonly hashFn: (password: string) => Promise<string>;
  private readonly verifyFn: (password: string, stored: string) => Promise<boolean>;

  constructor(opts: PasswordWorkOptions = {}) {
    this.semaphore = new Semaphore({
      permits: opts.concurrentMax ?? limits.passwordHashesConcurrentMax,
      queueMax: opts.queuedMax ?? limits.passwordHashesQueuedMax,
    });
    this.hashFn = opts.hash ?? hashPasswordAsync;
    this.verifyFn = opts.verify ?? verifyPasswordAsync;
  }

  /** A new hash of `password`, or BUSY when too much hashing is already waiting. */
  async hash(password: string, urgent = false): Promise<string | Busy> {
    const done = await this.semaphore.run(() => this.hashFn(password), urgent);
    return done === undefined ? BUSY : done.value;
  }

  /** Whether `password` matches `stored`, or BUSY when too much hashing is already waiting. */
  async verify(password: string, stored: string, urgent = false): Promise<boolean | Busy> {
    const done = await this.semaphore.run(() => this.verifyFn(password, stored), urgent);
    return done === undefined ? BUSY : done.value;
  }
}
