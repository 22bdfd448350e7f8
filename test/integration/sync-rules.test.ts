// Pins DESIGN correctness rules 1-9 across real processes: each test runs a write load on the
// primary, kills (kill -9) or restarts the process the rule is about in the middle of it, and then
// compares every row of the primary space with the secondary space.
import { afterEach, describe, expect, it } from 'vitest';
import { GraphClient } from '../../src/client/graph-client.ts';
import { stopAll } from '../helpers/processes.ts';
import {
  dumpSpace,
  eventually,
  must,
  PRIMARY_SPACE,
  rootClient,
  setUpSync,
  startTopology,
  TARGET_SPACE,
  type Topology,
} from '../helpers/topology.ts';
import { startWriteLoad } from '../helpers/write-load.ts';

afterEach(stopAll);

const SCHEMA = ['CREATE TAG player(name string, age int)', 'CREATE EDGE follow(degree int)'];

async function syncedTopology(options: Parameters<typeof startTopology>[0] = {}) {
  const t = await startTopology(options);
  const { primary, secondary } = await setUpSync(t, options);
  for (const stmt of SCHEMA) await must(primary, stmt);
  await eventually('schema on the secondary', async () => (await secondary.execute('DESCRIBE TAG player')).errorCode === 0);
  return { t, primary, secondary };
}

/** Waits until the secondary holds exactly the primary's rows (fresh sessions: processes restart). */
async function expectConverged(t: Topology, vids: Set<string>, timeoutMs = 60_000): Promise<number> {
  const all = [...vids];
  let last: { p: string[]; s: string[] } = { p: [], s: [] };
  let lastError = '';
  try {
    await eventually(
      'secondary == primary',
      async () => {
        try {
          const p = await rootClient(t.primary.ports.graph, PRIMARY_SPACE);
          const s = await rootClient(t.secondary.ports.graph, TARGET_SPACE);
          try {
            last = { p: await dumpSpace(p, all), s: await dumpSpace(s, all) };
          } finally {
            await p.close();
            await s.close();
          }
        } catch (error) {
          // Not there yet (the schema may still be on its way, a process may be restarting).
          lastError = (error as Error).message;
          return false;
        }
        return last.p.length > 0 && JSON.stringify(last.p) === JSON.stringify(last.s);
      },
      timeoutMs,
      500,
    );
  } catch (error) {
    const onlyP = last.p.filter((l) => !last.s.includes(l)).slice(0, 5);
    const onlyS = last.s.filter((l) => !last.p.includes(l)).slice(0, 5);
    throw new Error(`${(error as Error).message} (last error: ${lastError})\nonly on primary: ${onlyP.join('\n')}\nonly on secondary: ${onlyS.join('\n')}`);
  }
  return last.p.length;
}

async function killAndRestartDuringLoad(name: 'primary' | 'secondary' | 'storageListener' | 'metaListener' | 'drainer', how: 'kill9' | 'stop') {
  const { t, primary, secondary } = await syncedTopology();
  await primary.close();
  await secondary.close();
  const load = startWriteLoad(() => t.primary.ports.graph);
  await load.waitAcked(30);
  const victim = t[name];
  if (how === 'kill9') await victim.kill9();
  else expect(await victim.stop()).toBe(0);
  await new Promise((r) => setTimeout(r, 300));
  await t.restart(name);
  await load.waitAcked(30);
  await load.stop();
  const rows = await expectConverged(t, load.vids);
  expect(rows).toBeGreaterThan(500);
}

