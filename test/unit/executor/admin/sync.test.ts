// Pins the synchronization statements: the seed's Steps 1-2 on one cluster, and every refusal.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../src/errors.ts';
import { GIT_INFO_SHA, PRODUCT_VERSION } from '../../../../src/engine/meta/version.ts';
import type { Session, SyncStatusRow } from '../../../../src/executor/types.ts';
import { createHarness, type Harness } from '../../../helpers/exec-harness.ts';
import { ok, refused, syncRuntime, table, tableWithSync, withSpace } from './admin-harness.ts';

let h: Harness;
beforeEach(() => {
  h = createHarness({ enableAuthorize: true });
});
afterEach(() => h.close());

const LISTENER_SYNC = 'ADD LISTENER SYNC META 192.168.10.103:9569 STORAGE 192.168.10.103:9789 TO SPACE replication';

describe("the seed's Steps 1 and 2", () => {
  it('sets up the primary and the secondary space', async () => {
    await ok(h, 'ADD HOSTS 127.0.0.1:9779');
    expect(await table(h, 'SHOW HOSTS STORAGE')).toEqual({
      columns: ['Host', 'Port', 'Status', 'Role', 'Git Info Sha', 'Version'],
      rows: [['127.0.0.1', 9779n, 'ONLINE', 'STORAGE', GIT_INFO_SHA, PRODUCT_VERSION]],
    });
    await ok(h, 'CREATE SPACE basketballplayer(partition_num=15, replica_factor=1, vid_type=fixed_string(30))');
    const s = h.session();
    await ok(h, 'USE basketballplayer', s);
    await ok(h, 'SIGN IN DRAINER SERVICE(192.168.10.104:9889)', s);
    expect(await table(h, 'SHOW DRAINER CLIENTS', s)).toEqual({
      columns: ['Type', 'Host', 'Port'],
      rows: [['DRAINER', '192.168.10.104', 9889n]],
    });
    await ok(
      h,
      'ADD LISTENER SYNC META 192.168.10.103:9569 STORAGE 192.168.10.103:9789 TO SPACE replication_basketballplayer',
      s,
    );
    const listeners = await tableWithSync(h, 'SHOW LISTENER SYNC', s, syncRuntime());
    expect(listeners.columns).toEqual(['PartId', 'Type', 'Host', 'SpaceName', 'Status']);
    expect(listeners.rows).toHaveLength(16);
    expect(listeners.rows[0]).toEqual([0n, 'SYNC', '"192.168.10.103":9569', 'replication_basketballplayer', 'ONLINE']);
    for (let part = 1; part <= 15; part++) {
      expect(listeners.rows[part]).toEqual([
        BigInt(part),
        'SYNC',
        '"192.168.10.103":9789',
        'replication_basketballplayer',
        'ONLINE',
      ]);
    }

    // The secondary's half, on a space of its own.
    await ok(
      h,
      'CREATE SPACE replication_basketballplayer(partition_num=15, replica_factor=1, vid_type=fixed_string(30))',
    );
    const t = h.session();
    await ok(h, 'USE replication_basketballplayer', t);
    await ok(h, 'ADD DRAINER 192.168.10.104:9889', t);
    expect(await tableWithSync(h, 'SHOW DRAINERS', t, syncRuntime())).toEqual({
      columns: ['Host', 'Status'],
      rows: [['"192.168.10.104":9889', 'ONLINE']],
    });
    await ok(h, 'SET VARIABLES read_only=true', t);
    expect(await table(h, 'GET VARIABLES read_only', t)).toEqual({
      columns: ['name', 'type', 'value'],
      rows: [['read_only', 'bool', true]],
    });
    const err = await refused(h, 'CREATE TAG player(name string, age int)', t);
    expect(err.code).toBe(ErrorCode.E_EXECUTION_ERROR);
    expect(err.message).toMatch(/^ReadOnly: /);
    // The primary is not read_only: its schema may change.
    await ok(h, 'CREATE TAG player(name string, age int)', s);
  });
});

