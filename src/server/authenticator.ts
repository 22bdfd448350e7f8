/**
 * Whether a login may have a session: the failed-login backoff first (answered at once, no hashing),
 * then the password against the catalog's hash, on the thread pool and bounded (PasswordWork).
 * Every refusal is E_BAD_USERNAME_PASSWORD (-1001), as NebulaGraph answers a refused login.
 *
 * With enable_authorize=false every name is accepted, as in NebulaGraph, and nothing is throttled.
 * Names and passwords longer than any CREATE USER accepts cannot match, so they are refused without
 * hashing (and a multi-megabyte name never reaches a table).
 */
import { Errors, type NgError } from '../errors.ts';
import { PASSWORD_LENGTH_MAX, USERNAME_LENGTH_MAX } from '../executor/admin/users.ts';
import { ROOT_USER } from '../executor/permissions.ts';
import { LoginThrottle } from './login-throttle.ts';
import { BUSY, type PasswordWork } from './password-work.ts';

export interface AuthenticatorOptions {
  readonly enableAuthorize: boolean;
  /** The catalog's hash for `user`, undefined when there is no such user. */
  readonly passwordHashOf: (user: string) => string | undefined;
  readonly work: PasswordWork;
  /** Injected for tests (clock). */
  readonly throttle?: LoginThrottle;
}

export class Authenticator {
  readonly throttle: LoginThrottle;

  constructor(private readonly opts: AuthenticatorOptions) {
    this.throttle = opts.throttle ?? new LoginThrottle();
  }

  /** Undefined when `user` from `ip` may open a session; otherwise the error the client gets. */
  async check(user: string, password: string, ip: string): Promise<NgError | undefined> {
    const nameTooLong = longerThan(user, USERNAME_LENGTH_MAX);
    if (!this.opts.enableAuthorize) return nameTooLong ? Errors.badUserPassword('User not exist') : undefined;
    const waitMs = this.throttle.retryAfterMs(user, ip);
    if (waitMs > 0) return Errors.loginThrottled(Math.ceil(waitMs / 1000));
    const stored = nameTooLong ? undefined : this.opts.passwordHashOf(user);
    if (stored === undefined) return this.failed(user, ip, Errors.badUserPassword('User not exist'));
    if (longerThan(password, PASSWORD_LENGTH_MAX)) return this.failed(user, ip, Errors.badUserPassword('Invalid password'));
    const verdict = await this.opts.work.verify(password, stored, user === ROOT_USER);
    if (verdict === BUSY) return Errors.loginBusy();
    if (!verdict) return this.failed(user, ip, Errors.badUserPassword('Invalid password'));
    this.throttle.succeeded(user, ip);
    return undefined;
  }

  private failed(user: string, ip: string, error: NgError): NgError {
    this.throttle.failed(user, ip);
    return error;
  }
}

/** More than `max` characters (code points), without spreading a huge string. */
function longerThan(text: string, max: number): boolean {
  return text.length > max * 2 || [...text].length > max;
}
