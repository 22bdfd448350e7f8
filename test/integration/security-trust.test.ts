// Pins what an internal link keeps from the peers on it: the meta tail carries only the synced
// space's schema changes (no user, role or password hash after CREATE USER / ALTER USER / CHANGE
// PASSWORD, while the seed's Step 3 schema still arrives), 20,000 spoofed heartbeats neither keep a
// real listener out of SHOW HOSTS nor grow it past the bounded pool, and a refused target logs a
// handful of lines per process, not one per attempt (nor a warning per stream on STOP SYNC).
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { UNKNOWN_HOSTS_MAX } from '../../src/engine/meta/liveness.ts';
import { num, type WalBatchMsg } from '../../src/engine/sync/wire.ts';
import { clientFor, serviceDefinition } from '../../src/server/rpc/proto.ts';
import { start, startCluster, stopAll, tempDir } from '../helpers/processes.ts';
import { eventually, must, PRIMARY_SPACE, rootClient, setUpSync, startTopology, TARGET_SPACE, type Topology } from '../helpers/topology.ts';
import type { GraphClient } from '../../src/client/graph-client.ts';

afterEach(stopAll);

function unary<T>(client: grpc.Client, method: string, request: object): Promise<T> {
  return new Promise((resolve, reject) => {
    (client as unknown as Record<string, Function>)[method]!.call(client, request, (error: Error | null, reply: T) =>
      error ? reject(error) : resolve(reply),
    );
  });
}

/** Every byte TailMetaWal sends for `spaceId` until its batches cover `lastLogId`, undecoded. */
async function rawMetaTail(metaAddr: string, spaceId: number, lastLogId: number): Promise<Buffer[]> {
  const method = serviceDefinition('Meta')['TailMetaWal']!;
  const raw = new grpc.Client(metaAddr, grpc.credentials.createInsecure());
  const frames: Buffer[] = [];
  try {
    const stream = raw.makeServerStreamRequest(method.path, method.requestSerialize, (bytes: Buffer) => bytes, { space_id: spaceId, from_log_id: 1 });
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (bytes: Buffer) => {
        frames.push(bytes);
        if (num((method.responseDeserialize(bytes) as WalBatchMsg).last_log_id) >= lastLogId) resolve();
      });
      stream.on('error', reject);
      setTimeout(() => reject(new Error('the meta tail did not cover the meta WAL in 10 s')), 10_000);
    });
    stream.cancel();
  } finally {
    raw.close();
  }
  return frames;
}

async function rows(client: GraphClient, stmt: string): Promise<unknown[][]> {
  return (await must(client, stmt)).data!.rows.map((r) => [...r]);
}

/** Lines a process logged after `mark` (its stderr length at some moment). */
const linesSince = (stderr: string, mark: number): string[] => stderr.slice(mark).split('\n').filter((l) => l.trim() !== '');

