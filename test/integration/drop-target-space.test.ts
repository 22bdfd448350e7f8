// Pins DROP SPACE of a sync target under a write load: refused while a drainer is attached
// (nothing changes, the sync goes on); after REMOVE DRAINER, DROP SPACE, CREATE SPACE and ADD
// DRAINER again the target starts from scratch (positions and registered source went with the old
// space) and ends equal to the primary row by row, with both status tables at 0.
import { afterEach, describe, expect, it } from 'vitest';
import type { GraphClient } from '../../src/client/graph-client.ts';
import { stopAll } from '../helpers/processes.ts';
import { dumpSpace, eventually, must, PRIMARY_SPACE, rootClient, setUpSync, startTopology, TARGET_SPACE, type Topology } from '../helpers/topology.ts';
import { startWriteLoad } from '../helpers/write-load.ts';

let topology: Topology | undefined;
afterEach((ctx) => {
  // On failure, show what the processes logged: the first place to look.
  if (ctx.task.result?.state === 'fail' && topology !== undefined) {
    for (const name of ['secondary', 'metaListener', 'storageListener', 'drainer'] as const) {
      console.error(`--- ${name} log tail ---\n${topology[name].stderr().slice(-3000)}`);
    }
  }
});
afterEach(stopAll);

const PARTS = 5;
const CREATE_TARGET = `CREATE SPACE ${TARGET_SPACE}(partition_num=${PARTS}, replica_factor=1, vid_type=fixed_string(30))`;

/** Waits until the secondary holds exactly the primary's rows (fresh sessions each time). */
async function expectConverged(t: Topology, vids: ReadonlySet<string>): Promise<number> {
  const all = [...vids];
  let last = { p: [] as string[], s: [] as string[] };
  let lastError = '';
  await eventually(
    'secondary == primary',
    async () => {
      const p = await rootClient(t.primary.ports.graph, PRIMARY_SPACE);
      const s = await rootClient(t.secondary.ports.graph, TARGET_SPACE);
      try {
        last = { p: await dumpSpace(p, all), s: await dumpSpace(s, all) };
      } catch (error) {
        // Not there yet: the schema may still be on its way.
        lastError = (error as Error).message;
        return false;
      } finally {
        await p.close();
        await s.close();
      }
      return last.p.length > 0 && JSON.stringify(last.p) === JSON.stringify(last.s);
    },
    60_000,
    500,
  ).catch((error: Error) => {
    const onlyP = last.p.filter((l) => !last.s.includes(l)).slice(0, 5);
    throw new Error(`${error.message} (${lastError}): ${last.p.length} rows on the primary, ${last.s.length} on the secondary; e.g. ${onlyP.join(' ')}`);
  });
  return last.p.length;
}

/** Every partition ONLINE with LogId Lag and Time Latency 0. */
async function statusAtZero(client: GraphClient, stmt: string): Promise<boolean> {
  const res = await client.execute(stmt);
  if (res.errorCode !== 0) return false;
  const cols = res.data!.columns;
  const at = (name: string) => cols.indexOf(name);
  return (
    res.data!.rows.length === PARTS + 1 &&
    res.data!.rows.every((r) => r[at('Sync Status')] === 'ONLINE' && Number(r[at('LogId Lag')]) === 0 && Number(r[at('Time Latency')]) === 0)
  );
}

describe('DROP SPACE of a sync target', () => {
  it('is refused while a drainer is attached; dropped and created again, the target ends equal to the primary', async () => {
    const t = await startTopology({ partitions: PARTS });
    topology = t;
    const { primary, secondary } = await setUpSync(t, { partitions: PARTS });
    await must(primary, 'CREATE TAG player(name string, age int)');
    await must(primary, 'CREATE EDGE follow(degree int)');
    await eventually('schema on the secondary', async () => (await secondary.execute('DESCRIBE EDGE follow')).errorCode === 0);
    const load = startWriteLoad(() => t.primary.ports.graph);
    await load.waitAcked(30);

    const refused = await secondary.execute(`DROP SPACE ${TARGET_SPACE}`);
    expect(refused.errorCode).toBe(-1005);
    expect(refused.errorMsg).toBe(`Conflict: space \`${TARGET_SPACE}' has drainer 127.0.0.1:${t.ports.drainer}; REMOVE DRAINER first`);
    expect((await must(secondary, 'SHOW SPACES')).data!.rows.map((r) => r[0])).toContain(TARGET_SPACE);

    await must(secondary, 'REMOVE DRAINER');
    await must(secondary, `DROP SPACE ${TARGET_SPACE}`);
    await load.waitAcked(15);
    await must(secondary, CREATE_TARGET);
    await must(secondary, `USE ${TARGET_SPACE}`);
    await must(secondary, `ADD DRAINER 127.0.0.1:${t.ports.drainer}`);
    await must(secondary, 'SET VARIABLES read_only=true');
    await load.waitAcked(30);
    await load.stop();

    const rows = await expectConverged(t, load.vids);
    expect(rows).toBeGreaterThan(500);
    await eventually('SHOW SYNC STATUS at 0', () => statusAtZero(primary, 'SHOW SYNC STATUS'), 30_000);
    await eventually('SHOW DRAINER SYNC STATUS at 0', () => statusAtZero(secondary, 'SHOW DRAINER SYNC STATUS'), 30_000);
    await primary.close();
    await secondary.close();
  }, 180_000);
});
