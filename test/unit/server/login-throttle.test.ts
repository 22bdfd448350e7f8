// Pins the failed-login backoff (injected clock): per user and IP after a few failures, per IP for a
// spray, windows that double up to a cap, a reset on success, root never blocked by others' failures
// on other users, and tables that stay bounded under a flood of made-up names.
import { describe, expect, it } from 'vitest';
import {
  IP_FAILURES_FREE,
  LOGIN_BACKOFF_MS_MAX,
  LOGIN_FAILURES_FORGET_MS,
  LoginThrottle,
  USER_IP_FAILURES_FREE,
} from '../../../src/server/login-throttle.ts';

function throttle(entriesMax?: number): { t: LoginThrottle; clock: { ms: number } } {
  const clock = { ms: 5_000_000 };
  return { t: new LoginThrottle({ now: () => clock.ms, entriesMax }), clock };
}

function fail(t: LoginThrottle, user: string, ip: string, times: number): void {
  for (let i = 0; i < times; i++) t.failed(user, ip);
}

describe('LoginThrottle per user and IP', () => {
  it('lets the first failures through, then blocks with windows that double up to the cap', () => {
    const { t, clock } = throttle();
    fail(t, 'alice', '10.0.0.1', USER_IP_FAILURES_FREE - 1);
    expect(t.retryAfterMs('alice', '10.0.0.1')).toBe(0);
    t.failed('alice', '10.0.0.1');
    expect(t.retryAfterMs('alice', '10.0.0.1')).toBe(1000);
    const windows: number[] = [];
    for (let i = 0; i < 8; i++) {
      clock.ms += t.retryAfterMs('alice', '10.0.0.1');
      expect(t.retryAfterMs('alice', '10.0.0.1')).toBe(0);
      t.failed('alice', '10.0.0.1');
      windows.push(t.retryAfterMs('alice', '10.0.0.1'));
    }
    expect(windows).toEqual([2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
    expect(Math.max(...windows)).toBe(LOGIN_BACKOFF_MS_MAX);
  });

  it('forgets the failures of a user after a success', () => {
    const { t, clock } = throttle();
    fail(t, 'alice', '10.0.0.1', USER_IP_FAILURES_FREE);
    clock.ms += 1000;
    t.succeeded('alice', '10.0.0.1');
    fail(t, 'alice', '10.0.0.1', USER_IP_FAILURES_FREE - 1);
    expect(t.retryAfterMs('alice', '10.0.0.1')).toBe(0);
  });

  it('forgets failures after a quiet while', () => {
    const { t, clock } = throttle();
    fail(t, 'alice', '10.0.0.1', USER_IP_FAILURES_FREE + 3);
    clock.ms += LOGIN_FAILURES_FORGET_MS;
    expect(t.retryAfterMs('alice', '10.0.0.1')).toBe(0);
    t.failed('alice', '10.0.0.1');
    expect(t.retryAfterMs('alice', '10.0.0.1')).toBe(0);
  });

  it('does not block the same user from another IP', () => {
    const { t } = throttle();
    fail(t, 'alice', '10.0.0.1', USER_IP_FAILURES_FREE + 2);
    expect(t.retryAfterMs('alice', '10.0.0.1')).toBeGreaterThan(0);
    expect(t.retryAfterMs('alice', '10.0.0.2')).toBe(0);
  });
});

describe('LoginThrottle per IP', () => {
  it('blocks every other user from an IP that sprays guesses over many names', () => {
    const { t } = throttle();
    for (let i = 0; i < IP_FAILURES_FREE; i++) t.failed(`made_up_${i}`, '10.6.6.6');
    expect(t.retryAfterMs('bob', '10.6.6.6')).toBeGreaterThan(0);
    expect(t.retryAfterMs('bob', '10.0.0.1')).toBe(0);
  });

  it('never holds root back for failures of other users, even from the same IP', () => {
    const { t } = throttle();
    for (let i = 0; i < IP_FAILURES_FREE * 5; i++) t.failed(`made_up_${i}`, '127.0.0.1');
    fail(t, 'guest', '127.0.0.1', 20);
    expect(t.retryAfterMs('guest', '127.0.0.1')).toBeGreaterThan(0);
    expect(t.retryAfterMs('root', '127.0.0.1')).toBe(0);
  });

  it("backs off guesses of root's own password, from that IP only", () => {
    const { t } = throttle();
    fail(t, 'root', '10.6.6.6', USER_IP_FAILURES_FREE);
    expect(t.retryAfterMs('root', '10.6.6.6')).toBe(1000);
    expect(t.retryAfterMs('root', '10.0.0.1')).toBe(0);
  });
});

describe('LoginThrottle memory', () => {
  it('keeps at most entriesMax keys per table under a flood of made-up users and IPs', () => {
    const { t, clock } = throttle(100);
    for (let i = 0; i < 20_000; i++) {
      t.failed(`user_${i}`, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
      clock.ms += 1;
    }
    expect(t.entries.userIp).toBeLessThanOrEqual(100);
    expect(t.entries.ip).toBeLessThanOrEqual(100);
  });

  it('keys a huge user name by a bounded prefix', () => {
    const { t } = throttle();
    const huge = 'x'.repeat(1_000_000);
    fail(t, huge, '10.0.0.1', USER_IP_FAILURES_FREE);
    expect(t.retryAfterMs(huge + 'y', '10.0.0.1')).toBeGreaterThan(0);
  });
});
