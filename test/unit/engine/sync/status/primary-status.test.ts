// Pins SHOW LISTENER SYNC / SHOW SYNC STATUS on a primary: ONLINE only for a running sync whose serving listener heartbeats and freshly reports shipping; lag and latency from the primary's WALs and the acknowledged positions.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FRESH_MS, statusFixture, type StatusFixture } from './status-fixture.ts';

const META = { host: '10.0.0.3', port: 9569 };
const STORE_A = { host: '10.0.0.3', port: 9789 };
const STORE_B = { host: '10.0.0.5', port: 9789 };

let f: StatusFixture;
beforeEach(() => {
  f = statusFixture();
});
afterEach(() => f.close());

function addSync(storage = [STORE_A]): void {
  f.commit({ op: 'signInDrainers', space: 's', drainers: [{ host: '10.0.0.4', port: 9889 }] });
  f.commit({ op: 'addListenerSync', space: 's', meta: META, storage, targetSpace: 'r' });
}

/** Both listeners heartbeat and report shipping for every part of a 3-part space. */
function allShipping(): void {
  f.beat('META_LISTENER', META.host, META.port);
  f.beat('STORAGE_LISTENER', STORE_A.host, STORE_A.port);
  f.report('META_LISTENER', META.host, META.port, 's', [{ part: 0 }]);
  f.report('STORAGE_LISTENER', STORE_A.host, STORE_A.port, 's', [{ part: 1 }, { part: 2 }, { part: 3 }]);
}

describe('listenerStatus', () => {
  it('is OFFLINE without a listener sync, ONLINE once the listeners heartbeat and ship', () => {
    f.createSpace('s', 3);
    allShipping();
    expect(f.sync.listenerStatus('s', 0)).toBe('OFFLINE');
    addSync();
    expect([0, 1, 2, 3].map((p) => f.sync.listenerStatus('s', p))).toEqual(['ONLINE', 'ONLINE', 'ONLINE', 'ONLINE']);
    expect(f.sync.listenerStatus('s', 4)).toBe('OFFLINE');
    expect(f.sync.listenerStatus('nope', 0)).toBe('OFFLINE');
  });

  it('goes OFFLINE on STOP SYNC and back ONLINE on RESTART SYNC', () => {
    f.createSpace('s', 3);
    addSync();
    allShipping();
    f.commit({ op: 'setSyncStopped', space: 's', stopped: true });
    expect(f.sync.listenerStatus('s', 1)).toBe('OFFLINE');
    expect(f.sync.listenerStatus('s', 0)).toBe('OFFLINE');
    f.commit({ op: 'setSyncStopped', space: 's', stopped: false });
    expect(f.sync.listenerStatus('s', 1)).toBe('ONLINE');
  });

  it('stays ONLINE while a heartbeating listener is refused downstream (the seed shows ONLINE before the target exists)', () => {
    f.createSpace('s', 3);
    addSync();
    allShipping();
    f.report('STORAGE_LISTENER', STORE_A.host, STORE_A.port, 's', [{ part: 2, shipping: false }]);
    expect([1, 2, 3].map((p) => f.sync.listenerStatus('s', p))).toEqual(['ONLINE', 'ONLINE', 'ONLINE']);
  });

  it('is OFFLINE when the serving listener has not heartbeat for 5 intervals', () => {
    f.createSpace('s', 3);
    addSync();
    allShipping();
    f.clock.now += FRESH_MS + 1;
    expect(f.sync.listenerStatus('s', 1)).toBe('OFFLINE');
    expect(f.sync.listenerStatus('s', 0)).toBe('OFFLINE');
    f.beat('STORAGE_LISTENER', STORE_A.host, STORE_A.port);
    expect(f.sync.listenerStatus('s', 1)).toBe('ONLINE');
    expect(f.sync.listenerStatus('s', 0)).toBe('OFFLINE');
  });

  it('asks the storage listener that serves the part (round-robin)', () => {
    f.createSpace('s', 3);
    addSync([STORE_A, STORE_B]);
    f.beat('STORAGE_LISTENER', STORE_A.host, STORE_A.port);
    // Parts 1 and 3 are A's, part 2 is B's, which has not heartbeat yet.
    expect([1, 2, 3].map((p) => f.sync.listenerStatus('s', p))).toEqual(['ONLINE', 'OFFLINE', 'ONLINE']);
    f.beat('STORAGE_LISTENER', STORE_B.host, STORE_B.port);
    expect(f.sync.listenerStatus('s', 2)).toBe('ONLINE');
  });
});

