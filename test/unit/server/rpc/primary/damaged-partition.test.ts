// Pins what a cluster restarted on damaged storage answers: FETCH/INSERT/STATS get NebulaGraph's "Storage Error" naming space, partition, vertex and tag; WAL tails and snapshots of a refused or damaged partition end with DATA_LOSS instead of shipping bytes; the other partitions serve as before.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partOf } from '../../../../../src/engine/storage/partition-of.ts';
import { spaceFileName } from '../../../../../src/engine/storage/space-schema.ts';
import type { SnapshotChunkMsg, WalBatchMsg } from '../../../../../src/engine/sync/wire.ts';
import { Cluster, defaultClusterOptions } from '../../../../../src/server/cluster.ts';
import { clientFor } from '../../../../../src/server/rpc/proto.ts';
import { flipBlob } from '../../../../helpers/disk-damage.ts';
import { StreamReader } from './primary-fixture.ts';

const PARTS = 3;
let dataPath: string;
let cluster: Cluster;
let storage: grpc.Client;
let session: bigint;
let spaceId: number;

/** Three vids: one in the partition whose WAL gets damaged, one whose row does, one left alone. */
const vidIn = (part: number, skip = 0): string => {
  for (let i = 0, seen = 0; ; i++) if (partOf(`player${i}`, PARTS) === part && seen++ === skip) return `player${i}`;
};
const [walPart, rowPart, cleanPart] = [1, 2, 3];
const walVid = vidIn(walPart);
const rowVid = vidIn(rowPart);
const rowNeighbour = vidIn(rowPart, 1);
const cleanVid = vidIn(cleanPart);

async function start(): Promise<void> {
  cluster = await Cluster.start({ ...defaultClusterOptions, dataPath, port: 0, metaPort: 0, storagePort: 0, wsHttpPort: 0, fsync: false });
  const auth = await cluster.handler.authenticate('root', 'nebula');
  if (!auth.ok) throw new Error(auth.error.message);
  session = auth.sessionId;
}

const run = (stmt: string) => cluster.handler.execute(session, stmt);

beforeAll(async () => {
  dataPath = mkdtempSync(join(tmpdir(), 'nebula-sync-damaged-'));
  await start();
  for (const stmt of [
    `ADD HOSTS 127.0.0.1:${cluster.ports.storage}`,
    `CREATE SPACE nba(partition_num=${PARTS}, vid_type=fixed_string(30))`,
    'USE nba',
    'CREATE TAG player(name string, age int)',
  ]) {
    expect((await run(stmt)).errorCode).toBe(0);
  }
  spaceId = cluster.metaStore.catalog().spaces['nba']!.id;
  for (const vid of [walVid, rowVid, rowNeighbour, cleanVid]) {
    expect((await run(`INSERT VERTEX player(name, age) VALUES "${vid}":("Name of ${vid}", 42)`)).errorCode).toBe(0);
  }
  await cluster.close();
  const file = join(dataPath, spaceFileName(spaceId));
  expect(flipBlob(file, 'wal', 'body', 'part = ? AND log_id = 1', walPart)).toBe(1);
  expect(flipBlob(file, 'tags', 'props', 'vid = ?', rowVid)).toBe(1);
  await start();
  expect((await run('USE nba')).errorCode).toBe(0);
  storage = clientFor('Storage', `127.0.0.1:${cluster.ports.storage}`);
});
afterAll(async () => {
  storage?.close();
  await cluster?.close();
  rmSync(dataPath, { recursive: true, force: true });
});

describe('graph statements on damaged storage', () => {
  it('answer the storage error for the damaged row and the refused partition, and the other rows', async () => {
    const row = await run(`FETCH PROP ON player "${rowVid}" YIELD player.name AS name`);
    expect(row.errorCode).toBe(-1005);
    expect(row.errorMsg).toBe(`Storage Error: part ${rowPart} of space nba is damaged: checksum mismatch on vertex "${rowVid}" (tag player)`);
    const refused = await run(`FETCH PROP ON player "${walVid}" YIELD player.name AS name`);
    expect(refused.errorCode).toBe(-1005);
    expect(refused.errorMsg).toMatch(new RegExp(`^Storage Error: part ${walPart} of space nba is damaged: WAL entry checksum mismatch .* in WAL entry 1$`));
    for (const vid of [rowNeighbour, cleanVid]) {
      const ok = await run(`FETCH PROP ON player "${vid}" YIELD player.name AS name`);
      expect(ok.errorCode).toBe(0);
      expect(ok.data?.rows).toEqual([[`Name of ${vid}`]]);
    }
  });

  it('refuse writes to the refused partition only, and a STATS job over the damaged space', async () => {
    const write = await run(`INSERT VERTEX player(name, age) VALUES "${vidIn(walPart, 5)}":("New", 1)`);
    expect(write.errorCode).toBe(-1005);
    expect(write.errorMsg).toMatch(/^Storage Error: part 1 of space nba is damaged/);
    expect((await run(`INSERT VERTEX player(name, age) VALUES "${vidIn(cleanPart, 5)}":("New", 1)`)).errorCode).toBe(0);
    const stats = await run('SUBMIT JOB STATS');
    expect(stats.errorCode).toBe(-1005);
    expect(stats.errorMsg).toMatch(/^Storage Error: part [12] of space nba is damaged/);
  });
});

describe('replication reads of damaged storage', () => {
  const ended = async <T>(reader: StreamReader<T>): Promise<void> => void (await reader.until(() => false, 5_000).catch(() => undefined));

  it('end the WAL tail and the snapshot of the refused partition with DATA_LOSS, shipping nothing', async () => {
    const tail = new StreamReader<WalBatchMsg>(storage, 'TailWal', { space_id: spaceId, part: walPart, from_log_id: 1 });
    await ended(tail);
    expect(tail.error?.code).toBe(grpc.status.DATA_LOSS);
    expect(tail.error?.details).toMatch(/^Storage Error: part 1 of space \d+ is damaged/);
    expect(tail.messages).toEqual([]);
    const snap = new StreamReader<SnapshotChunkMsg>(storage, 'Snapshot', { space_id: spaceId, part: walPart });
    await ended(snap);
    expect(snap.error?.code).toBe(grpc.status.DATA_LOSS);
    expect(snap.messages).toEqual([]);
  });

  it('end the snapshot of a partition with a damaged row with DATA_LOSS, while its intact WAL still tails', async () => {
    const snap = new StreamReader<SnapshotChunkMsg>(storage, 'Snapshot', { space_id: spaceId, part: rowPart });
    await ended(snap);
    expect(snap.error?.code).toBe(grpc.status.DATA_LOSS);
    expect(snap.messages.some((c) => c.last)).toBe(false);
    const tail = new StreamReader<WalBatchMsg>(storage, 'TailWal', { space_id: spaceId, part: rowPart, from_log_id: 1 });
    await tail.until((m) => m.length > 0);
    expect(tail.error).toBeUndefined();
    tail.cancel();
  });

  it('list the damage from the storage engine', () => {
    expect(cluster.storage.damaged().map((d) => [d.part, d.refused]).sort()).toEqual([
      [walPart, true],
      [rowPart, false],
    ]);
  });
});
