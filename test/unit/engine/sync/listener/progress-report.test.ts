// Pins that a listener's progress reaches the primary's status tables: data partitions show ONLINE
// with LogId Lag 0 once the drainer acknowledged everything, and OFFLINE with the backlog as lag
// after STOP SYNC (the listener reports shipping = false, keeping its last acknowledged position).
import { afterEach, describe, expect, it } from 'vitest';
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

describe('listener progress reports', () => {
  it('make SHOW SYNC STATUS and SHOW LISTENER SYNC follow the drainer acknowledgements and STOP SYNC', async () => {
    rig = await startRig({ role: 'storage', partitionNum: 2 });
    await rig.primary.run('INSERT VERTEX player(name, age) VALUES "a":("A", 1), "b":("B", 2), "c":("C", 3)');
    const r = rig;
    await eventually(async () => JSON.stringify(await dataStatus(r)) === JSON.stringify([[1, 'ONLINE', 0], [2, 'ONLINE', 0]]), 10_000, 'lag 0');
    const listenerRows = (await rig.primary.run('SHOW LISTENER SYNC'))!.rows;
    expect(listenerRows.filter((row) => Number(row[0]) > 0).map((row) => row[4])).toEqual(['ONLINE', 'ONLINE']);

    await rig.primary.run('STOP SYNC');
    await eventually(async () => (await dataStatus(r)).every(([, status]) => status === 'OFFLINE'), 10_000, 'OFFLINE');
    await rig.primary.run('INSERT VERTEX player(name, age) VALUES "d":("D", 4), "e":("E", 5), "f":("F", 6)');
    const lag = (await dataStatus(r)).reduce((n, [, , l]) => n + l, 0);
    expect(lag).toBeGreaterThan(0);
  });
});