describe('internal links keep least data and bound what peers can make them keep', () => {
  it('ships no user, role or password hash on the meta link, and the Step 3 schema still arrives', async () => {
    const t: Topology = await startTopology({ partitions: 3 });
    const { primary, secondary } = await setUpSync(t, { partitions: 3 });
    await must(primary, 'CREATE TAG player(name string, age int)');
    await must(primary, 'CREATE EDGE follow(degree int)');
    await must(primary, 'CREATE USER alice WITH PASSWORD "wonderland1"');
    await must(primary, `GRANT ROLE ADMIN ON ${PRIMARY_SPACE} TO alice`);
    await must(primary, 'ALTER USER alice WITH PASSWORD "wonderland2"');
    await must(primary, 'CHANGE PASSWORD alice FROM "wonderland2" TO "wonderland3"');
    await must(primary, 'ALTER TAG player ADD (team string)');
    await eventually('Step 3 schema on the secondary', async () => {
      const described = await secondary.execute('DESCRIBE TAG player');
      return described.errorCode === 0 && described.data!.rows.some((r) => r[0] === 'team');
    });
    expect(await rows(secondary, 'SHOW EDGES')).toEqual([['follow']]);
    expect((await rows(secondary, 'SHOW USERS')).flat()).not.toContain('alice');

    const meta = clientFor('Meta', `127.0.0.1:${t.primary.ports.meta}`);
    const health = await unary<{ meta_log_id: string }>(meta, 'Health', {});
    meta.close();
    const spaceId = Number((await rows(primary, `DESCRIBE SPACE ${PRIMARY_SPACE}`))[0]![0]);
    const bytes = Buffer.concat(await rawMetaTail(`127.0.0.1:${t.primary.ports.meta}`, spaceId, num(health.meta_log_id)));
    for (const secret of ['alice', 'wonderland', 'scrypt', 'passwordHash', 'putUser', 'ADMIN', 'root']) {
      expect(bytes.includes(Buffer.from(secret)), secret).toBe(false);
    }
    // What it does carry: the space's schemas.
    for (const schema of ['player', 'follow', 'team']) expect(bytes.includes(Buffer.from(schema)), schema).toBe(true);

    // An ordinary STOP SYNC is no warning: at most one info line per stream.
    const marks = { meta: t.metaListener.stderr().length, storage: t.storageListener.stderr().length };
    await must(primary, 'STOP SYNC');
    await new Promise((r) => setTimeout(r, 2_000));
    const stopLines = [...linesSince(t.metaListener.stderr(), marks.meta), ...linesSince(t.storageListener.stderr(), marks.storage)];
    expect(stopLines.filter((l) => !l.includes('"level":"info"'))).toEqual([]);
    expect(stopLines.length).toBeLessThanOrEqual(4);
    await primary.close();
    await secondary.close();
   }, 120_000);

  it('keeps a real listener listed ONLINE through 20,000 spoofed heartbeats, and the table bounded', async () => {
    const cluster = await startCluster(tempDir('spoof'));
    const graph = await rootClient(cluster.ports.graph);
    await must(graph, `ADD HOSTS 127.0.0.1:${cluster.ports.storage}`);
    await must(graph, 'CREATE SPACE s(partition_num=1, vid_type=INT64)');
    const meta = clientFor('Meta', `127.0.0.1:${cluster.ports.meta}`);
    const roles = ['STORAGE_LISTENER', 'META_LISTENER', 'DRAINER'];
    const spoof = async (count: number, prefix: string): Promise<void> => {
      const WORKERS = 64;
      await Promise.all(
        Array.from({ length: WORKERS }, async (_, w) => {
          for (let i = w; i < count; i += WORKERS) {
            const beat = { role: roles[i % 3], host: `${prefix}-${i}`, port: 1 + (i % 65_000), git_info_sha: 'spoof', version: 'spoof' };
            expect((await unary<{ code: number }>(meta, 'Heartbeat', beat)).code).toBe(0);
          }
        }),
      );
    };
    const listed = async (): Promise<unknown[][]> => [
      ...(await rows(graph, 'SHOW HOSTS STORAGE LISTENER')),
      ...(await rows(graph, 'SHOW HOSTS META LISTENER')),
      ...(await rows(graph, 'SHOW HOSTS DRAINER')),
    ];
    await spoof(20_000, '10.9.9');
    expect((await listed()).length).toBe(UNKNOWN_HOSTS_MAX);
    // Garbage is refused outright and kept nowhere.
    const huge = await unary<{ code: number }>(meta, 'Heartbeat', { role: 'DRAINER', host: 'h'.repeat(10_000), port: 1, git_info_sha: '', version: '' });
    expect(huge.code).toBe(-2003);

    const listener = await start('listener', ['--role=meta', '--local_ip=127.0.0.1', '--port=0', '--ws_http_port=0', `--meta_server_addrs=127.0.0.1:${cluster.ports.meta}`, '--heartbeat_interval_secs=1']);
    const port = Number(listener.ready['port']);
    const realOnline = async () => (await rows(graph, 'SHOW HOSTS META LISTENER')).some((r) => r[0] === '127.0.0.1' && r[1] === BigInt(port) && r[2] === 'ONLINE');
    await eventually('the real listener is listed ONLINE', realOnline, 10_000);
    // Once the catalog names it, a new flood cannot push it out even between two of its beats.
    await must(graph, 'USE s');
    await must(graph, 'SIGN IN DRAINER SERVICE(127.0.0.1:2)');
    await must(graph, `ADD LISTENER SYNC META 127.0.0.1:${port} STORAGE 127.0.0.1:1 TO SPACE t`);
    await spoof(5_000, '10.8.8');
    expect(await realOnline()).toBe(true);
    expect((await listed()).length).toBe(UNKNOWN_HOSTS_MAX + 1);
    meta.close();
    await graph.close();
  }, 120_000);

  it('logs a handful of lines per process, not one per attempt, while a target space does not exist', async () => {
    const t = await startTopology({ partitions: 15 });
    const p = await rootClient(t.primary.ports.graph);
    await must(p, `ADD HOSTS 127.0.0.1:${t.primary.ports.storage}`);
    await must(p, `CREATE SPACE ${PRIMARY_SPACE}(partition_num=15, replica_factor=1, vid_type=fixed_string(30))`);
    await must(p, `USE ${PRIMARY_SPACE}`);
    await must(p, `SIGN IN DRAINER SERVICE(127.0.0.1:${t.ports.drainer})`);
    const s = await rootClient(t.secondary.ports.graph);
    await must(s, `ADD HOSTS 127.0.0.1:${t.secondary.ports.storage}`);
    const names = ['metaListener', 'storageListener', 'drainer', 'secondary'] as const;
    const marks = Object.fromEntries(names.map((n) => [n, t[n].stderr().length]));
    await must(p, `ADD LISTENER SYNC META 127.0.0.1:${t.ports.metaListener} STORAGE 127.0.0.1:${t.ports.storageListener} TO SPACE ${TARGET_SPACE}`);
    await eventually('the drainer refuses', async () => t.drainer.stderr().slice(marks['drainer']).includes('apply refused: -5'), 10_000);
    await new Promise((r) => setTimeout(r, 5_000));
    for (const name of names) {
      const lines = linesSince(t[name].stderr(), marks[name]!);
      expect(lines.length, `${name}:\n${lines.join('\n')}`).toBeLessThanOrEqual(4);
      expect(lines.filter((l) => l.includes('"stack"')), name).toEqual([]);
    }
    // The refusals are counted, not lost: the secondary answers them with a code each time.
    expect(t.secondary.stderr().slice(marks['secondary']!)).toContain('SpaceNotFound');
    await p.close();
    await s.close();
  }, 120_000);
});
