// Pins how a login is decided: a throttled one is refused at once without hashing, wrong names and
// passwords are -1001 with NebulaGraph's words, a full hashing queue answers "busy", and root's
// check goes ahead of queued guesses.
import { describe, expect, it } from 'vitest';
import { Authenticator } from '../../../src/server/authenticator.ts';
import { LoginThrottle, USER_IP_FAILURES_FREE } from '../../../src/server/login-throttle.ts';
import { PasswordWork } from '../../../src/server/password-work.ts';

/** Stored "hashes" are the passwords themselves; verification is counted and can be held. */
function setup(opts: { concurrentMax?: number; queuedMax?: number; hold?: Promise<void> } = {}) {
  const clock = { ms: 1_000_000 };
  const verified: string[] = [];
  const work = new PasswordWork({
    concurrentMax: opts.concurrentMax ?? 2,
    queuedMax: opts.queuedMax ?? 8,
    hash: async (p) => p,
    verify: async (p, stored) => {
      verified.push(p);
      await opts.hold;
      return p === stored;
    },
  });
  const users: Record<string, string> = { root: 'nebula', alice: 'secret' };
  const auth = new Authenticator({
    enableAuthorize: true,
    passwordHashOf: (u) => users[u],
    work,
    throttle: new LoginThrottle({ now: () => clock.ms }),
  });
  return { auth, verified, clock };
}

describe('Authenticator', () => {
  it('accepts the right password and refuses others with NebulaGraph words', async () => {
    const { auth } = setup();
    expect(await auth.check('alice', 'secret', '10.0.0.1')).toBeUndefined();
    expect(await auth.check('alice', 'nope', '10.0.0.1')).toEqual({ code: -1001, message: 'Invalid password' });
    expect(await auth.check('nobody', 'x', '10.0.0.1')).toEqual({ code: -1001, message: 'User not exist' });
  });

  it('refuses a throttled login at once, without hashing, even with the right password', async () => {
    const { auth, verified, clock } = setup();
    for (let i = 0; i < USER_IP_FAILURES_FREE; i++) await auth.check('alice', `guess${i}`, '10.0.0.1');
    const hashedBefore = verified.length;
    expect(await auth.check('alice', 'secret', '10.0.0.1')).toEqual({
      code: -1001,
      message: 'Too many failed login attempts; retry after 1 s',
    });
    expect(verified.length).toBe(hashedBefore);
    clock.ms += 1000;
    expect(await auth.check('alice', 'secret', '10.0.0.1')).toBeUndefined();
  });

  it('does not hash passwords longer than any account can have', async () => {
    const { auth, verified } = setup();
    expect(await auth.check('alice', 'p'.repeat(4 * 1024 * 1024), '10.0.0.1')).toEqual({ code: -1001, message: 'Invalid password' });
    expect(await auth.check('a'.repeat(100_000), 'x', '10.0.0.1')).toEqual({ code: -1001, message: 'User not exist' });
    expect(verified).toEqual([]);
  });

  it('answers busy when the hashing queue is full, and serves root ahead of the queue', async () => {
    let open!: () => void;
    const hold = new Promise<void>((r) => (open = r));
    const { auth, verified } = setup({ concurrentMax: 1, queuedMax: 1, hold });
    const first = auth.check('alice', 'g1', '10.0.0.1');
    const queued = auth.check('alice', 'g2', '10.0.0.2');
    expect(await auth.check('alice', 'g3', '10.0.0.3')).toEqual({ code: -1001, message: 'Server busy, retry later' });
    const root = auth.check('root', 'nebula', '10.0.0.9');
    open();
    expect(await root).toBeUndefined();
    await Promise.all([first, queued]);
    expect(verified).toEqual(['g1', 'nebula', 'g2']);
  });

  it('accepts anyone when authorization is off', async () => {
    const auth = new Authenticator({ enableAuthorize: false, passwordHashOf: () => undefined, work: new PasswordWork() });
    expect(await auth.check('whoever', 'whatever', '10.0.0.1')).toBeUndefined();
  });
});
