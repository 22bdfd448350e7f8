// Pins DESIGN rule 1: a write acknowledged to a client survives kill -9 of the cluster, and every
// partition's WAL stays contiguous across the crash and the restart.
import { afterAll, describe, expect, it } from 'vitest';
import { GraphClient } from '../../src/client/graph-client.ts';
import { createStorageEngine } from '../../src/engine/storage/storage-engine.ts';
import { MetaStore } from '../../src/engine/meta/meta-store.ts';
import { runConsole, startCluster, stopAll, tempDir } from '../helpers/processes.ts';

afterAll(stopAll);

const PARTS = 7;
const WRITERS = 3;

async function connect(port: number): Promise<GraphClient> {
  const client = await GraphClient.connect({ host: '127.0.0.1', port, timeoutMs: 10_000 });
  const auth = await client.authenticate('root', 'nebula');
  if (!auth.ok) throw new Error(auth.error.message);
  const use = await client.execute('USE durable');
  if (use.errorCode !== 0) throw new Error(use.errorMsg);
  return client;
}

describe('durability across kill -9', () => {
  it('keeps every acknowledged write and a contiguous WAL per partition', async () => {
    const dataPath = tempDir('durability');
    let cluster = await startCluster(dataPath);
    const setup = runConsole(cluster.ports.graph, [
      '-e',
      `ADD HOSTS 127.0.0.1:${cluster.ports.storage}; CREATE SPACE durable(partition_num=${PARTS}, vid_type=fixed_string(16)); USE durable; CREATE TAG item(n int, label string); CREATE EDGE link(w int)`,
    ]);
    expect(setup.status, setup.stdout + setup.stderr).toBe(0);

    // Several writers insert until the process dies under them; only acknowledged rows count.
    const acked: string[] = [];
    const clients = await Promise.all(Array.from({ length: WRITERS }, () => connect(cluster.ports.graph)));
    let stop = false;
    const writers = clients.map(async (client, w) => {
      for (let i = 0; !stop; i++) {
        const rows = Array.from({ length: 20 }, (_, j) => `"w${w}-${i}-${j}":(${i * 100 + j}, "row ${j}")`);
        let res;
        try {
          res = await client.execute(`INSERT VERTEX item(n, label) VALUES ${rows.join(', ')}`);
        } catch {
          return; // connection died with the process: this write was never acknowledged
        }
        if (res.errorCode !== 0) throw new Error(res.errorMsg);
        for (let j = 0; j < 20; j++) acked.push(`w${w}-${i}-${j}`);
        await client.execute(`INSERT EDGE link(w) VALUES "w${w}-${i}-0"->"w${w}-${i}-1":(${i})`).catch(() => undefined);
      }
    });
    while (acked.length < 2000) await new Promise((r) => setTimeout(r, 20));
    await cluster.kill9();
    stop = true;
    await Promise.all(writers);
    for (const client of clients) client.close();
    const ackedCount = acked.length;
    expect(ackedCount).toBeGreaterThanOrEqual(2000);

    cluster = await startCluster(dataPath);
    const reader = await connect(cluster.ports.graph);
    for (let i = 0; i < ackedCount; i += 500) {
      const batch = acked.slice(i, i + 500);
      const res = await reader.execute(`FETCH PROP ON item ${batch.map((v) => `"${v}"`).join(', ')} YIELD id(vertex)`);
      expect(res.errorCode).toBe(0);
      expect(res.data!.rows.length).toBe(batch.length);
    }
    reader.close();
    await cluster.stop();

    // Read the partition WALs straight from disk: no holes, last entry where the state says.
    const meta = MetaStore.open({ dataPath, fsync: false });
    const space = meta.catalog().spaces['durable']!;
    meta.close();
    const storage = createStorageEngine({ dataPath, walTtlSecs: 14400, fsync: false });
    const store = storage.openSpace(space.id, space.partitionNum, space.vidType.kind);
    let entries = 0;
    for (let part = 1; part <= PARTS; part++) {
      const state = store.partitionState(part);
      let expected = state.firstLogId;
      for (;;) {
        const read = store.readWal(part, expected, 1000);
        expect(read.kind).toBe('entries');
        if (read.kind !== 'entries' || read.entries.length === 0) break;
        for (const entry of read.entries) expect(entry.logId).toBe(expected++);
        entries += read.entries.length;
      }
      expect(expected - 1).toBe(state.lastLogId);
    }
    storage.close();
    expect(entries).toBeGreaterThan(0);
  });
});
