// Pins the meta listener: it ships partition 0 as batches whose ranges cover every meta entry
// contiguously, carrying the synced space's tag and edge changes as full images (CREATE -> version
// 0, ALTER -> version 1 with the new props, DROP -> dropped with the old id), skipping other
// spaces' changes, and resuming after the drainer's position.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeJson } from '../../../../../src/engine/meta/meta-codec.ts';
import { num, type SchemaChangeMsg } from '../../../../../src/engine/sync/wire.ts';
import type { PropDef } from '../../../../../src/catalog/types.ts';
import { eventually } from '../../../server/rpc/primary/primary-fixture.ts';
import { range, startRig, type SyncRig } from './listener-fixture.ts';

let rig: SyncRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

function coveredIds(r: SyncRig): number[] {
  return r.drainer.batches(0).flatMap((b) => range(num(b.first_log_id), num(b.last_log_id)));
}

function changes(r: SyncRig): SchemaChangeMsg[] {
  return r.drainer.batches(0).flatMap((b) => b.schema_changes);
}

async function caughtUp(r: SyncRig): Promise<void> {
  await eventually(() => r.drainer.position(0).applied === r.primary.cluster.metaStore.lastLogId(), 10_000, 'meta caught up');
}

const propNames = (c: SchemaChangeMsg) => decodeJson<PropDef[]>(c.props_json).map((p) => `${p.name}:${p.type.name}`);

describe('meta listener', () => {
  it('ships full-image schema changes of the synced space only, over contiguous ranges', async () => {
    rig = await startRig({ role: 'meta', partitionNum: 3 });
    await rig.primary.run(
      'CREATE SPACE other(partition_num=1, vid_type=INT64)',
      'USE other',
      'CREATE TAG elsewhere(x int)',
      'USE s',
      'ALTER TAG player ADD (team string)',
      'CREATE EDGE follow(degree int)',
      'DROP TAG player',
      'CREATE USER bob WITH PASSWORD "secret"',
    );
    await caughtUp(rig);
    const r = rig;
    expect(coveredIds(r)).toEqual(range(1, r.primary.cluster.metaStore.lastLogId()));
    const space = r.primary.cluster.metaStore.catalog().spaces['s']!;
    const seen = changes(r).map((c) => [c.kind, c.name, c.version, c.dropped]);
    expect(seen).toEqual([
      ['TAG', 'player', 0, false],
      ['TAG', 'player', 1, false],
      ['EDGE', 'follow', 0, false],
      ['TAG', 'player', 1, true],
    ]);
    const [created, altered, follow, dropped] = changes(r);
    expect(propNames(created!)).toEqual(['name:string', 'age:int64']);
    expect(propNames(altered!)).toEqual(['name:string', 'age:int64', 'team:string']);
    expect(altered!.source_id).toBe(created!.source_id);
    expect(follow!.source_id).toBe(space.edges['follow']!.id);
    expect(dropped).toMatchObject({ source_id: created!.source_id, props_json: '' });
    // Every change names the meta entry that made it, inside the batch that carries it.
    for (const b of r.drainer.batches(0)) {
      for (const c of b.schema_changes) {
        expect(num(c.log_id)).toBeGreaterThanOrEqual(num(b.first_log_id));
        expect(num(c.log_id)).toBeLessThanOrEqual(num(b.last_log_id));
      }
    }
  });

  it('resumes after the drainer position when restarted, shipping only later ranges', async () => {
    rig = await startRig({ role: 'meta', partitionNum: 1 });
    await caughtUp(rig);
    await rig.listener.close();
    const applied = rig.drainer.position(0).applied;
    const batchesBefore = rig.drainer.batches(0).length;
    await rig.primary.run('USE s', 'CREATE TAG team(name string)');
    await rig.startListener();
    await caughtUp(rig);
    const later = rig.drainer.batches(0).slice(batchesBefore);
    expect(num(later[0]!.first_log_id)).toBe(applied + 1);
    expect(later.flatMap((b) => b.schema_changes).map((c) => c.name)).toEqual(['team']);
    expect(coveredIds(rig)).toEqual(range(1, rig.primary.cluster.metaStore.lastLogId()));
  });
});
