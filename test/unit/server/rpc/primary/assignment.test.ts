// Pins Meta.GetAssignment: which partitions each meta/storage listener serves (round-robin over the
// listed storage listeners), the signed-in drainers, STOP SYNC, the drainer role on a secondary,
// and the primary's storage hosts and cluster id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as grpc from '@grpc/grpc-js';
import type { AssignmentReplyMsg } from '../../../../../src/engine/sync/wire.ts';
import { metaClient, startPrimary, unaryCall, type Primary } from './primary-fixture.ts';

let primary: Primary;
let meta: grpc.Client;

const ask = (role: string, port: number, host = '127.0.0.1') =>
  unaryCall<AssignmentReplyMsg>(meta, 'GetAssignment', { role, host, port });

beforeAll(async () => {
  primary = await startPrimary();
  meta = metaClient(primary);
  await primary.run(
    'CREATE SPACE s(partition_num=5, vid_type=fixed_string(30))',
    'CREATE SPACE other(partition_num=2, vid_type=INT64)',
    'USE s',
    'SIGN IN DRAINER SERVICE(127.0.0.1:9889, 127.0.0.1:9890)',
    'ADD LISTENER SYNC META 127.0.0.1:9569 STORAGE 127.0.0.1:9789, 127.0.0.1:9790 TO SPACE t',
  );
});
afterAll(async () => {
  meta?.close();
  await primary?.close();
});

describe('GetAssignment', () => {
  it('gives the meta listener partition 0 of the synced space with its source description', async () => {
    const reply = await ask('META_LISTENER', 9569);
    expect(reply.code).toBe(0);
    expect(reply.cluster_id).toBe(primary.cluster.metaStore.clusterId);
    expect(reply.storage_hosts).toEqual([primary.storageAddr]);
    expect(reply.assignments).toHaveLength(1);
    const [a] = reply.assignments;
    expect(a).toMatchObject({ target_space: 't', parts: [0], drainers: ['127.0.0.1:9889', '127.0.0.1:9890'], stopped: false });
    expect(a!.source).toMatchObject({
      cluster_id: primary.cluster.metaStore.clusterId,
      space_name: 's',
      partition_num: 5,
      vid_type: 'FIXED_STRING',
      vid_length: 30,
    });
    expect(a!.source!.space_id).toBe(primary.cluster.metaStore.catalog().spaces['s']!.id);
  });

  it('splits the data partitions round-robin over the storage listeners', async () => {
    expect((await ask('STORAGE_LISTENER', 9789)).assignments.map((a) => a.parts)).toEqual([[1, 3, 5]]);
    expect((await ask('STORAGE_LISTENER', 9790)).assignments.map((a) => a.parts)).toEqual([[2, 4]]);
    // A storage listener is not the meta listener, and an unknown address serves nothing.
    expect((await ask('META_LISTENER', 9789)).assignments).toEqual([]);
    expect((await ask('STORAGE_LISTENER', 9569)).assignments).toEqual([]);
    expect((await ask('STORAGE_LISTENER', 9789, '127.0.0.2')).assignments).toEqual([]);
  });

  it('says stopped after STOP SYNC and running again after RESTART SYNC', async () => {
    await primary.run('USE s', 'STOP SYNC');
    expect((await ask('STORAGE_LISTENER', 9789)).assignments[0]!.stopped).toBe(true);
    expect((await ask('META_LISTENER', 9569)).assignments[0]!.stopped).toBe(true);
    await primary.run('RESTART SYNC');
    expect((await ask('STORAGE_LISTENER', 9789)).assignments[0]!.stopped).toBe(false);
  });

  it('lists, for a drainer, the target spaces that added it and no source', async () => {
    await primary.run('CREATE SPACE t(partition_num=3, vid_type=fixed_string(30))', 'USE t', 'ADD DRAINER 127.0.0.1:9889');
    const reply = await ask('DRAINER', 9889);
    expect(reply.assignments).toEqual([{ source: null, target_space: 't', parts: [], drainers: [], stopped: false }]);
    expect((await ask('DRAINER', 9890)).assignments).toEqual([]);
  });

  it('forgets a space whose sync was removed', async () => {
    await primary.run('USE s', 'REMOVE LISTENER SYNC');
    expect((await ask('META_LISTENER', 9569)).assignments).toEqual([]);
    expect((await ask('STORAGE_LISTENER', 9789)).assignments).toEqual([]);
  });
});
