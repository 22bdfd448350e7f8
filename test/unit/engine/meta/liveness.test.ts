// Pins host liveness: ONLINE while heard within 5 heartbeat intervals, OFFLINE after, still listed, sorted by host then port.
import { describe, expect, it } from 'vitest';
import { Liveness } from '../../../../src/engine/meta/liveness.ts';

const beat = (host: string, port: number, role: 'DRAINER' | 'STORAGE_LISTENER' = 'DRAINER') => ({
  role,
  host,
  port,
  gitInfoSha: 'abc1234',
  version: 'ent-3.1.0',
});

describe('Liveness', () => {
  it('is ONLINE for 5 intervals after a heartbeat and OFFLINE after that', () => {
    const live = new Liveness({ heartbeatIntervalSecs: 1 });
    expect(live.statusOf('DRAINER', '10.0.0.4', 9889, 0)).toBe('OFFLINE');
    live.heartbeat(beat('10.0.0.4', 9889), 10_000);
    expect(live.statusOf('DRAINER', '10.0.0.4', 9889, 10_000)).toBe('ONLINE');
    expect(live.statusOf('DRAINER', '10.0.0.4', 9889, 15_000)).toBe('ONLINE');
    expect(live.statusOf('DRAINER', '10.0.0.4', 9889, 15_001)).toBe('OFFLINE');
    live.heartbeat(beat('10.0.0.4', 9889), 20_000);
    expect(live.statusOf('DRAINER', '10.0.0.4', 9889, 24_000)).toBe('ONLINE');
  });

  it('scales the window with the interval and keys hosts by role, host and port', () => {
    const live = new Liveness({ heartbeatIntervalSecs: 10 });
    live.heartbeat(beat('h', 1), 0);
    expect(live.statusOf('DRAINER', 'h', 1, 49_000)).toBe('ONLINE');
    expect(live.statusOf('DRAINER', 'h', 1, 51_000)).toBe('OFFLINE');
    expect(live.statusOf('STORAGE_LISTENER', 'h', 1, 0)).toBe('OFFLINE');
    expect(live.statusOf('DRAINER', 'h', 2, 0)).toBe('OFFLINE');
  });

  it('lists a role sorted by host then port, keeping silent hosts as OFFLINE', () => {
    const live = new Liveness({ heartbeatIntervalSecs: 1 });
    live.heartbeat(beat('10.0.0.9', 9889), 0);
    live.heartbeat(beat('10.0.0.4', 9890), 8_000);
    live.heartbeat(beat('10.0.0.4', 9889), 8_000);
    live.heartbeat(beat('10.0.0.3', 9789, 'STORAGE_LISTENER'), 8_000);
    expect(live.list('DRAINER', 10_000)).toEqual([
      { host: '10.0.0.4', port: 9889, role: 'DRAINER', status: 'ONLINE', gitInfoSha: 'abc1234', version: 'ent-3.1.0' },
      { host: '10.0.0.4', port: 9890, role: 'DRAINER', status: 'ONLINE', gitInfoSha: 'abc1234', version: 'ent-3.1.0' },
      { host: '10.0.0.9', port: 9889, role: 'DRAINER', status: 'OFFLINE', gitInfoSha: 'abc1234', version: 'ent-3.1.0' },
    ]);
    live.forget('DRAINER', '10.0.0.9', 9889);
    expect(live.list('DRAINER', 10_000).map((h) => h.host)).toEqual(['10.0.0.4', '10.0.0.4']);
  });
});
