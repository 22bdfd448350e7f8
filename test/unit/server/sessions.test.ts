// Pins the session table's bounds: idle sessions expire (injected clock) and are swept, one user
// from one IP is capped with NebulaGraph's words, and root's reserve lets root in when others filled it.
import { describe, expect, it } from 'vitest';
import { Sessions, type SessionsOptions } from '../../../src/server/sessions.ts';

function table(opts: Partial<SessionsOptions> = {}): { sessions: Sessions; clock: { ms: number } } {
  const clock = { ms: 1_000_000 };
  const sessions = new Sessions({ idleMs: 2000, perIpUserMax: 300, sessionsMax: 1000, reservedForRoot: 10, now: () => clock.ms, ...opts });
  return { sessions, clock };
}

function mustOpen(sessions: Sessions, user: string, ip = '10.0.0.1'): bigint {
  const opened = sessions.open(user, ip);
  if (!opened.ok) throw new Error(opened.error.message);
  return opened.session.id;
}

describe('Sessions idle expiry', () => {
  it('closes a session unused for the idle time; use keeps it alive', () => {
    const { sessions, clock } = table();
    const idle = mustOpen(sessions, 'alice');
    const busy = mustOpen(sessions, 'alice');
    clock.ms += 1500;
    expect(sessions.get(busy)?.user).toBe('alice');
    clock.ms += 600;
    expect(sessions.get(idle)).toBeUndefined();
    expect(sessions.get(busy)?.user).toBe('alice');
    // Gone for good: it does not come back, and it no longer counts.
    expect(sessions.get(idle)).toBeUndefined();
    expect(sessions.size).toBe(1);
  });

  it('sweeps expired sessions without being asked for them, and keeps live ones', () => {
    const { sessions, clock } = table();
    for (let i = 0; i < 50; i++) mustOpen(sessions, `u${i % 5}`);
    clock.ms += 1000;
    const live = mustOpen(sessions, 'late');
    clock.ms += 1500;
    expect(sessions.sweep()).toBe(50);
    expect(sessions.size).toBe(1);
    expect(sessions.get(live)?.user).toBe('late');
  });

  it('never expires a session while a statement runs on it', () => {
    const { sessions, clock } = table();
    const long = mustOpen(sessions, 'alice');
    const idle = mustOpen(sessions, 'alice');
    expect(sessions.begin(long)?.user).toBe('alice');
    clock.ms += 10_000;
    expect(sessions.sweep()).toBe(1);
    expect(sessions.get(idle)).toBeUndefined();
    sessions.end(long);
    clock.ms += 1500;
    expect(sessions.get(long)?.user).toBe('alice');
  });

  it('counts expired sessions out of the caps', () => {
    const { sessions, clock } = table({ perIpUserMax: 2 });
    mustOpen(sessions, 'guest');
    mustOpen(sessions, 'guest');
    expect(sessions.open('guest', '10.0.0.1').ok).toBe(false);
    clock.ms += 2000;
    expect(sessions.open('guest', '10.0.0.1').ok).toBe(true);
  });
});

describe('Sessions caps', () => {
  it('refuses the next session of one user from one IP with NebulaGraph words', () => {
    const { sessions } = table({ perIpUserMax: 20 });
    for (let i = 0; i < 20; i++) mustOpen(sessions, 'guest', '127.0.0.1');
    expect(sessions.open('guest', '127.0.0.1')).toEqual({
      ok: false,
      error: {
        code: -1002,
        message:
          'Create Session failed: Too many sessions created from 127.0.0.1 by user guest. the threshold is 20. ' +
          "You can change it by modifying 'max_sessions_per_ip_per_user' in nebula-graphd.conf",
      },
    });
    // Another user, or the same user from another IP, is not held back.
    expect(sessions.open('alice', '127.0.0.1').ok).toBe(true);
    expect(sessions.open('guest', '10.0.0.2').ok).toBe(true);
  });

  it('frees a slot when a session is closed, and when its user is dropped', () => {
    const { sessions } = table({ perIpUserMax: 2 });
    const a = mustOpen(sessions, 'guest');
    mustOpen(sessions, 'guest');
    sessions.close(a);
    const c = mustOpen(sessions, 'guest');
    sessions.closeUser('guest');
    expect(sessions.get(c)).toBeUndefined();
    expect(sessions.size).toBe(0);
    mustOpen(sessions, 'guest');
    mustOpen(sessions, 'guest');
  });

  it('keeps the last sessions for root when other users filled the rest', () => {
    const { sessions } = table({ sessionsMax: 30, reservedForRoot: 3 });
    for (let i = 0; i < 27; i++) mustOpen(sessions, 'guest', `10.0.0.${i}`);
    expect(sessions.open('guest', '10.0.1.1')).toEqual({
      ok: false,
      error: { code: -1010, message: 'Too many connections in the cluster' },
    });
    for (let i = 0; i < 3; i++) mustOpen(sessions, 'root');
    expect(sessions.open('root', '10.0.0.1')).toMatchObject({ ok: false, error: { code: -1010 } });
    expect(sessions.size).toBe(30);
  });
});
