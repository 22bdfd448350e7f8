// Pins the secondary's apply-time cycle check: a source whose lineage passes through the target space of this very cluster (or that is the target space itself) is refused with E_SYNC_CYCLE (-4020) before anything is registered or applied, and counted (and remembered for ADD DRAINER, as a source refused for want of a drainer is); an over-long or nameless lineage is refused as illegal; an accepted source's lineage is recorded with it and kept current, and this cluster passes it on (with itself in front) when the target space is in turn a primary.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { knockingOf } from '../../../../../src/engine/sync/apply/knocking.ts';
import { refusalsOf } from '../../../../../src/engine/sync/apply/refusals.ts';
import { unary } from '../../../../../src/engine/sync/rpc-call.ts';
import { E_SYNC_CYCLE, type AssignmentReplyMsg, type SourceSpaceMsg } from '../../../../../src/engine/sync/wire.ts';
import { apply, dataBatch, putPlayer, sourceOf, startSecondary, syncBaseSchema, type Secondary } from './secondary-fixture.ts';

let s: Secondary;
beforeEach(async () => {
  s = await startSecondary();
});
afterEach(async () => {
  await s.close();
});

const link = (cluster: string, space: string) => ({ cluster_id: cluster, space_name: space });
const withLineage = (lineage: SourceSpaceMsg['lineage'], source = sourceOf()): SourceSpaceMsg => ({ ...source, lineage });

describe('a source that would close a cycle', () => {
  it('is refused with E_SYNC_CYCLE, registers nothing, applies nothing, and is counted', async () => {
    const self = s.cluster.metaStore.clusterId;
    const logId = s.cluster.metaStore.lastLogId();
    // basketballplayer on primary-cluster receives from this cluster's `target`: feeding it back is a cycle.
    const source = withLineage([link(self, 'target')]);
    const hello = await apply(s, { part: 1, source }, { position_only: true });
    expect(hello.code).toBe(E_SYNC_CYCLE);
    expect(hello.message).toBe(
      `SyncCycle: a sync from primary-cluster/basketballplayer into \`target' would close a cycle: the source descends from \`target' of this cluster (primary-cluster/basketballplayer <- ${self}/target)`,
    );
    expect((await apply(s, { part: 0, source }, { position_only: true })).code).toBe(E_SYNC_CYCLE);
    expect((await apply(s, { part: 2, source }, { batch: dataBatch(1, [[putPlayer('x', 'X', 1)]]) })).code).toBe(E_SYNC_CYCLE);
    expect(s.cluster.metaStore.lastLogId()).toBe(logId);
    expect(s.cluster.metaStore.catalog().syncSources['target']).toBeUndefined();
    expect(refusalsOf(s.cluster.metaStore).list('target').map((r) => [r.part, r.code, r.count])).toEqual([
      [1, E_SYNC_CYCLE, 1],
      [0, E_SYNC_CYCLE, 1],
      [2, E_SYNC_CYCLE, 1],
    ]);
  });

  it('sees the cycle however far up the lineage the target is, and a space fed by itself', async () => {
    const self = s.cluster.metaStore.clusterId;
    const far = withLineage([link('c2', 'mid'), link('c3', 'up'), link(self, 'target')]);
    expect((await apply(s, { part: 1, source: far }, { position_only: true })).code).toBe(E_SYNC_CYCLE);
    const itself = sourceOf(15, self, 'target');
    expect((await apply(s, { part: 1, source: itself }, { position_only: true })).code).toBe(E_SYNC_CYCLE);
    // The same space name on another cluster is no cycle.
    expect((await apply(s, { part: 1, source: withLineage([link('c9', 'target')]) }, { position_only: true })).code).toBe(0);
  });

  it('refuses a lineage longer than 16 hops or with nameless hops as illegal', async () => {
    const long = withLineage(Array.from({ length: 17 }, (_, i) => link(`c${i}`, 's')));
    expect(await apply(s, { part: 1, source: long }, { position_only: true })).toMatchObject({ code: -4008, message: expect.stringMatching(/lineage of 17 hops/) });
    expect((await apply(s, { part: 1, source: withLineage([link('', 's')]) }, { position_only: true })).code).toBe(-4008);
    expect(s.cluster.metaStore.catalog().syncSources['target']).toBeUndefined();
  });
});

describe('sources asking to sync in (what ADD DRAINER checks)', () => {
  it('are remembered with their lineage when refused for want of a drainer or for a cycle, and nothing else changes', async () => {
    const self = s.cluster.metaStore.clusterId;
    const logId = s.cluster.metaStore.lastLogId();
    const waiting = withLineage([link('c0', 'origin')], sourceOf(15, 'c1', 'early'));
    expect((await apply(s, { part: 1, source: waiting, drainer: '127.0.0.1:1' }, { position_only: true })).code).toBe(-2029);
    expect((await apply(s, { part: 1, source: withLineage([link(self, 'target')]) }, { position_only: true })).code).toBe(E_SYNC_CYCLE);
    // A malformed lineage is not remembered.
    expect((await apply(s, { part: 1, source: withLineage([link('', 'x')], sourceOf(15, 'c9', 'bad')), drainer: '127.0.0.1:1' }, { position_only: true })).code).toBe(-2029);
    expect(knockingOf(s.cluster.metaStore).sources('target', Date.now())).toEqual([
      { clusterId: 'c1', space: 'early', lineage: [{ clusterId: 'c0', space: 'origin' }] },
      { clusterId: 'primary-cluster', space: 'basketballplayer', lineage: [{ clusterId: self, space: 'target' }] },
    ]);
    expect(s.cluster.metaStore.lastLogId()).toBe(logId);
  });
});

describe('an accepted source', () => {
  it('is registered with its lineage, which is kept current and passed on downstream', async () => {
    await syncBaseSchema(s, { source: withLineage([link('c0', 'origin')]) });
    expect(s.cluster.metaStore.catalog().syncSources['target']).toMatchObject({
      clusterId: 'primary-cluster',
      sourceSpace: 'basketballplayer',
      lineage: [{ clusterId: 'c0', space: 'origin' }],
    });
    // The source's upstream changed: the record follows; the position stays.
    expect((await apply(s, { part: 0, source: withLineage([link('c1', 'other')]) }, { position_only: true })).position).toMatchObject({ applied_log_id: '2' });
    expect(s.cluster.metaStore.catalog().syncSources['target']!.lineage).toEqual([{ clusterId: 'c1', space: 'other' }]);

    // `target` is now a primary itself: its listeners are told what it descends from.
    await s.exec('SIGN IN DRAINER SERVICE(127.0.0.1:9990)');
    await s.exec('ADD LISTENER SYNC META 127.0.0.1:9569 STORAGE 127.0.0.1:9789 TO SPACE further');
    const reply = await unary<AssignmentReplyMsg>(s.meta, 'GetAssignment', { role: 'META_LISTENER', host: '127.0.0.1', port: 9569 });
    expect(reply.assignments[0]!.source!.lineage).toEqual([link('primary-cluster', 'basketballplayer'), link('c1', 'other')]);
  });

  it('comes from an older sender without a lineage, as before', async () => {
    const { lineage: _none, ...bare } = withLineage(undefined);
    await syncBaseSchema(s, { source: bare });
    expect(s.cluster.metaStore.catalog().syncSources['target']).toEqual({
      clusterId: 'primary-cluster',
      sourceSpace: 'basketballplayer',
      sourceSpaceId: 1,
      partitionNum: 15,
      vidType: 'FIXED_STRING',
    });
  });
});
