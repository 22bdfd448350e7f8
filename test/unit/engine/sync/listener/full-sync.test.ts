// Pins full sync (DESIGN rule 5) from the listener's side: when the primary's WAL no longer holds
// what the drainer needs, or the drainer answers needs_snapshot, the listener ships a snapshot of
// the partition (every row, chunks in order, the last flagged) and then tails from L + 1.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeWalEntry } from '../../../../../src/engine/wal/wal-codec.ts';
import { num } from '../../../../../src/engine/sync/wire.ts';
import { eventually } from '../../../server/rpc/primary/primary-fixture.ts';
import { range, shippedLogIds, startRig, type SyncRig } from './listener-fixture.ts';

const ROWS = 1_100;
let rig: SyncRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

function lastLogId(r: SyncRig): number {
  return r.primary.cluster.storage.space(r.spaceId)!.partitionState(1).lastLogId;
}

function snapshotVids(r: SyncRig): string[] {
  return r.drainer.chunks(1).flatMap((c) => decodeWalEntry(c.rows).ops.flatMap((o) => (o.op === 'putTag' ? [String(o.vid)] : [])));
}

describe('listener full sync', () => {
  it('ships a snapshot when the WAL before the drainer position expired, then the live tail from L + 1', async () => {
    rig = await startRig({
      role: 'storage',
      partitionNum: 1,
      before: async (p) => {
        for (let from = 0; from < ROWS; from += 100) {
          const rows = Array.from({ length: 100 }, (_, i) => `"v${from + i}":("V", ${from + i})`);
          await p.run(`INSERT VERTEX player(name, age) VALUES ${rows.join(', ')}`);
        }
        await p.run('DELETE VERTEX "v0"');
        // The whole WAL is older than wal_ttl: a new sync cannot start from log id 1.
        p.cluster.storage.purgeExpired(Date.now() + 24 * 3600 * 1000);
      },
    });
    const r = rig;
    const L = lastLogId(r);
    await eventually(() => r.drainer.position(1).applied === L, 10_000, 'snapshot applied');
    const chunks = rig.drainer.chunks(1);
    expect(chunks.every((c) => num(c.log_id) === L)).toBe(true);
    expect(chunks.map((c) => c.last)).toEqual([...chunks.slice(1).map(() => false), true]);
    const vids = snapshotVids(rig);
    expect(vids).toHaveLength(ROWS - 1);
    expect(new Set(vids).size).toBe(ROWS - 1);
    expect(vids).not.toContain('v0');
    // The drainer's position moves before its answer reaches the listener: wait for the listener to see it.
    await eventually(() => r.log.lines.some((l) => l.msg === 'snapshot finished'), 5_000, 'snapshot finished');
    expect(rig.log.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['snapshot started', 'snapshot finished']));

    await rig.primary.run('INSERT VERTEX player(name, age) VALUES "late":("Late", 1)');
    await eventually(() => r.drainer.position(1).applied === L + 1, 10_000, 'tail after snapshot');
    expect(shippedLogIds(rig.drainer.batches(1))).toEqual([L + 1]);
  });

  it('restarts an interrupted snapshot when the drainer answers needs_snapshot', async () => {
    rig = await startRig({
      role: 'storage',
      partitionNum: 1,
      before: (p) => p.run('INSERT VERTEX player(name, age) VALUES "a":("A", 1), "b":("B", 2)'),
    });
    const r = rig;
    await eventually(() => r.drainer.position(1).applied === 1, 10_000, 'first entry shipped');
    expect(rig.drainer.chunks(1)).toHaveLength(0);
    await rig.listener.close();
    Object.assign(rig.drainer.position(1), { needsSnapshot: true });
    await rig.primary.run('INSERT VERTEX player(name, age) VALUES "c":("C", 3)');
    await rig.startListener();
    await eventually(() => r.drainer.position(1).applied === 2 && !r.drainer.position(1).needsSnapshot, 10_000, 'snapshot after restart');
    expect(snapshotVids(rig).sort()).toEqual(['a', 'b', 'c']);
    expect(shippedLogIds(rig.drainer.batches(1))).toEqual(range(1, 1));
  });
});
