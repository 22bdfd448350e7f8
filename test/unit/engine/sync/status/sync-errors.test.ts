// Pins SHOW SYNC ERRORS' rows: on a primary, the serving listener's last failure and the primary's own reason for every OFFLINE partition of a running sync (silent, not heartbeating, not accepted, unacknowledged); on a secondary, recent refusals until the partition works again, the drainer's failures and a drainer gone quiet; nothing when nothing is wrong.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refusalsOf } from '../../../../../src/engine/sync/apply/refusals.ts';
import { ACK_WAIT_MS_MAX, ERRORS_RECENT_MS, PROGRESS_FRESH_MS } from '../../../../../src/engine/sync/status/status-rules.ts';
import { ErrorCode } from '../../../../../src/errors.ts';
import { statusFixture, type StatusFixture } from './status-fixture.ts';

const META = { host: '10.0.0.3', port: 9569 };
const STORE = { host: '10.0.0.3', port: 9789 };
const D = { host: '10.0.0.4', port: 9889 };

let f: StatusFixture;
beforeEach(() => {
  f = statusFixture();
});
afterEach(() => f.close());

describe('on a primary', () => {
  beforeEach(() => {
    f.createSpace('s', 2);
    f.commit({ op: 'signInDrainers', space: 's', drainers: [D] });
    f.commit({ op: 'addListenerSync', space: 's', meta: META, storage: [STORE], targetSpace: 'r' });
    f.beat('META_LISTENER', META.host, META.port);
    f.beat('STORAGE_LISTENER', STORE.host, STORE.port);
    f.report('META_LISTENER', META.host, META.port, 's', [{ part: 0 }]);
    f.report('STORAGE_LISTENER', STORE.host, STORE.port, 's', [{ part: 1 }, { part: 2 }]);
  });

  it('is empty while every stream is accepted and acknowledging', () => {
    expect(f.sync.syncErrors('s')).toEqual([]);
  });

  it("lists the listener's refusal with its code, count and times, and no second reason for that partition", () => {
    const refused = { code: -5, message: 'drainer refused (code -5): SpaceNotFound', count: 7, firstMs: f.clock.now - 3_000, lastMs: f.clock.now - 200 };
    f.report('STORAGE_LISTENER', STORE.host, STORE.port, 's', [{ part: 1, shipping: false, error: refused }, { part: 2 }]);
    expect(f.sync.syncErrors('s')).toEqual([{ part: 1, side: 'LISTENER', ...refused }]);
  });

  it('says why a partition is OFFLINE when the listener has no failure to tell', () => {
    const now = f.clock.now;
    f.report('STORAGE_LISTENER', STORE.host, STORE.port, 's', [{ part: 1, shipping: false }, { part: 2, outstanding: 2, waitingSinceMs: now }]);
    f.clock.now += ACK_WAIT_MS_MAX + 1;
    f.beat('META_LISTENER', META.host, META.port);
    f.beat('STORAGE_LISTENER', STORE.host, STORE.port);
    f.report('META_LISTENER', META.host, META.port, 's', [{ part: 0 }]);
    f.report('STORAGE_LISTENER', STORE.host, STORE.port, 's', [{ part: 1, shipping: false }, { part: 2, outstanding: 2, waitingSinceMs: now }]);
    const rows = f.sync.syncErrors('s');
    expect(rows.map((r) => [r.part, r.side, r.code])).toEqual([
      [1, 'PRIMARY', ErrorCode.E_RPC_FAILURE],
      [2, 'PRIMARY', ErrorCode.E_RPC_FAILURE],
    ]);
    expect(rows[0]!.message).toBe('the storage listener 10.0.0.3:9789 has no stream that a drainer accepted');
    expect(rows[1]).toMatchObject({ message: `2 batch(es) sent to the drainer unacknowledged for ${ACK_WAIT_MS_MAX + 1} ms`, firstMs: now, lastMs: f.clock.now });
  });

  it('names a silent listener and one that sends no heartbeat', () => {
    const reportedAt = f.clock.now;
    f.clock.now += PROGRESS_FRESH_MS + 1;
    f.beat('STORAGE_LISTENER', STORE.host, STORE.port);
    const rows = f.sync.syncErrors('s');
    expect(rows.map((r) => r.message)).toEqual([
      'the meta listener 10.0.0.3:9569 sends no heartbeat',
      `no progress report from the storage listener 10.0.0.3:9789 for ${PROGRESS_FRESH_MS + 1} ms`,
      `no progress report from the storage listener 10.0.0.3:9789 for ${PROGRESS_FRESH_MS + 1} ms`,
    ]);
    expect(rows[1]).toMatchObject({ part: 1, firstMs: reportedAt });
  });

  it('lists nothing for a stopped sync, and forgets a failure older than ERRORS_RECENT_MS', () => {
    const old = { code: -5, message: 'old', count: 1, firstMs: f.clock.now - ERRORS_RECENT_MS - 1, lastMs: f.clock.now - ERRORS_RECENT_MS - 1 };
    f.report('STORAGE_LISTENER', STORE.host, STORE.port, 's', [{ part: 1, error: old }, { part: 2 }]);
    expect(f.sync.syncErrors('s')).toEqual([]);
    f.report('STORAGE_LISTENER', STORE.host, STORE.port, 's', [{ part: 1, shipping: false }, { part: 2, shipping: false }]);
    f.commit({ op: 'setSyncStopped', space: 's', stopped: true });
    expect(f.sync.syncErrors('s')).toEqual([]);
  });
});