describe('DESIGN correctness rules across real processes', () => {
  it('rule 1: kill -9 of the primary loses no acknowledged write, and the secondary converges', async () => {
    await killAndRestartDuringLoad('primary', 'kill9');
  });

  it('rule 2: kill -9 of the drainer: nothing acknowledged downstream is lost, the backlog is shipped after restart', async () => {
    await killAndRestartDuringLoad('drainer', 'kill9');
  });

  it('rule 3: kill -9 of the secondary: apply positions commit with the rows, replay converges exactly', async () => {
    await killAndRestartDuringLoad('secondary', 'kill9');
  });

  it('rule 4: kill -9 of the storage listener: it resumes from the secondary position with no gap', async () => {
    await killAndRestartDuringLoad('storageListener', 'kill9');
  });

  it('rule 9: every process restarts (SIGTERM) from its own disk and the sync resumes without operator action', async () => {
    const { t, primary, secondary } = await syncedTopology();
    await primary.close();
    await secondary.close();
    const load = startWriteLoad(() => t.primary.ports.graph);
    for (const name of ['metaListener', 'storageListener', 'drainer', 'secondary'] as const) {
      await load.waitAcked(15);
      expect(await t[name].stop()).toBe(0);
      await t.restart(name);
    }
    await load.waitAcked(15);
    await load.stop();
    await expectConverged(t, load.vids);
  });

  it('rule 5 and 8: STOP SYNC until the WAL expires, deletes in the gap, RESTART SYNC heals by snapshot without resurrected deletes', async () => {
    const { t, primary, secondary } = await syncedTopology({ walTtlSecs: 1, partitions: 5 });
    await must(primary, 'INSERT VERTEX player(name, age) VALUES "keep":("Keep", 1), "gone":("Gone", 2)');
    await must(primary, 'INSERT EDGE follow(degree) VALUES "keep"->"gone":(1)');
    await eventually('first rows synced', async () => (await must(secondary, 'FETCH PROP ON player "gone" YIELD id(vertex)')).data!.rows.length === 1);
    await must(primary, 'STOP SYNC');
    await must(primary, 'DELETE VERTEX "gone" WITH EDGE');
    await must(primary, 'INSERT VERTEX player(name, age) VALUES "new":("New", 3)');
    // Let retention drop the entries written while stopped (ttl 1 s, purge runs every second).
    await new Promise((r) => setTimeout(r, 2_500));
    const stopped = await must(primary, 'SHOW SYNC STATUS');
    expect(stopped.data!.rows.every((r) => r[1] === 'OFFLINE')).toBe(true);
    expect(await must(secondary, 'FETCH PROP ON player "new" YIELD id(vertex)').then((r) => r.data!.rows.length)).toBe(0);
    await must(primary, 'RESTART SYNC');
    await expectConverged(t, new Set(['keep', 'gone', 'new']));
    expect((await must(secondary, 'FETCH PROP ON player "gone" YIELD id(vertex)')).data!.rows).toEqual([]);
    expect((await must(secondary, 'GO FROM "keep" OVER follow YIELD dst(edge)')).data!.rows).toEqual([]);
  });

  it('rule 5: a space that has data before ADD LISTENER SYNC arrives whole', async () => {
    const t = await startTopology({ partitions: 15 });
    const p = await rootClient(t.primary.ports.graph);
    await must(p, `ADD HOSTS 127.0.0.1:${t.primary.ports.storage}`);
    await must(p, `CREATE SPACE ${PRIMARY_SPACE}(partition_num=15, replica_factor=1, vid_type=fixed_string(30))`);
    await must(p, `USE ${PRIMARY_SPACE}`);
    for (const stmt of SCHEMA) await must(p, stmt);
    const vids = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const rows = Array.from({ length: 100 }, (_, j) => `"pre${i}_${j}":("pre", ${j})`);
      for (let j = 0; j < 100; j++) vids.add(`pre${i}_${j}`);
      await must(p, `INSERT VERTEX player(name, age) VALUES ${rows.join(', ')}`);
    }
    await p.close();
    // setUpSync repeats ADD HOSTS/CREATE SPACE on the primary: run its secondary half by hand.
    const s = await rootClient(t.secondary.ports.graph);
    await must(s, `ADD HOSTS 127.0.0.1:${t.secondary.ports.storage}`);
    await must(s, `CREATE SPACE ${TARGET_SPACE}(partition_num=7, replica_factor=1, vid_type=fixed_string(30))`);
    await must(s, `USE ${TARGET_SPACE}`);
    await must(s, `ADD DRAINER 127.0.0.1:${t.ports.drainer}`);
    const p2 = await rootClient(t.primary.ports.graph, PRIMARY_SPACE);
    await must(p2, `SIGN IN DRAINER SERVICE(127.0.0.1:${t.ports.drainer})`);
    await must(p2, `ADD LISTENER SYNC META 127.0.0.1:${t.ports.metaListener} STORAGE 127.0.0.1:${t.ports.storageListener} TO SPACE ${TARGET_SPACE}`);
    expect(await expectConverged(t, vids)).toBe(1000);
  });

  it('rule 6: the read_only secondary refuses client writes while drainer writes apply, also after a kill -9 under load', async () => {
    const { t, primary, secondary } = await syncedTopology();
    const refused = await secondary.execute('INSERT VERTEX player(name, age) VALUES "client":("c", 1)');
    expect(refused.errorCode).toBe(-1005);
    expect(refused.errorMsg).toMatch(/read only/);
    expect((await secondary.execute('CREATE TAG other(a int)')).errorCode).toBe(-1005);
    await primary.close();
    await secondary.close();
    const load = startWriteLoad(() => t.primary.ports.graph);
    await load.waitAcked(20);
    await t.secondary.kill9();
    await t.restart('secondary');
    const s = await rootClient(t.secondary.ports.graph, TARGET_SPACE);
    expect((await s.execute('INSERT VERTEX player(name, age) VALUES "client":("c", 1)')).errorCode).toBe(-1005);
    await s.close();
    await load.waitAcked(20);
    await load.stop();
    await expectConverged(t, new Set([...load.vids, 'client']));
  });

  it('rule 8: STOP SYNC in the middle of a write load holds data back; RESTART SYNC ships the backlog', async () => {
    const { t, primary, secondary } = await syncedTopology();
    await secondary.close();
    const load = startWriteLoad(() => t.primary.ports.graph);
    await load.waitAcked(15);
    await must(primary, 'STOP SYNC');
    await load.waitAcked(20);
    const held = await must(primary, 'SHOW SYNC STATUS');
    expect(held.data!.rows.every((r) => r[1] === 'OFFLINE')).toBe(true);
    expect(held.data!.rows.some((r) => (r[2] as bigint) > 0n)).toBe(true);
    await must(primary, 'RESTART SYNC');
    await load.waitAcked(15);
    await load.stop();
    await primary.close();
    await expectConverged(t, load.vids);
  });

  it('rule 7: a target space accepts one source; a second primary is refused and never applied; non-root cannot sign in', async () => {
    const { t, primary } = await syncedTopology({ partitions: 3 });
    await must(primary, 'INSERT VERTEX player(name, age) VALUES "first":("first source", 1)');
    await expectConverged(t, new Set(['first']));
    await must(primary, `CREATE USER IF NOT EXISTS bob WITH PASSWORD 'b'`);
    await must(primary, `GRANT ROLE ADMIN ON ${PRIMARY_SPACE} TO bob`);
    const bob = await GraphClient.connect({ host: '127.0.0.1', port: t.primary.ports.graph });
    expect((await bob.authenticate('bob', 'b')).ok).toBe(true);
    await bob.execute(`USE ${PRIMARY_SPACE}`);
    expect((await bob.execute('SIGN OUT DRAINER SERVICE')).errorCode).toBe(-1008);
    expect((await bob.execute('REMOVE LISTENER SYNC')).errorCode).toBe(-1008);
    await bob.close();

    // A second primary cluster tries to feed the same target through the same drainer.
    const other = await startTopology({ partitions: 3 });
    const o = await rootClient(other.primary.ports.graph);
    await must(o, `ADD HOSTS 127.0.0.1:${other.primary.ports.storage}`);
    await must(o, `CREATE SPACE ${PRIMARY_SPACE}(partition_num=3, replica_factor=1, vid_type=fixed_string(30))`);
    await must(o, `USE ${PRIMARY_SPACE}`);
    for (const stmt of SCHEMA) await must(o, stmt);
    await must(o, 'INSERT VERTEX player(name, age) VALUES "intruder":("second source", 2)');
    await must(o, `SIGN IN DRAINER SERVICE(127.0.0.1:${t.ports.drainer})`);
    await must(o, `ADD LISTENER SYNC META 127.0.0.1:${other.ports.metaListener} STORAGE 127.0.0.1:${other.ports.storageListener} TO SPACE ${TARGET_SPACE}`);
    await new Promise((r) => setTimeout(r, 3_000));
    const s = await rootClient(t.secondary.ports.graph, TARGET_SPACE);
    expect((await must(s, 'FETCH PROP ON player "intruder" YIELD id(vertex)')).data!.rows).toEqual([]);
    expect(t.drainer.stderr() + t.secondary.stderr()).toMatch(/receives from|DATA_CONFLICT|-4006/);
    const status = await must(o, 'SHOW SYNC STATUS');
    expect(status.data!.rows.some((r) => r[2] !== 0n)).toBe(true);
    await s.close();
    await o.close();
  });
});
