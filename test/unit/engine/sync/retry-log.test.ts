// Pins the retry helpers: backoff doubles from its base up to a cap and starts over on reset, and a
// StateLog writes one line when a (scope, code) starts failing and one when its last member heals,
// however many members and attempts, and never more than its line budget per window.
import { describe, expect, it } from 'vitest';
import { Backoff, RETRY_MAX_MS, STATE_LOG_LINES_MAX, STATE_LOG_WINDOW_MS, StateLog } from '../../../../src/engine/sync/retry-log.ts';
import { recordingLogger } from './listener/listener-fixture.ts';

describe('Backoff', () => {
  it('doubles from its base, stays at its cap, and starts over after a reset', () => {
    const b = new Backoff(50, 400);
    expect(Array.from({ length: 6 }, () => b.next())).toEqual([50, 100, 200, 400, 400, 400]);
    b.reset();
    expect(b.next()).toBe(50);
    b.atLeast(5);
    expect(b.next()).toBe(400);
    const capped = new Backoff();
    for (let i = 0; i < 100; i++) expect(capped.next()).toBeLessThanOrEqual(RETRY_MAX_MS);
  });
});

describe('StateLog', () => {
  it('logs once per state change, not per attempt or per member', () => {
    const log = recordingLogger();
    const states = new StateLog(log, 'apply');
    for (let attempt = 0; attempt < 50; attempt++) {
      for (let part = 0; part < 16; part++) states.failed('target', `src/${part}`, -5, "SpaceNotFound: Space `target' not existed!");
    }
    expect(log.lines.map((l) => [l.level, l.msg])).toEqual([['warn', "apply refused: -5 SpaceNotFound: Space `target' not existed!; retrying with backoff"]]);
    for (let part = 0; part < 15; part++) states.ok('target', `src/${part}`);
    expect(log.lines).toHaveLength(1);
    states.ok('target', 'src/15');
    expect(log.lines.at(-1)).toMatchObject({ level: 'info', msg: 'apply accepted again', fields: { code: '-5' } });
    states.ok('target', 'src/15');
    expect(log.lines).toHaveLength(2);
  });

  it('logs a move to another code, and scopes fail independently', () => {
    const log = recordingLogger();
    const states = new StateLog(log, 'apply');
    states.failed('t1', 'a', -4009, 'SchemaPending: ...');
    states.failed('t1', 'a', -4009, 'SchemaPending: again');
    states.failed('t1', 'a', -3, 'StorageError: SQLITE_FULL');
    states.failed('t2', 'a', -3, 'StorageError: SQLITE_FULL');
    expect(log.lines.map((l) => l.fields['code'])).toEqual([-4009, -3, -3]);
    expect(states.failing('t1', 'a')).toBe(true);
    states.forget('t1', 'a');
    expect(states.failing('t1', 'a')).toBe(false);
    expect(log.lines).toHaveLength(3);
  });

  it('holds back lines beyond its budget and says how many in the next one', () => {
    const log = recordingLogger();
    let now = 0;
    const states = new StateLog(log, 'apply', () => now);
    for (let i = 0; i < 1_000; i++) states.failed(`made-up-${i}`, 'm', -2029, 'NoValidDrainer');
    expect(log.lines).toHaveLength(STATE_LOG_LINES_MAX);
    now += STATE_LOG_WINDOW_MS;
    states.failed('real', 'm', -4001, 'LogGap');
    expect(log.lines.at(-1)!.fields).toMatchObject({ code: -4001, suppressed: 1_000 - STATE_LOG_LINES_MAX });
  });
});
