// Pins the storage listener against a real primary and a fake drainer: every entry of every
// assigned partition is shipped once, in order; a restarted listener resumes from the drainer's
// position; STOP SYNC ships nothing more and RESTART SYNC ships the backlog; a refused hello ships
// nothing; at most SHIP_WINDOW_BATCHES batches are ever unacknowledged.
import { afterEach, describe, expect, it } from 'vitest';
import { SHIP_WINDOW_BATCHES } from '../../../../../src/engine/sync/listener/listener-limits.ts';
import { eventually } from '../../../server/rpc/primary/primary-fixture.ts';
import { delay, range, shippedLogIds, startRig, type SyncRig } from './listener-fixture.ts';

let rig: SyncRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

function lastLogId(r: SyncRig, part: number): number {
  return r.primary.cluster.storage.space(r.spaceId)!.partitionState(part).lastLogId;
}

/** Waits until the drainer holds every entry of every partition of `s`. */
async function caughtUp(r: SyncRig, parts: number): Promise<void> {
  await eventually(() => range(1, parts).every((p) => r.drainer.position(p).applied === lastLogId(r, p)), 10_000, 'drainer caught up');
}

async function insert(r: SyncRig, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) await r.primary.run(`INSERT VERTEX player(name, age) VALUES "v${i}":("V${i}", ${i})`);
}

describe('storage listener', () => {
  it('ships every entry of every partition once and in order, and resumes from the drainer after a restart', async () => {
    rig = await startRig({ role: 'storage', partitionNum: 3 });
    await insert(rig, 0, 40);
    await caughtUp(rig, 3);
    expect(rig.drainer.hellos.map((h) => h.part).sort()).toEqual([1, 2, 3]);
    expect(rig.drainer.hellos[0]).toMatchObject({ target_space: 't', listener: `127.0.0.1:${rig.listenerPort}` });
    expect(rig.drainer.hellos[0]!.source).toMatchObject({ space_name: 's', cluster_id: rig.primary.cluster.metaStore.clusterId });
    for (const part of [1, 2, 3]) expect(shippedLogIds(rig.drainer.batches(part))).toEqual(range(1, lastLogId(rig, part)));

    await rig.listener.close();
    await insert(rig, 40, 30);
    await rig.startListener();
    await caughtUp(rig, 3);
    // Nothing twice, nothing skipped: the new listener started at applied + 1 for each part.
    for (const part of [1, 2, 3]) expect(shippedLogIds(rig.drainer.batches(part))).toEqual(range(1, lastLogId(rig, part)));
    expect(rig.drainer.hellos).toHaveLength(6);
  });

  it('ships nothing while the sync is stopped and the backlog after RESTART SYNC', async () => {
    rig = await startRig({ role: 'storage', partitionNum: 2 });
    await insert(rig, 0, 10);
    await caughtUp(rig, 2);
    await rig.primary.run('USE s', 'STOP SYNC');
    const r = rig;
    await eventually(() => r.drainer.openStreams === 0, 5_000, 'streams closed after STOP SYNC');
    const before = rig.drainer.received.length;
    await insert(rig, 10, 10);
    await delay(800);
    expect(rig.drainer.received.length).toBe(before);
    expect(rig.log.lines.some((l) => l.msg === 'stopped shipping')).toBe(true);

    await rig.primary.run('RESTART SYNC');
    await caughtUp(rig, 2);
    for (const part of [1, 2]) expect(shippedLogIds(rig.drainer.batches(part))).toEqual(range(1, lastLogId(rig, part)));
  });

  it('never has more than SHIP_WINDOW_BATCHES unacknowledged batches on a stream', async () => {
    rig = await startRig({ role: 'storage', partitionNum: 1 });
    await insert(rig, 0, 1);
    await caughtUp(rig, 1);
    rig.drainer.holdAcks = true;
    await insert(rig, 1, SHIP_WINDOW_BATCHES * 3);
    const r = rig;
    await eventually(() => r.drainer.maxUnacked === SHIP_WINDOW_BATCHES, 5_000, 'window filled');
    await delay(300);
    expect(rig.drainer.maxUnacked).toBe(SHIP_WINDOW_BATCHES);
    // The drainer acknowledged only the first batch, so that is how far the listener got.
    expect(rig.drainer.received).toHaveLength(1 + SHIP_WINDOW_BATCHES);
    rig.drainer.release();
    await caughtUp(rig, 1);
    expect(rig.drainer.maxUnacked).toBe(SHIP_WINDOW_BATCHES);
    expect(shippedLogIds(rig.drainer.batches(1))).toEqual(range(1, lastLogId(rig, 1)));
  });

  it('ships nothing to a drainer that refuses the hello, logs the code, and ships once it accepts', async () => {
    rig = await startRig({ role: 'storage', partitionNum: 1, before: (p) => p.run('INSERT VERTEX player(name, age) VALUES "a":("A", 1)') });
    rig.drainer.refuseWith = { code: -2072, message: 'not a drainer of space t' };
    const r = rig;
    const refusal = (l: { msg: string }) => l.msg.startsWith('apply refused: -2072 ');
    await eventually(() => r.log.lines.some(refusal), 5_000, 'refusal logged');
    await delay(2_000);
    expect(rig.drainer.received).toHaveLength(0);
    // Retried with backoff, logged once.
    expect(r.log.lines.filter(refusal)).toHaveLength(1);
    rig.drainer.refuseWith = undefined;
    await caughtUp(rig, 1);
    expect(shippedLogIds(rig.drainer.batches(1))).toEqual([1]);
    await eventually(() => r.log.lines.some((l) => l.msg === 'apply accepted again'), 5_000, 'recovery logged');
  }, 20_000);
});
