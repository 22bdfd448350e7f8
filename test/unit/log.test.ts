// Pins throttledWarn (src/log.ts): a warning a stranger can trigger at will is written at most
// once per period, the first at once, each later line counting the events since the one before;
// throttledWarnings does so for each message apart.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { throttledWarn, throttledWarnings, type Logger } from '../../src/log.ts';

function recording(): { log: Logger; lines: Array<[string, Record<string, unknown> | undefined]> } {
  const lines: Array<[string, Record<string, unknown> | undefined]> = [];
  const log: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (msg, fields) => void lines.push([msg, fields]),
    error: () => undefined,
    child: () => log,
  };
  return { log, lines };
}

afterEach(() => vi.useRealTimers());

describe('throttledWarn', () => {
  it('writes the first event at once, then one line at the end of each period with the latest fields and the count', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { log, lines } = recording();
    const warn = throttledWarn(log, 'refused', 60_000);
    for (let i = 0; i < 1_000; i++) warn({ peer: `10.0.0.${i % 7}` });
    expect(lines).toEqual([['refused', { peer: '10.0.0.0', count: 1 }]]);
    vi.advanceTimersByTime(59_999);
    warn({ peer: 'a' });
    expect(lines).toHaveLength(1);
    // The period ends: the 999 after the first line and 'a' are told without waiting for another event.
    vi.advanceTimersByTime(1);
    expect(lines[1]).toEqual(['refused', { peer: 'a', count: 1_000 }]);
    warn({ peer: 'b' });
    expect(lines).toHaveLength(2);
    vi.advanceTimersByTime(60_000);
    expect(lines[2]).toEqual(['refused', { peer: 'b', count: 1 }]);
    // Nothing more happened: nothing more is written.
    vi.advanceTimersByTime(600_000);
    expect(lines).toHaveLength(3);
    // A quiet period past, the next event is written at once.
    warn({ peer: 'c' });
    expect(lines[3]).toEqual(['refused', { peer: 'c', count: 1 }]);
  });
});

describe('throttledWarnings', () => {
  it('throttles each message on its own', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { log, lines } = recording();
    const warn = throttledWarnings(log, 10_000);
    for (let i = 0; i < 50; i++) {
      warn.warn('over the cap', { i });
      warn.warn('malformed request', { i });
    }
    expect(lines).toEqual([
      ['over the cap', { i: 0, count: 1 }],
      ['malformed request', { i: 0, count: 1 }],
    ]);
    vi.advanceTimersByTime(10_000);
    expect(lines.slice(2)).toEqual([
      ['over the cap', { i: 49, count: 49 }],
      ['malformed request', { i: 49, count: 49 }],
    ]);
  });
});
