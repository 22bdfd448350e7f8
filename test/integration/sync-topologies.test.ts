// Pins the topologies the seed allows: a chain A -> B -> C (B's drainer writes go through B's WAL,
// so B feeds C), and several storage listeners with several drainers splitting the partitions
// (round-robin over listeners, partition p to drainer p mod k); each ends with every row everywhere.
import { afterEach, describe, expect, it } from 'vitest';
import { dumpSpace, eventually } from '../helpers/topology.ts';
import { InProcess, ok } from '../helpers/in-process.ts';
import type { GraphClient } from '../../src/client/graph-client.ts';

let world: InProcess;
afterEach(async () => world.close());

const SCHEMA = ['CREATE TAG player(name string, age int)', 'CREATE EDGE follow(degree int)'];
const space = (name: string, parts: number) => `CREATE SPACE ${name}(partition_num=${parts}, replica_factor=1, vid_type=fixed_string(16))`;

async function writeRows(client: GraphClient, prefix: string, count: number): Promise<string[]> {
  const vids = Array.from({ length: count }, (_, i) => `${prefix}${i}`);
  const rows = vids.map((v, i) => `"${v}":("${v}", ${i})`);
  await ok(client, `INSERT VERTEX player(name, age) VALUES ${rows.join(', ')}`);
  const edges = vids.slice(1).map((v, i) => `"${vids[i]}"->"${v}":(${i})`);
  await ok(client, `INSERT EDGE follow(degree) VALUES ${edges.join(', ')}`);
  return vids;
}

async function expectSame(a: GraphClient, b: GraphClient, vids: string[], what: string): Promise<void> {
  let last = '';
  await eventually(
    what,
    async () => {
      try {
        const [x, y] = [await dumpSpace(a, vids), await dumpSpace(b, vids)];
        last = `${x.length} vs ${y.length}`;
        return x.length === vids.length * 2 - 1 && JSON.stringify(x) === JSON.stringify(y);
      } catch (error) {
        last = (error as Error).message;
        return false;
      }
    },
    30_000,
    100,
  ).catch((error: Error) => {
    throw new Error(`${error.message} (${last})`);
  });
}

describe('sync topologies', () => {
  it('chains A -> B -> C: what B receives from A, C receives from B', async () => {
    world = new InProcess();
    const [a, b, c] = [await world.cluster(), await world.cluster(), await world.cluster()];
    const [ca, cb, cc] = [await world.client(a), await world.client(b), await world.client(c)];
    const aMeta = await world.listener('meta', a);
    const aStorage = await world.listener('storage', a);
    const bDrainer = await world.drainer(b);
    const bMeta = await world.listener('meta', b);
    const bStorage = await world.listener('storage', b);
    const cDrainer = await world.drainer(c);

    await ok(ca, space('s', 5));
    await ok(ca, 'USE s');
    await ok(cb, space('s_b', 4));
    await ok(cb, 'USE s_b');
    await ok(cc, space('s_c', 3));
    await ok(cc, 'USE s_c');
    // A -> B
    await ok(ca, `SIGN IN DRAINER SERVICE(127.0.0.1:${bDrainer.port})`);
    await ok(ca, `ADD LISTENER SYNC META 127.0.0.1:${aMeta.port} STORAGE 127.0.0.1:${aStorage.port} TO SPACE s_b`);
    await ok(cb, `ADD DRAINER 127.0.0.1:${bDrainer.port}`);
    await ok(cb, 'SET VARIABLES read_only=true');
    // B -> C: the read_only target of A is itself a primary.
    await ok(cb, `SIGN IN DRAINER SERVICE(127.0.0.1:${cDrainer.port})`);
    await ok(cb, `ADD LISTENER SYNC META 127.0.0.1:${bMeta.port} STORAGE 127.0.0.1:${bStorage.port} TO SPACE s_c`);
    await ok(cc, `ADD DRAINER 127.0.0.1:${cDrainer.port}`);
    await ok(cc, 'SET VARIABLES read_only=true');

    for (const stmt of SCHEMA) await ok(ca, stmt);
    const vids = await writeRows(ca, 'p', 60);
    await ok(ca, 'ALTER TAG player ADD (team string)');
    await ok(ca, `UPDATE VERTEX ON player "p7" SET team = "Spurs"`);
    await expectSame(ca, cb, vids, 'A == B');
    await expectSame(ca, cc, vids, 'A == C');
    const team = await cc.execute('FETCH PROP ON player "p7" YIELD player.team AS team');
    expect(team.data?.rows).toEqual([['Spurs']]);
  });

  it('splits partitions over two storage listeners and two drainers', async () => {
    world = new InProcess();
    const [p, s] = [await world.cluster(), await world.cluster()];
    const [cp, cs] = [await world.client(p), await world.client(s)];
    const meta = await world.listener('meta', p);
    const l1 = await world.listener('storage', p);
    const l2 = await world.listener('storage', p);
    const d1 = await world.drainer(s);
    const d2 = await world.drainer(s);
    await ok(cp, space('src', 6));
    await ok(cp, 'USE src');
    await ok(cs, space('dst', 5));
    await ok(cs, 'USE dst');
    await ok(cp, `SIGN IN DRAINER SERVICE(127.0.0.1:${d1.port}, 127.0.0.1:${d2.port})`);
    await ok(cp, `ADD LISTENER SYNC META 127.0.0.1:${meta.port} STORAGE 127.0.0.1:${l1.port}, 127.0.0.1:${l2.port} TO SPACE dst`);
    await ok(cs, `ADD DRAINER 127.0.0.1:${d1.port}, 127.0.0.1:${d2.port}`);
    const listeners = await cp.execute('SHOW LISTENER SYNC');
    const hosts = listeners.data!.rows.map((r) => r[2]);
    expect(hosts.slice(1)).toEqual([1, 2, 3, 4, 5, 6].map((part) => `"127.0.0.1":${part % 2 === 1 ? l1.port : l2.port}`));
    for (const stmt of SCHEMA) await ok(cp, stmt);
    const vids = await writeRows(cp, 'v', 80);
    await expectSame(cp, cs, vids, 'primary == secondary');
    // Both drainers carried partitions: each reports progress for its own share (p mod 2).
    await eventually('both drainers report', async () => {
      const status = await cs.execute('SHOW DRAINER SYNC STATUS');
      return (status.data?.rows.length ?? 0) === 7;
    });
  });
});
