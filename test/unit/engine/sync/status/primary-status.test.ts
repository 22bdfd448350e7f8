// Pins SHOW LISTENER SYNC / SHOW SYNC STATUS on a primary: a listener row ONLINE while it heartbeats and the sync runs; a partition ONLINE only while its serving listener freshly reports a stream a drainer accepted and acknowledges (refused, stale, stuck, stopped or foreign reports read OFFLINE); LogId Lag = last log id - durable log id, Time Latency = now - ts of the oldest entry not durable.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACK_WAIT_MS_MAX, PROGRESS_FRESH_MS } from '../../../../../src/engine/sync/status/status-rules.ts';
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
  const online = (part: number) => ({ part, status: 'ONLINE', logIdLag: 0, timeLatencyMs: 0 });

  it('reads ONLINE | 0 | 0 for every partition of an idle space whose streams were accepted', () => {
    f.createSpace('s', 3);
    addSync();
    allShipping();
    expect(f.sync.syncStatus('s')).toEqual([0, 1, 2, 3].map(online));
    expect(f.sync.syncStatus('nope')).toEqual([]);
  });

  it('reads OFFLINE while the listener heartbeats but its stream is refused or not yet accepted', () => {
    f.createSpace('s', 3);
    addSync();
    f.beat('META_LISTENER', META.host, META.port);
    f.beat('STORAGE_LISTENER', STORE_A.host, STORE_A.port);
    // No report yet: nothing says a drainer took the stream.
    expect(f.sync.syncStatus('s').map((r) => r.status)).toEqual(['OFFLINE', 'OFFLINE', 'OFFLINE', 'OFFLINE']);
    const refused = { code: -5, message: 'SpaceNotFound', count: 3, firstMs: f.clock.now - 900, lastMs: f.clock.now };
    f.report('STORAGE_LISTENER', STORE_A.host, STORE_A.port, 's', [{ part: 1, shipping: false, error: refused }, { part: 2 }, { part: 3 }]);
    f.report('META_LISTENER', META.host, META.port, 's', [{ part: 0 }]);
    expect(f.sync.syncStatus('s')).toEqual([online(0), { part: 1, status: 'OFFLINE', logIdLag: 0, timeLatencyMs: 0 }, online(2), online(3)]);
  });

  it('reads OFFLINE on STOP SYNC although the listener still reports', () => {
    f.createSpace('s', 3);
    addSync();
    allShipping();
    f.commit({ op: 'setSyncStopped', space: 's', stopped: true });
    expect(f.sync.syncStatus('s').every((r) => r.status === 'OFFLINE')).toBe(true);
  });

  it('reads OFFLINE once the latest report is older than the freshness window', () => {
    f.createSpace('s', 3);
    addSync();
    allShipping();
    f.clock.now += PROGRESS_FRESH_MS;
    // Heartbeats keep coming (the listener process lives) but its reports stopped.
    f.beat('META_LISTENER', META.host, META.port);
    f.beat('STORAGE_LISTENER', STORE_A.host, STORE_A.port);
    expect(f.sync.syncStatus('s')[1]!.status).toBe('ONLINE');
    f.clock.now += 1;
    expect(f.sync.syncStatus('s').map((r) => r.status)).toEqual(['OFFLINE', 'OFFLINE', 'OFFLINE', 'OFFLINE']);
  });

  it('reads OFFLINE while batches wait longer than ACK_WAIT_MS_MAX for an acknowledgement, ONLINE again once acknowledged', () => {
    f.createSpace('s', 3);
    addSync();
    allShipping();
    const since = f.clock.now;
    f.report('STORAGE_LISTENER', STORE_A.host, STORE_A.port, 's', [{ part: 2, outstanding: 3, waitingSinceMs: since }]);
    f.clock.now += ACK_WAIT_MS_MAX;
    f.beat('STORAGE_LISTENER', STORE_A.host, STORE_A.port);
    f.report('STORAGE_LISTENER', STORE_A.host, STORE_A.port, 's', [{ part: 2, outstanding: 3, waitingSinceMs: since }]);
    expect(f.sync.syncStatus('s')[2]!.status).toBe('ONLINE');
    // No new report needed: the wait keeps growing on the primary's clock.
    f.clock.now += 1;
    expect(f.sync.syncStatus('s')[2]!.status).toBe('OFFLINE');
    f.report('STORAGE_LISTENER', STORE_A.host, STORE_A.port, 's', [{ part: 2, outstanding: 1, waitingSinceMs: f.clock.now }]);
    expect(f.sync.syncStatus('s')[2]!.status).toBe('ONLINE');
  });

  it('counts a data partition lag from the durable log id and its latency from the oldest entry not durable', async () => {
    const store = f.createSpace('s', 3);
    addSync();
    allShipping();
    const t1 = f.clock.now;
    await f.writeIn(store, 2);
    f.clock.now += 40;
    const t2 = f.clock.now;
    await f.writeIn(store, 2);
    f.clock.now += 60;
    const t3 = f.clock.now;
    await f.writeIn(store, 2);
    f.clock.now += 25;
    // Nothing durable yet: everything waits since entry 1.
    expect(f.sync.syncStatus('s')[2]).toEqual({ part: 2, status: 'ONLINE', logIdLag: 3, timeLatencyMs: f.clock.now - t1 });
    f.report('STORAGE_LISTENER', STORE_A.host, STORE_A.port, 's', [{ part: 2, ackedLogId: 1, ackedTs: t1 }]);
    expect(f.sync.syncStatus('s')[2]).toEqual({ part: 2, status: 'ONLINE', logIdLag: 2, timeLatencyMs: f.clock.now - t2 });
    f.report('STORAGE_LISTENER', STORE_A.host, STORE_A.port, 's', [{ part: 2, ackedLogId: 3, ackedTs: t3 }]);
    expect(f.sync.syncStatus('s')[2]).toEqual(online(2));
    // A refused or silent stream keeps the last durable position: the lag stays what it is.
    f.report('STORAGE_LISTENER', STORE_A.host, STORE_A.port, 's', [{ part: 2, shipping: false, ackedLogId: 3, ackedTs: t3 }]);
    expect(f.sync.syncStatus('s')[2]).toEqual({ part: 2, status: 'OFFLINE', logIdLag: 0, timeLatencyMs: 0 });
    expect(f.sync.syncStatus('s')[1]!.logIdLag).toBe(0);
  });

  it('measures from the oldest retained entry when the entries not durable expired', async () => {
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
    f.clock.now += 10;
    expect(f.sync.syncStatus('s')[1]).toEqual({ part: 1, status: 'OFFLINE', logIdLag: 3, timeLatencyMs: 310 });
  });

  it('ignores a report from a listener that does not serve the partition, or about another target', async () => {
    const store = f.createSpace('s', 3);
    addSync([STORE_A, STORE_B]);
    f.beat('STORAGE_LISTENER', STORE_A.host, STORE_A.port);
    f.beat('STORAGE_LISTENER', STORE_B.host, STORE_B.port);
    await f.writeIn(store, 2);
    // Part 2 is B's; A (or anyone) claiming it changes nothing.
    f.report('STORAGE_LISTENER', STORE_A.host, STORE_A.port, 's', [{ part: 2, ackedLogId: 1 }]);
    expect(f.sync.syncStatus('s')[2]).toMatchObject({ status: 'OFFLINE', logIdLag: 1 });
    f.report('STORAGE_LISTENER', STORE_B.host, STORE_B.port, 's', [{ part: 2, ackedLogId: 1, targetSpace: 'elsewhere' }]);
    expect(f.sync.syncStatus('s')[2]).toMatchObject({ status: 'OFFLINE', logIdLag: 1 });
    f.report('STORAGE_LISTENER', STORE_B.host, STORE_B.port, 's', [{ part: 2, ackedLogId: 1 }]);
    expect(f.sync.syncStatus('s')[2]).toEqual(online(2));
  });

  it('keeps the durable position a restarted listener has not learnt yet, and counts from 0 after a primary restart', async () => {
    const store = f.createSpace('s', 3);
    addSync();
    allShipping();
    await f.writeIn(store, 1);
    await f.writeIn(store, 1);
    f.report('STORAGE_LISTENER', STORE_A.host, STORE_A.port, 's', [{ part: 1, ackedLogId: 2, ackedTs: f.clock.now }]);
    f.report('STORAGE_LISTENER', STORE_A.host, STORE_A.port, 's', [{ part: 1, shipping: false, positionUnknown: true }]);
    expect(f.sync.syncStatus('s')[1]).toEqual({ part: 1, status: 'OFFLINE', logIdLag: 0, timeLatencyMs: 0 });
    // Another target's position is not this one's.
    f.report('STORAGE_LISTENER', STORE_A.host, STORE_A.port, 's', [{ part: 1, ackedLogId: 2, targetSpace: 'elsewhere' }]);
    f.report('STORAGE_LISTENER', STORE_A.host, STORE_A.port, 's', [{ part: 1, positionUnknown: true }]);
    expect(f.sync.syncStatus('s')[1]!.logIdLag).toBe(2);
  });

  it('ignores the reports about a space of the same name that was dropped', async () => {
    f.createSpace('s', 3);
    addSync();
    allShipping();
    const oldId = f.metaStore.catalog().spaces['s']!.id;
    f.report('STORAGE_LISTENER', STORE_A.host, STORE_A.port, 's', [{ part: 1, ackedLogId: 5, spaceId: oldId }]);
    expect(f.sync.syncStatus('s')[1]).toEqual(online(1));
    f.commit({ op: 'dropSpace', name: 's' });
    const store = f.createSpace('s', 3);
    addSync();
    await f.writeIn(store, 1);
    f.report('STORAGE_LISTENER', STORE_A.host, STORE_A.port, 's', [{ part: 1, positionUnknown: true, spaceId: f.metaStore.catalog().spaces['s']!.id }]);
    expect(f.sync.syncStatus('s')[1]).toMatchObject({ status: 'ONLINE', logIdLag: 1 });
    f.report('STORAGE_LISTENER', STORE_A.host, STORE_A.port, 's', [{ part: 1, ackedLogId: 5, spaceId: oldId }]);
    expect(f.sync.syncStatus('s')[1]).toMatchObject({ status: 'OFFLINE', logIdLag: 1 });
  });

  it('counts in partition 0 only the schema entries of this space after the durable log id', () => {
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
    const tEdge = f.clock.now;
    f.clock.now += 100;
    f.commit({ op: 'alterSchema', space: 's', kind: 'TAG', name: 'player', props: [] });
    f.commit({ op: 'setReadOnly', space: 's', readOnly: false });
    f.clock.now += 7;
    expect(f.sync.syncStatus('s')[0]).toMatchObject({ part: 0, logIdLag: 3, timeLatencyMs: f.clock.now - tFirst });
    f.report('META_LISTENER', META.host, META.port, 's', [{ part: 0, ackedLogId: ackAt, ackedTs: tAck }]);
    expect(f.sync.syncStatus('s')[0]).toMatchObject({ part: 0, logIdLag: 2, timeLatencyMs: f.clock.now - tEdge });
    f.report('META_LISTENER', META.host, META.port, 's', [{ part: 0, ackedLogId: f.metaStore.lastLogId(), ackedTs: f.clock.now }]);
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
