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
  it('writes the first event at once, then one line per period with the count since the last line', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { log, lines } = recording();
    const warn = throttledWarn(log, 'refused', 60_000);
    for (let i = 0; i < 1_000; i++) warn({ peer: `10.0.0.${i % 7}` });
    expect(lines).toEqual([['refused', { peer: '10.0.0.0', count: 1 }]]);
    vi.advanceTimersByTime(59_999);
    warn({ peer: 'a' });
    expect(lines).toHaveLength(1);
    vi.advanceTimersByTime(1);
    warn({ peer: 'b' });
    // 999 after the first line, then 'a' and 'b'.
    expect(lines[1]).toEqual(['refused', { peer: 'b', count: 1_001 }]);
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
    warn.warn('malformed request');
    expect(lines[2]).toEqual(['malformed request', { count: 50 }]);
  });
});