describe('syncStatus', () => {
  it('has one row per partition 0..N, all at 0 lag on an idle space', () => {
    f.createSpace('s', 3);
    addSync();
    allShipping();
    expect(f.sync.syncStatus('s')).toEqual([0, 1, 2, 3].map((part) => ({ part, status: 'ONLINE', logIdLag: 0, timeLatencyMs: 0 })));
    expect(f.sync.syncStatus('nope')).toEqual([]);
  });

  it('counts a data partition lag from the acknowledged log id and measures latency between entry timestamps', async () => {
    const store = f.createSpace('s', 3);
    addSync();
    const t1 = f.clock.now;
    await f.writeIn(store, 2);
    f.clock.now += 40;
    await f.writeIn(store, 2);
    f.clock.now += 60;
    const t3 = f.clock.now;
    await f.writeIn(store, 2);
    // Nothing acknowledged: the oldest unacknowledged entry (log id 1) is where latency starts.
    expect(f.sync.syncStatus('s')[2]).toEqual({ part: 2, status: 'OFFLINE', logIdLag: 3, timeLatencyMs: t3 - t1 });
    f.beat('STORAGE_LISTENER', STORE_A.host, STORE_A.port);
    f.report('STORAGE_LISTENER', STORE_A.host, STORE_A.port, 's', [{ part: 2, ackedLogId: 2, ackedTs: t1 + 40 }]);
    expect(f.sync.syncStatus('s')[2]).toEqual({ part: 2, status: 'ONLINE', logIdLag: 1, timeLatencyMs: 60 });
    f.report('STORAGE_LISTENER', STORE_A.host, STORE_A.port, 's', [{ part: 2, ackedLogId: 3, ackedTs: t3 }]);
    expect(f.sync.syncStatus('s')[2]).toEqual({ part: 2, status: 'ONLINE', logIdLag: 0, timeLatencyMs: 0 });
    // Other partitions never got a write.
    expect(f.sync.syncStatus('s')[1]!.logIdLag).toBe(0);
  });

  it('measures from the oldest retained entry when the unacknowledged ones expired', async () => {
    f.close();
    f = statusFixture({ walTtlSecs: 1 });
    const store = f.createSpace('s', 1);
    addSync();
    await f.writeIn(store, 1);
    f.clock.now += 5_000;
    const tRetained = f.clock.now;
    await f.writeIn(store, 1);
    f.clock.now += 300;
    await f.writeIn(store, 1);
    f.storage.purgeExpired(tRetained + 500);
    expect(f.sync.syncStatus('s')[1]).toEqual({ part: 1, status: 'OFFLINE', logIdLag: 3, timeLatencyMs: 300 });
  });

  it('counts in partition 0 only the schema entries of this space after the acknowledged log id', () => {
    f.createSpace('s', 1);
    f.createSpace('other', 1);
    addSync();
    const tFirst = f.clock.now;
    f.commit({ op: 'createSchema', space: 's', kind: 'TAG', name: 'player', props: [] });
    f.clock.now += 10;
    f.commit({ op: 'createSchema', space: 'other', kind: 'TAG', name: 'x', props: [] });
    f.commit({ op: 'putUser', name: 'alice', passwordHash: 'h' });
    f.clock.now += 15;
    const ackAt = f.metaStore.lastLogId();
    const tAck = f.clock.now;
    f.commit({ op: 'createSchema', space: 's', kind: 'EDGE', name: 'follow', props: [] });
    f.clock.now += 100;
    const tLast = f.clock.now;
    f.commit({ op: 'alterSchema', space: 's', kind: 'TAG', name: 'player', props: [] });
    f.commit({ op: 'setReadOnly', space: 's', readOnly: false });
    expect(f.sync.syncStatus('s')[0]).toMatchObject({ part: 0, logIdLag: 3, timeLatencyMs: tLast - tFirst });
    f.report('META_LISTENER', META.host, META.port, 's', [{ part: 0, ackedLogId: ackAt, ackedTs: tAck }]);
    expect(f.sync.syncStatus('s')[0]).toMatchObject({ part: 0, logIdLag: 2, timeLatencyMs: tLast - tAck });
    f.report('META_LISTENER', META.host, META.port, 's', [{ part: 0, ackedLogId: f.metaStore.lastLogId(), ackedTs: tLast }]);
    expect(f.sync.syncStatus('s')[0]).toMatchObject({ part: 0, logIdLag: 0, timeLatencyMs: 0 });
    // The index catches up with entries committed after it was first read.
    f.commit({ op: 'dropSchema', space: 's', kind: 'EDGE', name: 'follow' });
    expect(f.sync.syncStatus('s')[0]).toMatchObject({ part: 0, logIdLag: 1 });
  });

  it('forgets the schema history of a space that was dropped and created again', () => {
    f.createSpace('s', 1);
    f.commit({ op: 'createSchema', space: 's', kind: 'TAG', name: 'old', props: [] });
    expect(f.sync.syncStatus('s')[0]!.logIdLag).toBe(1);
    f.commit({ op: 'dropSpace', name: 's' });
    f.createSpace('s', 1);
    addSync();
    expect(f.sync.syncStatus('s')[0]!.logIdLag).toBe(0);
  });
});
