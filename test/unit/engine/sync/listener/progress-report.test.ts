// Pins that a listener's progress reaches the primary's status tables as it really is: ONLINE with
// LogId Lag 0 once the drainer acknowledged everything; OFFLINE with the backlog as lag after STOP
// SYNC; OFFLINE with the drainer's refusal in SHOW SYNC ERRORS while hellos are refused (a
// restarted listener keeping the lag the secondary really has); OFFLINE while batches go
// unacknowledged longer than ACK_WAIT_MS_MAX; and what a part's progress looks like on the wire.
import { afterEach, describe, expect, it } from 'vitest';
import { initialProgress } from '../../../../../src/engine/sync/listener/part-shipper.ts';
import { progressMsg } from '../../../../../src/engine/sync/listener/progress-reporter.ts';
import { ACK_WAIT_MS_MAX } from '../../../../../src/engine/sync/status/status-rules.ts';
import { eventually } from '../../../server/rpc/primary/primary-fixture.ts';
import { startRig, type SyncRig } from './listener-fixture.ts';

let rig: SyncRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** SHOW SYNC STATUS rows of the data partitions as [part, status, lag]. */
async function dataStatus(r: SyncRig): Promise<[number, string, number][]> {
  const rows = (await r.primary.run('USE s', 'SHOW SYNC STATUS'))!.rows;
  return rows.filter((row) => Number(row[0]) > 0).map((row) => [Number(row[0]), String(row[1]), Number(row[2])]);
}

/** SHOW SYNC ERRORS rows of the data partitions as [part, side, code, message]. */
async function dataErrors(r: SyncRig): Promise<[number, string, number, string][]> {
  const rows = (await r.primary.run('USE s', 'SHOW SYNC ERRORS'))!.rows;
  return rows.filter((row) => Number(row[0]) > 0).map((row) => [Number(row[0]), String(row[1]), Number(row[2]), String(row[3])]);
}

const allOnline = [
  [1, 'ONLINE', 0],
  [2, 'ONLINE', 0],
];

describe('listener progress reports', () => {
  it('make SHOW SYNC STATUS and SHOW LISTENER SYNC follow the drainer acknowledgements and STOP SYNC', async () => {
    rig = await startRig({ role: 'storage', partitionNum: 2 });
    await rig.primary.run('INSERT VERTEX player(name, age) VALUES "a":("A", 1), "b":("B", 2), "c":("C", 3)');
    const r = rig;
    await eventually(async () => JSON.stringify(await dataStatus(r)) === JSON.stringify(allOnline), 10_000, 'lag 0');
    const listenerRows = (await rig.primary.run('SHOW LISTENER SYNC'))!.rows;
    expect(listenerRows.filter((row) => Number(row[0]) > 0).map((row) => row[4])).toEqual(['ONLINE', 'ONLINE']);

    await rig.primary.run('STOP SYNC');
    await eventually(async () => (await dataStatus(r)).every(([, status]) => status === 'OFFLINE'), 10_000, 'OFFLINE');
    await rig.primary.run('INSERT VERTEX player(name, age) VALUES "d":("D", 4), "e":("E", 5), "f":("F", 6)');
    const lag = (await dataStatus(r)).reduce((n, [, , l]) => n + l, 0);
    expect(lag).toBeGreaterThan(0);
    expect(await dataErrors(r)).toEqual([]);
  });

  it('read OFFLINE with the refusal in SHOW SYNC ERRORS while hellos are refused, keeping the lag the secondary has', async () => {
    rig = await startRig({ role: 'storage', partitionNum: 2 });
    await rig.primary.run('INSERT VERTEX player(name, age) VALUES "a":("A", 1), "b":("B", 2), "c":("C", 3)');
    const r = rig;
    await eventually(async () => JSON.stringify(await dataStatus(r)) === JSON.stringify(allOnline), 10_000, 'lag 0');
    // A restarted listener whose drainer refuses it has not learnt any position.
    await rig.listener.close();
    rig.drainer.refuseWith = { code: -5, message: 'SpaceNotFound: target space `t` does not exist' };
    await rig.startListener();
    await eventually(async () => (await dataErrors(r)).length === 2, 10_000, 'refusals listed');
    expect(await dataErrors(r)).toEqual([
      [1, 'LISTENER', -5, 'drainer refused (code -5): SpaceNotFound: target space `t` does not exist'],
      [2, 'LISTENER', -5, 'drainer refused (code -5): SpaceNotFound: target space `t` does not exist'],
    ]);
    expect(await dataStatus(r)).toEqual([
      [1, 'OFFLINE', 0],
      [2, 'OFFLINE', 0],
    ]);
    rig.drainer.refuseWith = undefined;
    await eventually(async () => JSON.stringify(await dataStatus(r)) === JSON.stringify(allOnline), 15_000, 'accepted again');
    expect(await dataErrors(r)).toEqual([]);
  });

  it('read OFFLINE while batches wait longer than ACK_WAIT_MS_MAX for an acknowledgement', async () => {
    rig = await startRig({ role: 'storage', partitionNum: 2 });
    const r = rig;
    await eventually(async () => JSON.stringify(await dataStatus(r)) === JSON.stringify(allOnline), 10_000, 'connected');
    rig.drainer.holdAcks = true;
    await rig.primary.run('INSERT VERTEX player(name, age) VALUES "a":("A", 1), "b":("B", 2), "c":("C", 3), "d":("D", 4)');
    await eventually(async () => (await dataStatus(r)).some(([, status]) => status === 'OFFLINE'), ACK_WAIT_MS_MAX + 5_000, 'stuck reads OFFLINE');
    expect((await dataErrors(r)).map(([, side, , message]) => [side, message.replace(/\d+ ms$/, 'N ms')])).toContainEqual([
      'PRIMARY',
      expect.stringMatching(/^\d+ batch\(es\) sent to the drainer unacknowledged for N ms$/),
    ]);
    rig.drainer.release();
    await eventually(async () => JSON.stringify(await dataStatus(r)) === JSON.stringify(allOnline), 10_000, 'acknowledged');
  }, 30_000);
});

describe('a part on the wire', () => {
  const NOW = 1_700_000_000_000;

  it('says the position is unknown until a hello answered, and gives waits and failures as ages', () => {
    expect(progressMsg(3, initialProgress('t'), NOW)).toMatchObject({ part: 3, shipping: false, position_unknown: true, target_space: 't', error: null });
    const state = {
      ...initialProgress('t'),
      shipping: true,
      positionKnown: true,
      ackedLogId: 9,
      ackedTs: NOW - 70,
      outstanding: 2,
      waitingSinceMs: NOW - 400,
      error: { code: -3, message: 'shipping interrupted', count: 2, firstMs: NOW - 900, lastMs: NOW - 30 },
    };
    expect(progressMsg(3, state, NOW)).toMatchObject({
      acked_log_id: 9,
      acked_ts: NOW - 70,
      position_unknown: false,
      outstanding: 2,
      unacked_ms: 400,
      error: { code: -3, message: 'shipping interrupted', count: 2, first_age_ms: 900, last_age_ms: 30 },
    });
  });

  it('claims nothing durable while a snapshot rebuilds the partition on the secondary', () => {
    const state = { ...initialProgress('t'), shipping: true, positionKnown: true, ackedLogId: 9, ackedTs: NOW, rebuilding: true };
    expect(progressMsg(1, state, NOW)).toMatchObject({ acked_log_id: 0, acked_ts: 0, position_unknown: false });
  });
});
