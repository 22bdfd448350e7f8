// Pins `nebula-sync switchover` with real processes: --dry_run prints the seven steps as nGQL and changes nothing; with the drainer stopped (SIGSTOP) the lag stays above 0, so it stops at step 2 with exit 1 and both clusters are as before (the old primary writable again); under a write load it switches (exit 0), reports 0 rows lost and how long writes were refused, every acknowledged write is on the new primary, and the new primary's writes reach the new secondary (VERIFY SYNC matches); and it switches back with the first listeners and drainer.
import { spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../../src/cli/children.ts';
import { GraphClient } from '../../src/client/graph-client.ts';
import type { ExecutionResponse } from '../../src/server/graph-handler.ts';
import { REPO, stopAll } from '../helpers/processes.ts';
import {
  eventually,
  column,
  must,
  PRIMARY_SPACE,
  rootClient,
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
const written: string[] = [];

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `nebula-sync switchover` with this topology's addresses (async: a write load runs meanwhile). */
function switchover(...extra: string[]): Promise<Run> {
  return runSwitchover([
    `--primary=127.0.0.1:${t.primary.ports.graph}`,
    `--secondary=127.0.0.1:${t.secondary.ports.graph}`,
    `--space=${PRIMARY_SPACE}`,
    `--new_meta_listener=127.0.0.1:${r.ports.metaListener}`,
    `--new_storage_listener=127.0.0.1:${r.ports.storageListener}`,
    `--new_drainer=127.0.0.1:${r.ports.drainer}`,
    ...extra,
  ]);
}

function runSwitchover(flags: readonly string[]): Promise<Run> {
  const args = [BIN, 'switchover', ...flags, '-u', 'root', '-p', 'nebula'];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

async function lagZero(client: GraphClient, stmt = 'SHOW SYNC STATUS'): Promise<boolean> {
  const res = await client.execute(stmt);
  if (res.errorCode !== 0) return false;
  return res.data!.rows.length > 0 && column(res, 'LogId Lag').every((n) => n === 0n) && column(res, 'Time Latency').every((n) => n === 0n);
}

/** Both spaces' sync set-up and read_only, as the statements show them. */
async function state(): Promise<string> {
  const out: unknown[] = [];
  for (const [client, space] of [[a, PRIMARY_SPACE], [b, TARGET_SPACE]] as const) {
    await must(client, `USE ${space}`);
    for (const stmt of ['GET VARIABLES read_only', 'SHOW LISTENER SYNC', 'SHOW DRAINER CLIENTS', 'SHOW DRAINERS']) {
      const res = await must(client, stmt);
      // Statuses move with liveness; the set-up is the rest.
      out.push(stmt, res.data?.columns.filter((c) => c !== 'Status'), res.data?.rows.map((row) => row.filter((_, i) => res.data!.columns[i] !== 'Status')));
    }
  }
  return JSON.stringify(out, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
}

async function insert(client: GraphClient, vid: string): Promise<ExecutionResponse> {
  return client.execute(`INSERT VERTEX player(name, age) VALUES "${vid}":("${vid}", 1)`);
}

beforeAll(async () => {
  t = await startTopology({ partitions: 5 });
  ({ primary: a, secondary: b } = await setUpSync(t, { partitions: 5 }));
  await must(a, 'CREATE TAG player(name string, age int)');
  await must(a, 'CREATE EDGE follow(degree int)');
  for (let i = 0; i < 20; i++) {
    expect((await insert(a, `seed${i}`)).errorCode).toBe(0);
    written.push(`seed${i}`);
  }
  await eventually('A -> B in sync', () => lagZero(a), 60_000);
  r = await startReverse(t);
  await eventually('the new listeners and drainer are ONLINE', async () => {
    const ml = column(await must(b, 'SHOW HOSTS META LISTENER'), 'Port');
    const sl = column(await must(b, 'SHOW HOSTS STORAGE LISTENER'), 'Port');
    const dr = column(await must(a, 'SHOW HOSTS DRAINER'), 'Port');
    return ml.includes(BigInt(r.ports.metaListener)) && sl.includes(BigInt(r.ports.storageListener)) && dr.includes(BigInt(r.ports.drainer));
  });
}, 180_000);

afterEach((ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  for (const name of ['primary', 'secondary', 'drainer'] as const) console.error(`--- ${name} log tail ---\n${t[name].stderr().slice(-3000)}`);
});

afterAll(async () => {
  await a?.close().catch(() => undefined);
  await b?.close().catch(() => undefined);
  await stopAll();
});

describe('nebula-sync switchover', () => {
  it('--dry_run prints the seven steps as nGQL and changes nothing', async () => {
    const before = await state();
    const run = await switchover('--dry_run');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    for (let n = 1; n <= 7; n++) expect(run.stdout).toContain(`-- Step ${n}: `);
    expect(run.stdout).toContain('SET VARIABLES read_only=true;');
    expect(run.stdout).toContain(`ADD DRAINER 127.0.0.1:${r.ports.drainer};`);
    expect(run.stdout).toContain(
      `ADD LISTENER SYNC META 127.0.0.1:${r.ports.metaListener} STORAGE 127.0.0.1:${r.ports.storageListener} TO SPACE ${PRIMARY_SPACE};`,
    );
    expect(run.stdout).toMatch(/Nothing was changed/);
    expect(await state()).toBe(before);
  });

  it('stops at step 2 when the lag stays above 0 (drainer stopped) and leaves both clusters as they were', async () => {
    const before = await state();
    t.drainer.child.kill('SIGSTOP');
    try {
      await must(a, `USE ${PRIMARY_SPACE}`);
      expect((await insert(a, 'late0')).errorCode).toBe(0);
      written.push('late0');
      const run = await switchover('--sync_timeout_secs=3');
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/Step 1\/7: make the old primary read-only/);
      expect(run.stderr).toMatch(/Refused at step 2: after 3 s \(--sync_timeout_secs\): SHOW SYNC STATUS on the old primary [^ ]+ is not at 0 \/ 0/);
      expect(run.stdout).toMatch(/taken back \(step 1, old primary [^)]+\): SET VARIABLES read_only=false/);
      expect(run.stdout).toMatch(/Both clusters are as they were before the switchover/);
      expect(run.stdout).not.toMatch(/Step 3\/7/);
      expect(await state()).toBe(before);
      // The old primary takes writes again.
      expect((await insert(a, 'late1')).errorCode).toBe(0);
      written.push('late1');
    } finally {
      t.drainer.child.kill('SIGCONT');
    }
    await eventually('A -> B in sync again', () => lagZero(a), 60_000);
  });

  it('switches under a write load: 0 rows lost, every acknowledged write on the new primary, and the new direction works', async () => {
    // A writer on the old primary until step 1 makes it read-only; it counts what was acknowledged.
    const writer = await rootClient(t.primary.ports.graph, PRIMARY_SPACE);
    const acked: string[] = [];
    let refusedReadOnly = 0;
    let stop = false;
    const writing = (async () => {
      for (let i = 0; !stop; i++) {
        const res = await insert(writer, `load${i}`);
        if (res.errorCode === 0) acked.push(`load${i}`);
        else if (/read only/i.test(res.errorMsg ?? '')) refusedReadOnly += 1;
        else throw new Error(`write refused otherwise: ${res.errorMsg}`);
        if (refusedReadOnly > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    while (acked.length < 30) await new Promise((resolve) => setTimeout(resolve, 20));
    const run = await switchover();
    stop = true;
    await writing;
    await writer.close();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    for (let n = 1; n <= 7; n++) expect(run.stdout).toContain(`Step ${n}/7: `);
    expect(run.stdout).toMatch(/Rows lost: 0 \(VERIFY SYNC at the read-only cut: \d+ rows in 5 partitions, the same count and checksum on both clusters\)/);
    expect(run.stdout).toMatch(/Writes were refused for \d+ ms: from step 1/);
    expect(refusedReadOnly).toBeGreaterThan(0);

    // Every acknowledged write is on the new primary.
    const all = [...written, ...acked];
    await must(b, `USE ${TARGET_SPACE}`);
    const found = await must(b, `FETCH PROP ON player ${all.map((v) => JSON.stringify(v)).join(', ')} YIELD id(vertex) AS id`);
    expect(new Set(column(found, 'id'))).toEqual(new Set(all));
    // The roles turned: B is writable and syncs to A; A is read-only and receives.
    expect(column(await must(b, 'GET VARIABLES read_only'), 'value')).toEqual([false]);
    await must(a, `USE ${PRIMARY_SPACE}`);
    expect(column(await must(a, 'GET VARIABLES read_only'), 'value')).toEqual([true]);
    expect((await insert(a, 'refused')).errorMsg).toMatch(/read only/i);

    // The new primary's writes reach the new secondary, and VERIFY SYNC there matches.
    for (let i = 0; i < 10; i++) expect((await insert(b, `after${i}`)).errorCode).toBe(0);
    await eventually('B -> A in sync', () => lagZero(b), 90_000);
    await eventually('A holds the new writes', async () => (await must(a, 'FETCH PROP ON player "after9" YIELD id(vertex)')).data!.rows.length === 1, 30_000);
    const verify = await must(b, 'VERIFY SYNC');
    expect(column(verify, 'Match').every((m) => m === true)).toBe(true);
  });

  it('switches back with the first listeners and drainer, and A -> B runs again', async () => {
    const run = await runSwitchover([
      `--primary=127.0.0.1:${t.secondary.ports.graph}`,
      `--secondary=127.0.0.1:${t.primary.ports.graph}`,
      `--space=${TARGET_SPACE}`,
      `--new_meta_listener=127.0.0.1:${t.ports.metaListener}`,
      `--new_storage_listener=127.0.0.1:${t.ports.storageListener}`,
      `--new_drainer=127.0.0.1:${t.ports.drainer}`,
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Rows lost: 0 /);
    await must(a, `USE ${PRIMARY_SPACE}`);
    expect((await insert(a, 'back0')).errorCode).toBe(0);
    await eventually('A -> B in sync', () => lagZero(a), 90_000);
    expect(column(await must(a, 'VERIFY SYNC'), 'Match').every((m) => m === true)).toBe(true);
    await must(b, `USE ${TARGET_SPACE}`);
    expect(column(await must(b, 'GET VARIABLES read_only'), 'value')).toEqual([true]);
    expect((await must(b, 'FETCH PROP ON player "back0" YIELD id(vertex) AS id')).data!.rows).toHaveLength(1);
  });
});