describe('SIGN IN / SIGN OUT DRAINER SERVICE', () => {
  let s: Session;
  beforeEach(async () => {
    s = await withSpace(h);
    await ok(h, 'CREATE USER u WITH PASSWORD "p"');
    await ok(h, 'GRANT ROLE ADMIN ON s TO u');
  });

  it('is root only: -1008 for anyone else', async () => {
    const err = await refused(h, 'SIGN IN DRAINER SERVICE(192.168.10.104:9889)', h.session('u', 's'));
    expect(err).toEqual({
      code: ErrorCode.E_BAD_PERMISSION,
      message: 'PermissionError: No permission to write space.',
    });
    expect((await refused(h, 'SIGN OUT DRAINER SERVICE', h.session('u', 's'))).code).toBe(ErrorCode.E_BAD_PERMISSION);
  });

  it('needs a current space', async () => {
    const err = await refused(h, 'SIGN IN DRAINER SERVICE(192.168.10.104:9889)', h.session());
    expect(err.message).toBe('SemanticError: Space was not chosen.');
  });

  it('answers Existed! when a drainer service is already signed in', async () => {
    await ok(h, 'SIGN IN DRAINER SERVICE(192.168.10.104:9889)', s);
    expect((await refused(h, 'SIGN IN DRAINER SERVICE(192.168.10.105:9889)', s)).message).toBe('Existed!');
  });

  it('signs out, and refuses a sign-out with nothing signed in', async () => {
    await ok(h, 'SIGN IN DRAINER SERVICE(192.168.10.104:9889)', s);
    await ok(h, 'SIGN OUT DRAINER SERVICE', s);
    expect((await table(h, 'SHOW DRAINER CLIENTS', s)).rows).toEqual([]);
    const err = await refused(h, 'SIGN OUT DRAINER SERVICE', s);
    expect(err.code).toBe(ErrorCode.E_EXECUTION_ERROR);
    expect(err.message).toMatch(/^DrainerClientNotFound: /);
  });
});

describe('ADD / REMOVE LISTENER SYNC and the primary status', () => {
  let s: Session;
  beforeEach(async () => {
    s = await withSpace(h);
  });

  it('needs a signed-in drainer service', async () => {
    const err = await refused(h, LISTENER_SYNC, s);
    expect(err.code).toBe(ErrorCode.E_EXECUTION_ERROR);
    expect(err.message).toMatch(/^NoValidDrainer: /);
  });

  it('allows one listener sync per space, never to the space itself', async () => {
    await ok(h, 'SIGN IN DRAINER SERVICE(192.168.10.104:9889)', s);
    expect((await refused(h, 'ADD LISTENER SYNC META 10.0.0.1:9569 STORAGE 10.0.0.1:9789 TO SPACE s', s)).code).toBe(
      ErrorCode.E_EXECUTION_ERROR,
    );
    await ok(h, LISTENER_SYNC, s);
    expect((await refused(h, LISTENER_SYNC, s)).message).toBe('Existed!');
  });

  it('spreads partitions round-robin over several storage listeners', async () => {
    await ok(h, 'SIGN IN DRAINER SERVICE(192.168.10.104:9889)', s);
    await ok(h, 'ADD LISTENER SYNC META 10.0.0.1:9569 STORAGE 10.0.0.1:9789, 10.0.0.2:9789 TO SPACE t', s);
    const rows = (await table(h, 'SHOW LISTENER SYNC', s)).rows;
    expect(rows.slice(0, 4).map((r) => [r[0], r[2], r[4]])).toEqual([
      [0n, '"10.0.0.1":9569', 'OFFLINE'],
      [1n, '"10.0.0.1":9789', 'OFFLINE'],
      [2n, '"10.0.0.2":9789', 'OFFLINE'],
      [3n, '"10.0.0.1":9789', 'OFFLINE'],
    ]);
  });

  it('lets only root add or remove it (DESIGN rule 7), even a space ADMIN is refused', async () => {
    await ok(h, 'SIGN IN DRAINER SERVICE(192.168.10.104:9889)', s);
    await ok(h, 'CREATE USER u WITH PASSWORD "p"');
    await ok(h, 'GRANT ROLE ADMIN ON s TO u');
    const denied = await refused(h, LISTENER_SYNC, h.session('u', 's'));
    expect(denied.code).toBe(ErrorCode.E_BAD_PERMISSION);
    expect(denied.message).toMatch(/^PermissionError: /);
    await ok(h, LISTENER_SYNC, s);
    expect((await refused(h, 'REMOVE LISTENER SYNC', h.session('u', 's'))).code).toBe(ErrorCode.E_BAD_PERMISSION);
    await ok(h, 'REMOVE LISTENER SYNC', s);
  });

  it('removes it, stops and restarts it, and reports its status', async () => {
    expect((await refused(h, 'REMOVE LISTENER SYNC', s)).message).toMatch(/^SyncListenerNotFound: /);
    expect((await refused(h, 'SHOW SYNC STATUS', s)).message).toMatch(/^SyncListenerNotFound: /);
    expect((await refused(h, 'STOP SYNC', s)).message).toMatch(/^SyncListenerNotFound: /);
    await ok(h, 'SIGN IN DRAINER SERVICE(192.168.10.104:9889)', s);
    await ok(h, LISTENER_SYNC, s);
    await ok(h, 'STOP SYNC', s);
    expect(h.ctx(s).meta.catalog().listeners.s.stopped).toBe(true);
    await ok(h, 'RESTART SYNC', s);
    expect(h.ctx(s).meta.catalog().listeners.s.stopped).toBe(false);
    const status: SyncStatusRow[] = [
      { part: 1, status: 'ONLINE', logIdLag: 1, timeLatencyMs: 46242122 },
      { part: 0, status: 'ONLINE', logIdLag: 0, timeLatencyMs: 0 },
    ];
    expect(await tableWithSync(h, 'SHOW SYNC STATUS', s, syncRuntime({ syncStatus: () => status }))).toEqual({
      columns: ['PartId', 'Sync Status', 'LogId Lag', 'Time Latency'],
      rows: [
        [0n, 'ONLINE', 0n, 0n],
        [1n, 'ONLINE', 1n, 46242122n],
      ],
    });
    await ok(h, 'REMOVE LISTENER SYNC', s);
    expect((await table(h, 'SHOW LISTENER SYNC', s)).rows).toEqual([]);
  });

  it('works on a read_only primary', async () => {
    await ok(h, 'SET VARIABLES read_only=true', s);
    await ok(h, 'SIGN IN DRAINER SERVICE(192.168.10.104:9889)', s);
    await ok(h, LISTENER_SYNC, s);
    await ok(h, 'STOP SYNC', s);
  });
});

