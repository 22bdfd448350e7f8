// Rows as large as a statement allows (string props up to 1 MiB, statements up to 4 MiB, WAL
// entries up to limits.walEntryBytesMax) reach the secondary both ways a partition travels: as a
// snapshot, whose chunks are bounded by bytes as well as rows (500 such rows would be one 450 MB
// chunk), and as WAL entries past gRPC's default 4 MiB message on every hop. Either failing would
// leave the partition retrying forever.
import { afterEach, describe, expect, it } from 'vitest';
import { stopAll } from '../helpers/processes.ts';
import { eventually, must, PRIMARY_SPACE, rootClient, startTopology, TARGET_SPACE, type Topology } from '../helpers/topology.ts';
import type { GraphClient } from '../../src/client/graph-client.ts';

afterEach(stopAll);

const BIG = 900_000;
/** A string of `n` characters, different for each row, so a mixed-up row shows. */
const bigName = (i: number, n = BIG): string => `${i}:`.padEnd(n, String.fromCharCode(97 + (i % 26)));
const text = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : x));

async function insertBig(client: GraphClient, first: number, count: number, n = BIG): Promise<void> {
  const rows = Array.from({ length: count }, (_, j) => `"big${first + j}":("${bigName(first + j, n)}", ${first + j})`);
  await must(client, `INSERT VERTEX player(name, age) VALUES ${rows.join(', ')}`);
}

/** Length, intactness and age of rows big<i> on `client`, or undefined while any is missing. */
async function bigRows(client: GraphClient, ids: readonly number[]): Promise<string[] | undefined> {
  const out: string[] = [];
  for (const i of ids) {
    const r = await client.execute(`FETCH PROP ON player "big${i}" YIELD player.name AS name, player.age AS age`);
    const row = r.data?.rows[0];
    if (r.errorCode !== 0 || row === undefined) return undefined;
    const name = String(row[0]);
    out.push(`${i} ${name.length} ${name === bigName(i, name.length) ? 'ok' : 'DIFFERENT'} ${String(row[1])}`);
  }
  return out;
}

/** A one-partition primary space with tag player, before any sync. */
async function primarySpace(t: Topology): Promise<GraphClient> {
  const p = await rootClient(t.primary.ports.graph);
  await must(p, `ADD HOSTS 127.0.0.1:${t.primary.ports.storage}`);
  await must(p, `CREATE SPACE ${PRIMARY_SPACE}(partition_num=1, replica_factor=1, vid_type=fixed_string(30))`);
  await must(p, `USE ${PRIMARY_SPACE}`);
  await must(p, 'CREATE TAG player(name string, age int)');
  return p;
}

/** The seed's sync from `p`'s space to a one-partition target; answers the secondary's client. */
async function startSync(t: Topology, p: GraphClient): Promise<GraphClient> {
  const s = await rootClient(t.secondary.ports.graph);
  await must(s, `ADD HOSTS 127.0.0.1:${t.secondary.ports.storage}`);
  await must(s, `CREATE SPACE ${TARGET_SPACE}(partition_num=1, replica_factor=1, vid_type=fixed_string(30))`);
  await must(s, `USE ${TARGET_SPACE}`);
  await must(s, `ADD DRAINER 127.0.0.1:${t.ports.drainer}`);
  await must(p, `SIGN IN DRAINER SERVICE(127.0.0.1:${t.ports.drainer})`);
  await must(p, `ADD LISTENER SYNC META 127.0.0.1:${t.ports.metaListener} STORAGE 127.0.0.1:${t.ports.storageListener} TO SPACE ${TARGET_SPACE}`);
  return s;
}

/** Waits until `read` on the secondary answers what it answers on the primary; says why not on failure. */
async function expectArrives(what: string, p: GraphClient, s: GraphClient, read: (c: GraphClient) => Promise<unknown>): Promise<void> {
  const want = text(await read(p));
  let seen = '';
  await eventually(what, async () => (seen = text(await read(s))) === want, 40_000, 250).catch(async (error: Error) => {
    const why = await p.execute('SHOW SYNC ERRORS');
    throw new Error(`${error.message}: saw ${seen.slice(0, 200)}; sync errors ${text(why.data?.rows)}`);
  });
}

describe('large rows', () => {
  it('a partition of 0.9 MiB rows whose WAL expired arrives by snapshot, whole and unmixed', async () => {
    const t = await startTopology({ walTtlSecs: 1, partitions: 1 });
    const p = await primarySpace(t);
    // 8 rows of 0.9 MiB in the one partition: about 7 MiB for its snapshot.
    for (let i = 0; i < 8; i += 4) await insertBig(p, i, 4);
    // Retention drops those entries (ttl 1 s, a sweep every second): the sync must take a snapshot.
    await new Promise((r) => setTimeout(r, 2_500));
    const s = await startSync(t, p);
    const ids = [0, 1, 2, 3, 4, 5, 6, 7];
    expect(await bigRows(p, ids)).toHaveLength(8);
    await expectArrives('the snapshot of large rows on the secondary', p, s, (c) => bigRows(c, ids));
  }, 120_000);

  it('WAL entries of 4 MB and 10 MB arrive through every hop', async () => {
    const t = await startTopology({ partitions: 1 });
    const p = await primarySpace(t);
    const s = await startSync(t, p);
    // One statement as large as allowed, all in one entry of the one partition.
    await insertBig(p, 0, 4, 1_000_000);
    await expectArrives('a 4 MB WAL entry on the secondary', p, s, (c) => bigRows(c, [0, 1, 2, 3]));
    // Rows carry their prop names: 10,000 rows of 16 long names make one entry of about 10 MB
    // from a 0.4 MB statement.
    const names = Array.from({ length: 16 }, (_, i) => `p${i}_`.padEnd(60, 'x'));
    await must(p, `CREATE TAG wide(${names.map((n) => `${n} int`).join(', ')})`);
    await eventually('tag wide on the secondary', async () => (await s.execute('DESCRIBE TAG wide')).errorCode === 0, 30_000, 100);
    const values = (i: number): string => names.map((_, j) => String((i * 16 + j) % 1000)).join(',');
    await must(p, `INSERT VERTEX wide(${names.join(', ')}) VALUES ${Array.from({ length: 10_000 }, (_, i) => `"w${i}":(${values(i)})`).join(', ')}`);
    const probe = `FETCH PROP ON wide "w0", "w4321", "w9999" YIELD id(vertex) AS id, wide.${names[15]} AS last`;
    expect(text((await must(p, probe)).data!.rows)).toContain('w9999');
    await expectArrives('a 10 MB WAL entry on the secondary', p, s, async (c) => (await c.execute(probe)).data?.rows);
  }, 120_000);
});
