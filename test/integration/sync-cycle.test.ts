// Pins the refusal of a sync in both directions with real processes: with A -> B running, setting up B -> A through the seed's own statements is refused at statement time (ADD LISTENER SYNC: a cycle; swapped listener addresses too), and when the statements cannot see it (the drainer is stopped while they run) the secondary refuses every stream at apply time with E_SYNC_CYCLE (-4020, in its refusal registry: SHOW SYNC ERRORS and /api/sync), applies nothing, and A -> B keeps running with a lag that settles at 0 and stays there (no ship loop); ADD DRAINER then sees the source asking to sync in and refuses too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphClient } from '../../src/client/graph-client.ts';
import { stopAll } from '../helpers/processes.ts';
import {
  dumpSpace,
  eventually,
  column,
  must,
  PRIMARY_SPACE,
  setUpSync,
  startReverse,
  startTopology,
  TARGET_SPACE,
  type Reverse,
  type Topology,
} from '../helpers/topology.ts';

let t: Topology;
let r: Reverse;
let a: GraphClient;
let b: GraphClient;
const vids: string[] = [];

async function lagZero(client: GraphClient): Promise<boolean> {
  const res = await must(client, 'SHOW SYNC STATUS');
  return column(res, 'LogId Lag').every((n) => n === 0n) && column(res, 'Time Latency').every((n) => n === 0n);
}

async function write(prefix: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const vid = `${prefix}${i}`;
    vids.push(vid);
    await must(a, `INSERT VERTEX player(name, age) VALUES "${vid}":("${vid}", ${i})`);
  }
  await must(a, `INSERT EDGE follow(degree) VALUES "${prefix}0" -> "${prefix}1":(1)`);
}

