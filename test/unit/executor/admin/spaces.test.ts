// Pins CREATE/DROP SPACE, USE, SHOW SPACES, DESCRIBE SPACE and SHOW CREATE SPACE, with refusals.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../src/errors.ts';
import { createHarness, type Harness } from '../../../helpers/exec-harness.ts';
import { ok, refused, table } from './admin-harness.ts';

let h: Harness;
beforeEach(() => {
  h = createHarness();
});
afterEach(() => h.close());

const DESCRIBE_COLUMNS = [
  'ID',
  'Name',
  'Partition Number',
  'Replica Factor',
  'Charset',
  'Collate',
  'Vid Type',
  'Comment',
];

describe('CREATE SPACE', () => {
  it('needs a storage host first', async () => {
    const err = await refused(h, 'CREATE SPACE s(vid_type=INT64)');
    expect(err).toEqual({ code: ErrorCode.E_EXECUTION_ERROR, message: 'Host not enough!' });
  });

  it('refuses more replicas than storage hosts', async () => {
    await ok(h, 'ADD HOSTS 127.0.0.1:9779');
    const err = await refused(h, 'CREATE SPACE s(replica_factor=2, vid_type=INT64)');
    expect(err.message).toBe('Host not enough!');
  });

  it('fills NebulaGraph defaults and describes the space', async () => {
    await ok(h, 'ADD HOSTS 127.0.0.1:9779');
    await ok(h, 'CREATE SPACE s');
    expect(await table(h, 'DESCRIBE SPACE s')).toEqual({
      columns: DESCRIBE_COLUMNS,
      rows: [[1n, 's', 100n, 1n, 'utf8', 'utf8_bin', 'FIXED_STRING(8)', { kind: 'empty' }]],
    });
  });

  it('prints SHOW CREATE SPACE in NebulaGraph words', async () => {
    await ok(h, 'ADD HOSTS 127.0.0.1:9779');
    await ok(h, 'CREATE SPACE basketballplayer(partition_num=15, replica_factor=1, vid_type=fixed_string(30))');
    expect(await table(h, 'SHOW CREATE SPACE basketballplayer')).toEqual({
      columns: ['Space', 'Create Space'],
      rows: [
        [
          'basketballplayer',
          'CREATE SPACE `basketballplayer` (partition_num = 15, replica_factor = 1, ' +
            'charset = utf8, collate = utf8_bin, vid_type = FIXED_STRING(30))',
        ],
      ],
    });
  });

  it('opens the space in storage with its partitions', async () => {
    await ok(h, 'ADD HOSTS 127.0.0.1:9779');
    await ok(h, 'CREATE SPACE s(partition_num=7, vid_type=INT64)');
    const id = Number((await table(h, 'DESCRIBE SPACE s')).rows[0][0]);
    expect(h.ctx(h.session()).storage.space(id)?.partitionNum).toBe(7);
  });

  it('answers Existed! for a second space of that name unless IF NOT EXISTS', async () => {
    await ok(h, 'ADD HOSTS 127.0.0.1:9779');
    await ok(h, 'CREATE SPACE s(vid_type=INT64)');
    expect((await refused(h, 'CREATE SPACE s(vid_type=INT64)')).message).toBe('Existed!');
    await ok(h, 'CREATE SPACE IF NOT EXISTS s(vid_type=INT64)');
  });

  it('refuses a partition count out of range', async () => {
    await ok(h, 'ADD HOSTS 127.0.0.1:9779');
    const zero = await refused(h, 'CREATE SPACE s(partition_num=0, vid_type=INT64)');
    expect(zero).toEqual({
      code: ErrorCode.E_SEMANTIC_ERROR,
      message: 'SemanticError: Partition_num value should be greater than zero',
    });
    const huge = await refused(h, 'CREATE SPACE s(partition_num=100000, vid_type=INT64)');
    expect(huge.code).toBe(ErrorCode.E_SEMANTIC_ERROR);
  });

  it('is root only when authorizing', async () => {
    const auth = createHarness({ enableAuthorize: true });
    try {
      await ok(auth, 'ADD HOSTS 127.0.0.1:9779');
      await ok(auth, 'CREATE USER u WITH PASSWORD "p"');
      const err = await refused(auth, 'CREATE SPACE s(vid_type=INT64)', auth.session('u'));
      expect(err.code).toBe(ErrorCode.E_BAD_PERMISSION);
    } finally {
      auth.close();
    }
  });
});