describe('ADD / REMOVE DRAINER and the secondary status', () => {
  let t: Session;
  beforeEach(async () => {
    t = await withSpace(h, 't');
  });

  it('works on a read_only target', async () => {
    await ok(h, 'SET VARIABLES read_only=true', t);
    await ok(h, 'ADD DRAINER 192.168.10.104:9889', t);
    expect((await table(h, 'SHOW DRAINERS', t)).rows).toEqual([['"192.168.10.104":9889', 'OFFLINE']]);
    await ok(h, 'REMOVE DRAINER', t);
    expect((await table(h, 'SHOW DRAINERS', t)).rows).toEqual([]);
  });

  it('answers Existed! for a second ADD DRAINER', async () => {
    await ok(h, 'ADD DRAINER 192.168.10.104:9889', t);
    expect((await refused(h, 'ADD DRAINER 192.168.10.105:9889', t)).message).toBe('Existed!');
  });

  it('answers DrainerNotFound without drainers', async () => {
    expect((await refused(h, 'REMOVE DRAINER', t)).message).toMatch(/^DrainerNotFound: /);
    expect((await refused(h, 'SHOW DRAINER SYNC STATUS', t)).message).toMatch(/^DrainerNotFound: /);
  });

  it('reports the drainer sync status', async () => {
    await ok(h, 'ADD DRAINER 192.168.10.104:9889', t);
    const rows: SyncStatusRow[] = [{ part: 0, status: 'OFFLINE', logIdLag: 3, timeLatencyMs: 12 }];
    const sync = syncRuntime({ drainerSyncStatus: (space) => (space === 't' ? rows : []) });
    expect(await tableWithSync(h, 'SHOW DRAINER SYNC STATUS', t, sync)).toEqual({
      columns: ['PartId', 'Sync Status', 'LogId Lag', 'Time Latency'],
      rows: [[0n, 'OFFLINE', 3n, 12n]],
    });
  });

  it('refuses a USER', async () => {
    await ok(h, 'CREATE USER u WITH PASSWORD "p"');
    await ok(h, 'GRANT ROLE USER ON t TO u');
    const err = await refused(h, 'ADD DRAINER 192.168.10.104:9889', h.session('u', 't'));
    expect(err.code).toBe(ErrorCode.E_BAD_PERMISSION);
  });
});