/** What no refusal may change on either cluster: data, read_only, listener syncs and drainers. */
async function state(): Promise<string> {
  const parts: string[] = [];
  for (const [client, space] of [[a, PRIMARY_SPACE], [b, TARGET_SPACE]] as const) {
    await must(client, `USE ${space}`);
    parts.push(JSON.stringify((await must(client, 'GET VARIABLES read_only')).data?.rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
    parts.push(JSON.stringify(column(await must(client, 'SHOW LISTENER SYNC'), 'SpaceName')));
    parts.push(JSON.stringify(column(await must(client, 'SHOW DRAINERS'), 'Host')));
    parts.push(...(await dumpSpace(client, vids)));
  }
  return parts.join('\n');
}

beforeAll(async () => {
  t = await startTopology({ partitions: 5 });
  const clients = await setUpSync(t, { partitions: 5 });
  a = clients.primary;
  b = clients.secondary;
  await must(a, 'CREATE TAG player(name string, age int)');
  await must(a, 'CREATE EDGE follow(degree int)');
  await eventually('the schema reaches B', async () => (await b.execute('DESCRIBE TAG player')).errorCode === 0, 60_000);
  await write('a', 10);
  await eventually('A -> B in sync', () => lagZero(a), 60_000);
  r = await startReverse(t);
  // B hears from the reverse listeners, A from the reverse drainer (SHOW HOSTS).
  await eventually('reverse processes registered', async () => {
    const ml = column(await must(b, 'SHOW HOSTS META LISTENER'), 'Port');
    const dr = column(await must(a, 'SHOW HOSTS DRAINER'), 'Port');
    return ml.includes(BigInt(r.ports.metaListener)) && dr.includes(BigInt(r.ports.drainer));
  });
}, 180_000);

afterAll(async () => {
  await a?.close().catch(() => undefined);
  await b?.close().catch(() => undefined);
  await stopAll();
});

describe('B -> A while A -> B runs', () => {
  it('is refused at statement time by ADD LISTENER SYNC, and swapped addresses too; nothing changes', async () => {
    const before = await state();
    await must(b, `USE ${TARGET_SPACE}`);
    await must(b, `SIGN IN DRAINER SERVICE(127.0.0.1:${r.ports.drainer})`);
    const swapped = await b.execute(
      `ADD LISTENER SYNC META 127.0.0.1:${r.ports.storageListener} STORAGE 127.0.0.1:${r.ports.metaListener} TO SPACE ${PRIMARY_SPACE}`,
    );
    expect(swapped.errorCode).toBe(-1005);
    expect(swapped.errorMsg).toMatch(/is a storage listener \(SHOW HOSTS STORAGE LISTENER\), not a meta listener\. Do not mix them up/);
    const cycle = await b.execute(
      `ADD LISTENER SYNC META 127.0.0.1:${r.ports.metaListener} STORAGE 127.0.0.1:${r.ports.storageListener} TO SPACE ${PRIMARY_SPACE}`,
    );
    expect(cycle.errorCode).toBe(-1005);
    expect(cycle.errorMsg).toMatch(
      new RegExp(
        `^Conflict: sync from ${TARGET_SPACE} to ${PRIMARY_SPACE} would close a cycle: drainer 127\\.0\\.0\\.1:${r.ports.drainer} writes to cluster [0-9a-f-]{36}, whose ${PRIMARY_SPACE} already feeds ${TARGET_SPACE}`,
      ),
    );
    await must(b, 'SIGN OUT DRAINER SERVICE');
    expect(await state()).toBe(before);
  });

  it('is refused at apply time when the statements could not see it, with no ship loop, and ADD DRAINER then sees it', async () => {
    // The reverse drainer does not answer while the statements run: they go on (no refusal on a guess).
    r.drainer.child.kill('SIGSTOP');
    try {
      await must(b, `USE ${TARGET_SPACE}`);
      await must(b, `SIGN IN DRAINER SERVICE(127.0.0.1:${r.ports.drainer})`);
      await must(b, `ADD LISTENER SYNC META 127.0.0.1:${r.ports.metaListener} STORAGE 127.0.0.1:${r.ports.storageListener} TO SPACE ${PRIMARY_SPACE}`);
      await must(a, `USE ${PRIMARY_SPACE}`);
      await must(a, `ADD DRAINER 127.0.0.1:${r.ports.drainer}`);
    } finally {
      r.drainer.child.kill('SIGCONT');
    }
    // A refuses every stream of B's: E_SYNC_CYCLE, counted in A's refusal registry (its /api/sync shows it).
    await eventually(
      'A refuses B with E_SYNC_CYCLE',
      async () => {
        const picture = (await (await fetch(`http://127.0.0.1:${t.primary.ports.http}/api/sync`)).json()) as { spaces: { space: string; refusals?: { code: number; codeName: string; message: string }[] }[] };
        const refusals = picture.spaces.filter((sp) => sp.space === PRIMARY_SPACE).flatMap((sp) => sp.refusals ?? []);
        return refusals.some((x) => x.code === -4020 && x.codeName === 'E_SYNC_CYCLE' && /^SyncCycle: .* would close a cycle/.test(x.message));
      },
      60_000,
    );
    // ... and through nGQL: SHOW SYNC ERRORS on A's space names the code.
    await must(a, `USE ${PRIMARY_SPACE}`);
    const errors = await must(a, 'SHOW SYNC ERRORS');
    expect(column(errors, 'Code')).toContain(-4020n);
    await eventually('the reverse listener is told why', async () => /drainer refused \(code -4020\)|-4020/.test(r.storageListener.stderr()), 30_000);

    // A -> B still works, and A's lag settles at 0 and stays there: nothing of B's comes back.
    await write('b', 10);
    await eventually('A -> B in sync again', () => lagZero(a), 60_000);
    for (let i = 0; i < 6; i++) {
      expect(await lagZero(a)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await must(b, `USE ${TARGET_SPACE}`);
    expect(await dumpSpace(b, vids)).toEqual(await dumpSpace(a, vids));
    // Nothing was applied on A: it holds exactly what was written to it.
    expect((await dumpSpace(a, vids)).filter((l) => l.startsWith('V '))).toHaveLength(vids.length);

    // ADD DRAINER now sees that B's space, which asks to sync into basketballplayer, descends from it.
    await must(a, 'REMOVE DRAINER');
    const again = await a.execute(`ADD DRAINER 127.0.0.1:${r.ports.drainer}`);
    expect(again.errorCode).toBe(-1005);
    expect(again.errorMsg).toMatch(
      new RegExp(`^Conflict: ADD DRAINER would close a cycle: [0-9a-f-]{36}/${TARGET_SPACE} asks to sync into ${PRIMARY_SPACE} and descends from ${PRIMARY_SPACE} of this cluster`),
    );
    expect(column(await must(a, 'SHOW DRAINERS'), 'Host')).toEqual([]);
  });
});
