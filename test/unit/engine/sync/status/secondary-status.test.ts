// Pins SHOW DRAINERS / SHOW DRAINER SYNC STATUS on a secondary: drainer liveness; one sorted row per source partition a drainer of the space reported; ONLINE while that drainer heartbeats and freshly reports an accepted stream, writes or not; lag = received - applied; reports from a drainer the space did not add are ignored.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROGRESS_FRESH_MS } from '../../../../../src/engine/sync/status/status-rules.ts';
import { FRESH_MS, statusFixture, T0, type StatusFixture } from './status-fixture.ts';

const D = { host: '10.0.0.4', port: 9889 };

let f: StatusFixture;
beforeEach(() => {
  f = statusFixture();
  f.createSpace('r', 3);
  f.commit({ op: 'addDrainers', space: 'r', drainers: [D] });
});
afterEach(() => f.close());

describe('drainerStatus', () => {
  it('is ONLINE while the drainer heartbeats and OFFLINE 5 intervals after', () => {
    expect(f.sync.drainerStatus(D.host, D.port)).toBe('OFFLINE');
    f.beat('DRAINER', D.host, D.port);
    expect(f.sync.drainerStatus(D.host, D.port)).toBe('ONLINE');
    expect(f.sync.drainerStatus(D.host, 9890)).toBe('OFFLINE');
    f.clock.now += FRESH_MS + 1;
    expect(f.sync.drainerStatus(D.host, D.port)).toBe('OFFLINE');
  });
});

describe('drainerSyncStatus', () => {
  it('reads ONLINE | 0 | 0 for partitions whose streams were accepted and carry nothing yet', () => {
    f.beat('DRAINER', D.host, D.port);
    f.report('DRAINER', D.host, D.port, 'r', [0, 1, 2, 3].map((part) => ({ part })));
    expect(f.sync.drainerSyncStatus('r')).toEqual([0, 1, 2, 3].map((part) => ({ part, status: 'ONLINE', logIdLag: 0, timeLatencyMs: 0 })));
  });

  it('answers one row per reported part, sorted, with lag and latency between received and applied', () => {
    f.beat('DRAINER', D.host, D.port);
    f.report('DRAINER', D.host, D.port, 'r', [
      { part: 2, receivedLogId: 9, receivedTs: T0 + 900, ackedLogId: 7, ackedTs: T0 + 700 },
      { part: 0, receivedLogId: 4, receivedTs: T0 + 40, ackedLogId: 4, ackedTs: T0 + 40 },
      { part: 1, receivedLogId: 3, receivedTs: T0 + 30, ackedLogId: 0, ackedTs: 0 },
    ]);
    expect(f.sync.drainerSyncStatus('r')).toEqual([
      { part: 0, status: 'ONLINE', logIdLag: 0, timeLatencyMs: 0 },
      // Nothing applied yet: no applied ts to measure from.
      { part: 1, status: 'ONLINE', logIdLag: 3, timeLatencyMs: 0 },
      { part: 2, status: 'ONLINE', logIdLag: 2, timeLatencyMs: 200 },
    ]);
    expect(f.sync.drainerSyncStatus('other')).toEqual([]);
  });

  it('shows OFFLINE for a drainer that stopped heartbeating, a stale report, or a stream not accepted', () => {
    f.beat('DRAINER', D.host, D.port);
    f.report('DRAINER', D.host, D.port, 'r', [{ part: 1 }, { part: 2, shipping: false }]);
    expect(f.sync.drainerSyncStatus('r').map((r) => r.status)).toEqual(['ONLINE', 'OFFLINE']);
    f.clock.now += PROGRESS_FRESH_MS + 1;
    f.beat('DRAINER', D.host, D.port);
    expect(f.sync.drainerSyncStatus('r').map((r) => r.status)).toEqual(['OFFLINE', 'OFFLINE']);
    f.report('DRAINER', D.host, D.port, 'r', [{ part: 1 }]);
    expect(f.sync.drainerSyncStatus('r').map((r) => r.status)).toEqual(['ONLINE', 'OFFLINE']);
    f.clock.now += FRESH_MS + 1;
    f.report('DRAINER', D.host, D.port, 'r', [{ part: 1 }]);
    expect(f.sync.drainerSyncStatus('r').map((r) => r.status)).toEqual(['OFFLINE', 'OFFLINE']);
  });

  it('ignores reports from a drainer the space did not add (or no longer has)', () => {
    const other = { host: '10.0.0.9', port: 9889 };
    f.beat('DRAINER', other.host, other.port);
    f.report('DRAINER', other.host, other.port, 'r', [{ part: 1 }]);
    expect(f.sync.drainerSyncStatus('r')).toEqual([]);
    f.beat('DRAINER', D.host, D.port);
    f.report('DRAINER', D.host, D.port, 'r', [{ part: 1 }]);
    expect(f.sync.drainerSyncStatus('r')).toHaveLength(1);
    f.commit({ op: 'removeDrainers', space: 'r' });
    expect(f.sync.drainerSyncStatus('r')).toEqual([]);
  });
});