describe('on a secondary', () => {
  const SOURCE = 'c1/s';
  beforeEach(() => {
    f.createSpace('r', 3);
    f.commit({ op: 'addDrainers', space: 'r', drainers: [D] });
    f.beat('DRAINER', D.host, D.port);
  });

  const refuse = (part: number, code: number, message: string, source = SOURCE) =>
    refusalsOf(f.metaStore).refused({ space: 'r', source, part, code, message }, f.clock.now);

  it('lists recent refusals until the partition works again', () => {
    const first = f.clock.now;
    refuse(1, -2029, 'NoValidDrainer: not added');
    f.clock.now += 300;
    refuse(1, -2029, 'NoValidDrainer: not added');
    expect(f.sync.syncErrors('r')).toEqual([
      { part: 1, side: 'SECONDARY', code: -2029, message: 'NoValidDrainer: not added', count: 2, firstMs: first, lastMs: first + 300 },
    ]);
    f.clock.now += 10;
    f.report('DRAINER', D.host, D.port, 'r', [{ part: 1, okAtMs: f.clock.now }]);
    expect(f.sync.syncErrors('r')).toEqual([]);
    f.clock.now += 10;
    refuse(1, -4001, 'LogGap: from 9');
    expect(f.sync.syncErrors('r').map((r) => r.code)).toEqual([-4001]);
    f.clock.now += ERRORS_RECENT_MS + 1;
    f.beat('DRAINER', D.host, D.port);
    f.report('DRAINER', D.host, D.port, 'r', [{ part: 1, shipping: false }]);
    expect(f.sync.syncErrors('r')).toEqual([]);
  });

  it('keeps listing a refused second source (fan-in) while it tries, whatever the registered source does', () => {
    f.commit({ op: 'setSyncSource', space: 'r', clusterId: 'c1', sourceSpace: 's', partitionNum: 3, vidType: 'FIXED_STRING' });
    refuse(2, -4006, 'DataConflict: another source', 'c2/x');
    f.clock.now += 5;
    f.report('DRAINER', D.host, D.port, 'r', [{ part: 2, okAtMs: f.clock.now }]);
    expect(f.sync.syncErrors('r')).toMatchObject([{ part: 2, side: 'SECONDARY', code: -4006, message: 'from source c2/x: DataConflict: another source' }]);
  });

  it("lists the drainer's own failures unless the refusal already says it, and a drainer gone quiet", () => {
    const held = { code: -3, message: 'RpcFailure: disk full', count: 2, firstMs: f.clock.now - 50, lastMs: f.clock.now };
    const pending = { code: -4009, message: 'SchemaPending: tag 3', count: 9, firstMs: f.clock.now - 50, lastMs: f.clock.now };
    refuse(2, -4009, 'SchemaPending: tag 3');
    f.report('DRAINER', D.host, D.port, 'r', [{ part: 1, error: held }, { part: 2, error: pending }, { part: 3 }]);
    expect(f.sync.syncErrors('r').map((r) => [r.part, r.side, r.code])).toEqual([
      [1, 'DRAINER', -3],
      [2, 'SECONDARY', -4009],
    ]);
    f.clock.now += PROGRESS_FRESH_MS + 1;
    f.beat('DRAINER', D.host, D.port);
    // Part 2 applied since (its refusal is over); part 3's drainer went quiet while streaming.
    f.report('DRAINER', D.host, D.port, 'r', [{ part: 1 }, { part: 2, okAtMs: f.clock.now }]);
    expect(f.sync.syncErrors('r')).toMatchObject([
      { part: 3, side: 'DRAINER', code: ErrorCode.E_RPC_FAILURE, message: `no progress report from the drainer 10.0.0.4:9889 for ${PROGRESS_FRESH_MS + 1} ms` },
    ]);
  });
});
