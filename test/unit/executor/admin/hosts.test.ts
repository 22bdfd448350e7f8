// Pins ADD HOSTS, DROP HOSTS and SHOW HOSTS: the storage host list, its refusals and the tables.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../src/errors.ts';
import { GIT_INFO_SHA, PRODUCT_VERSION } from '../../../../src/engine/meta/version.ts';
import { createHarness, type Harness } from '../../../helpers/exec-harness.ts';
import { ok, refused, table } from './admin-harness.ts';

let h: Harness;
beforeEach(() => {
  h = createHarness();
});
afterEach(() => h.close());

describe('ADD HOSTS / SHOW HOSTS', () => {
  it('lists an added storage host with its role, status and version', async () => {
    await ok(h, 'ADD HOSTS 127.0.0.1:9779');
    expect(await table(h, 'SHOW HOSTS STORAGE')).toEqual({
      columns: ['Host', 'Port', 'Status', 'Role', 'Git Info Sha', 'Version'],
      rows: [['127.0.0.1', 9779n, 'ONLINE', 'STORAGE', GIT_INFO_SHA, PRODUCT_VERSION]],
    });
  });

  it('refuses a host that is already added', async () => {
    await ok(h, 'ADD HOSTS 127.0.0.1:9779');
    const err = await refused(h, 'ADD HOSTS 127.0.0.1:9779');
    expect(err).toEqual({ code: ErrorCode.E_EXECUTION_ERROR, message: 'Existed!' });
  });

  it('shows the cluster itself as GRAPH and META', async () => {
    const graph = await table(h, 'SHOW HOSTS GRAPH');
    expect(graph.rows.map((r) => [r[0], r[1], r[3]])).toEqual([['127.0.0.1', 9669n, 'GRAPH']]);
    const meta = await table(h, 'SHOW HOSTS META');
    expect(meta.rows.map((r) => [r[0], r[1], r[3]])).toEqual([['127.0.0.1', 9559n, 'META']]);
  });

  it('answers an empty table for listeners that never heartbeat', async () => {
    expect(await table(h, 'SHOW HOSTS STORAGE LISTENER')).toEqual({
      columns: ['Host', 'Port', 'Status', 'Role', 'Git Info Sha', 'Version'],
      rows: [],
    });
  });

  it('counts partitions per space in the bare SHOW HOSTS', async () => {
    await ok(h, 'ADD HOSTS 127.0.0.1:9779');
    const columns = [
      'Host',
      'Port',
      'Status',
      'Leader count',
      'Leader distribution',
      'Partition distribution',
      'Version',
    ];
    expect(await table(h, 'SHOW HOSTS')).toEqual({
      columns,
      rows: [['127.0.0.1', 9779n, 'ONLINE', 0n, 'No valid partition', 'No valid partition', PRODUCT_VERSION]],
    });
    await ok(h, 'CREATE SPACE basketballplayer(partition_num=15, vid_type=fixed_string(30))');
    await ok(h, 'CREATE SPACE a(partition_num=3, vid_type=INT64)');
    expect(await table(h, 'SHOW HOSTS')).toEqual({
      columns,
      rows: [
        ['127.0.0.1', 9779n, 'ONLINE', 18n, 'a:3, basketballplayer:15', 'a:3, basketballplayer:15', PRODUCT_VERSION],
      ],
    });
  });

  it('is root only when authorizing', async () => {
    const auth = createHarness({ enableAuthorize: true });
    try {
      await ok(auth, 'CREATE USER u WITH PASSWORD "p"');
      const err = await refused(auth, 'ADD HOSTS 127.0.0.1:9779', auth.session('u'));
      expect(err.code).toBe(ErrorCode.E_BAD_PERMISSION);
    } finally {
      auth.close();
    }
  });
});

describe('DROP HOSTS', () => {
  it('drops a host that holds no partition', async () => {
    await ok(h, 'ADD HOSTS 127.0.0.1:9779, 127.0.0.1:9780');
    await ok(h, 'DROP HOSTS 127.0.0.1:9780');
    const hosts = await table(h, 'SHOW HOSTS STORAGE');
    expect(hosts.rows.map((r) => r[1])).toEqual([9779n]);
  });

  it('refuses a host that was never added', async () => {
    const err = await refused(h, 'DROP HOSTS 127.0.0.1:9779');
    expect(err).toEqual({ code: ErrorCode.E_EXECUTION_ERROR, message: 'NoHosts: No hosts!' });
  });

  it('refuses a host that holds partitions of a space', async () => {
    await ok(h, 'ADD HOSTS 127.0.0.1:9779');
    await ok(h, 'CREATE SPACE s(partition_num=3, vid_type=INT64)');
    const err = await refused(h, 'DROP HOSTS 127.0.0.1:9779');
    expect(err).toEqual({ code: ErrorCode.E_EXECUTION_ERROR, message: 'Conflict!' });
  });
});