describe('USE / SHOW SPACES / DROP SPACE', () => {
  beforeEach(async () => {
    await ok(h, 'ADD HOSTS 127.0.0.1:9779');
  });

  it('switches the session to an existing space', async () => {
    const s = h.session();
    await ok(h, 'CREATE SPACE s(vid_type=INT64)');
    await ok(h, 'USE s', s);
    expect(s.space).toBe('s');
  });

  it('refuses a space that does not exist', async () => {
    const err = await refused(h, 'USE nope');
    expect(err).toEqual({ code: ErrorCode.E_EXECUTION_ERROR, message: 'SpaceNotFound: Space not existed!' });
  });

  it('refuses USE to a user without a role in the space', async () => {
    const auth = createHarness({ enableAuthorize: true });
    try {
      await ok(auth, 'ADD HOSTS 127.0.0.1:9779');
      await ok(auth, 'CREATE SPACE s(vid_type=INT64)');
      await ok(auth, 'CREATE USER u WITH PASSWORD "p"');
      const u = auth.session('u');
      expect((await refused(auth, 'USE s', u)).code).toBe(ErrorCode.E_BAD_PERMISSION);
      await ok(auth, 'GRANT ROLE GUEST ON s TO u');
      await ok(auth, 'USE s', u);
      expect(u.space).toBe('s');
    } finally {
      auth.close();
    }
  });

  it('lists spaces by name', async () => {
    await ok(h, 'CREATE SPACE zeta(vid_type=INT64)');
    await ok(h, 'CREATE SPACE alpha(vid_type=INT64)');
    expect(await table(h, 'SHOW SPACES')).toEqual({ columns: ['Name'], rows: [['alpha'], ['zeta']] });
  });

  it('drops a space and its storage', async () => {
    await ok(h, 'CREATE SPACE s(vid_type=INT64)');
    const id = Number((await table(h, 'DESCRIBE SPACE s')).rows[0][0]);
    await ok(h, 'DROP SPACE s');
    expect(await table(h, 'SHOW SPACES')).toEqual({ columns: ['Name'], rows: [] });
    expect(h.ctx(h.session()).storage.space(id)).toBeUndefined();
    expect((await refused(h, 'DROP SPACE s')).message).toBe('SpaceNotFound: Space not existed!');
    await ok(h, 'DROP SPACE IF EXISTS s');
  });

  it('drops a space that is the source of a listener sync', async () => {
    await ok(h, 'CREATE SPACE s(vid_type=INT64)');
    const s = h.session('root', 's');
    await ok(h, 'SIGN IN DRAINER SERVICE(192.168.10.104:9889)', s);
    await ok(h, 'ADD LISTENER SYNC META 192.168.10.103:9569 STORAGE 192.168.10.103:9789 TO SPACE t', s);
    await ok(h, 'DROP SPACE s');
    expect(await table(h, 'SHOW SPACES')).toEqual({ columns: ['Name'], rows: [] });
  });

  it('refuses to drop a target space with a drainer attached until REMOVE DRAINER, changing nothing', async () => {
    await ok(h, 'CREATE SPACE t(vid_type=INT64)');
    const t = h.session('root', 't');
    await ok(h, 'ADD DRAINER 192.168.10.104:9889, 192.168.10.105:9889', t);
    const err = await refused(h, 'DROP SPACE t');
    expect(err).toEqual({
      code: ErrorCode.E_EXECUTION_ERROR,
      message: "Conflict: space `t' has drainer 192.168.10.104:9889, 192.168.10.105:9889; REMOVE DRAINER first",
    });
    expect((await refused(h, 'DROP SPACE IF EXISTS t')).message).toMatch(/^Conflict: /);
    expect(await table(h, 'SHOW SPACES')).toEqual({ columns: ['Name'], rows: [['t']] });
    await ok(h, 'REMOVE DRAINER', t);
    await ok(h, 'DROP SPACE t');
    expect(await table(h, 'SHOW SPACES')).toEqual({ columns: ['Name'], rows: [] });
  });
});
