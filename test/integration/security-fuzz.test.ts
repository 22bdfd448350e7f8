// Pins that the internal gRPC services survive and ignore hostile messages: a few thousand random
// and mutated-valid requests (fast-check, fixed seed) to every method of a primary's and a
// secondary's Meta and Storage services and of a drainer leave every process up and answering,
// change no row and no position on either cluster, grow SHOW HOSTS by at most the bounded pool, and
// leave the sync working.
import type * as grpc from '@grpc/grpc-js';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { GraphClient } from '../../src/client/graph-client.ts';
import { UNKNOWN_HOSTS_MAX } from '../../src/engine/meta/liveness.ts';
import { unary } from '../../src/engine/sync/rpc-call.ts';
import { num, type ApplyReplyMsg, type SourceSpaceMsg } from '../../src/engine/sync/wire.ts';
import { clientFor } from '../../src/server/rpc/proto.ts';
import { stopAll } from '../helpers/processes.ts';
import { arbitraries, type FuzzTarget } from '../helpers/rpc-fuzz-arbitraries.ts';
import { duplexCall, pool, serverStreamCall, unaryCall } from '../helpers/rpc-fuzz-calls.ts';
import { dumpSpace, eventually, must, PRIMARY_SPACE, rootClient, setUpSync, startTopology, TARGET_SPACE, type Topology } from '../helpers/topology.ts';

afterEach(stopAll);

const SEED = 20_240_601;
const PARTS = 3;
const CONCURRENCY = 16;
const VIDS = Array.from({ length: 60 }, (_, i) => `p${i}`);

const sample = <T>(arb: fc.Arbitrary<T>, numRuns: number, salt: number): T[] => fc.sample(arb, { seed: SEED + salt, numRuns });

async function rows(client: GraphClient, stmt: string): Promise<string> {
  const res = await must(client, stmt);
  return JSON.stringify(res.data!.rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
}

/** Every apply position of the sync on the secondary (a read: position_only with the real identity). */
async function positions(t: Topology, source: SourceSpaceMsg, drainer: string): Promise<number[]> {
  const meta = clientFor('Meta', `127.0.0.1:${t.secondary.ports.meta}`);
  const storage = clientFor('Storage', `127.0.0.1:${t.secondary.ports.storage}`);
  try {
    const out: number[] = [];
    for (let part = 0; part <= PARTS; part++) {
      const req = { source, target_space: TARGET_SPACE, part, drainer, position_only: true };
      const answer = await unary<ApplyReplyMsg>(part === 0 ? meta : storage, part === 0 ? 'ApplySchema' : 'ApplyData', req);
      expect(answer.code, answer.message).toBe(0);
      out.push(num(answer.position?.applied_log_id));
    }
    return out;
  } finally {
    meta.close();
    storage.close();
  }
}

/** What no fuzz may change: rows on both sides, the secondary's schemas, stats and positions. */
async function fingerprint(t: Topology, source: SourceSpaceMsg, drainer: string) {
  const p = await rootClient(t.primary.ports.graph, PRIMARY_SPACE);
  const s = await rootClient(t.secondary.ports.graph, TARGET_SPACE);
  try {
    await must(s, 'SUBMIT JOB STATS');
    return {
      primary: await dumpSpace(p, VIDS),
      secondary: await dumpSpace(s, VIDS),
      stats: await rows(s, 'SHOW STATS'),
      schemas: [await rows(s, 'SHOW TAGS'), await rows(s, 'SHOW EDGES'), await rows(s, 'DESCRIBE TAG player'), await rows(s, 'DESCRIBE EDGE follow')],
      spaces: await rows(s, 'SHOW SPACES'),
      positions: await positions(t, source, drainer),
    };
  } finally {
    await p.close();
    await s.close();
  }
}

async function hostCount(port: number): Promise<number> {
  const c = await rootClient(port);
  try {
    let n = 0;
    for (const role of ['STORAGE LISTENER', 'META LISTENER', 'DRAINER']) n += (await must(c, `SHOW HOSTS ${role}`)).data!.rows.length;
    return n;
  } finally {
    await c.close();
  }
}

describe('internal gRPC under fuzz', () => {
  it('keeps every process up and changes nothing on thousands of random and mutated requests', async () => {
    const t = await startTopology({ partitions: PARTS });
    const { primary, secondary } = await setUpSync(t, { partitions: PARTS });
    await must(primary, 'CREATE TAG player(name string, age int)');
    await must(primary, 'CREATE EDGE follow(degree int)');
    await eventually('schema on the secondary', async () => (await secondary.execute('DESCRIBE EDGE follow')).errorCode === 0);
    await must(primary, `INSERT VERTEX player(name, age) VALUES ${VIDS.map((v, i) => `"${v}":("${v}", ${i})`).join(', ')}`);
    for (let i = 0; i + 1 < VIDS.length; i += 3) await must(primary, `INSERT VERTEX player(name, age) VALUES "${VIDS[i]}":("again", ${i})`);
    await must(primary, `INSERT EDGE follow(degree) VALUES ${VIDS.slice(1).map((v, i) => `"${VIDS[i]}"->"${v}":(${i})`).join(', ')}`);
    const primaryMeta = clientFor('Meta', `127.0.0.1:${t.primary.ports.meta}`);
    const clusterId = (await unary<{ cluster_id: string }>(primaryMeta, 'Health', {})).cluster_id;
    const source: SourceSpaceMsg = { cluster_id: clusterId, space_name: PRIMARY_SPACE, space_id: 1, partition_num: PARTS, vid_type: 'FIXED_STRING', vid_length: 30 };
    const drainer = `127.0.0.1:${t.ports.drainer}`;
    await eventually('secondary == primary', async () => {
      const f = await fingerprint(t, source, drainer).catch(() => undefined);
      return f !== undefined && f.primary.length > VIDS.length && JSON.stringify(f.primary) === JSON.stringify(f.secondary);
    });
    const before = await fingerprint(t, source, drainer);
    const hostsBefore = [await hostCount(t.primary.ports.graph), await hostCount(t.secondary.ports.graph)];
    const target: FuzzTarget = { source, target: TARGET_SPACE, drainer, applied: before.positions };
    const a = arbitraries(target);

    const clients: grpc.Client[] = [];
    const client = (name: 'Meta' | 'Storage' | 'Drainer', port: number) => {
      const c = clientFor(name, `127.0.0.1:${port}`);
      clients.push(c);
      return c;
    };
    const pm = client('Meta', t.primary.ports.meta);
    const ps = client('Storage', t.primary.ports.storage);
    const sm = client('Meta', t.secondary.ports.meta);
    const ss = client('Storage', t.secondary.ports.storage);
    const dr = client('Drainer', t.ports.drainer);
    const unaries = (c: grpc.Client, name: string, reqs: readonly object[]) => pool(reqs, CONCURRENCY, (r) => unaryCall(c, name, r));
    const tails = (c: grpc.Client, name: string, reqs: readonly object[]) => pool(reqs, CONCURRENCY, (r) => serverStreamCall(c, name, r));
    const duplexes = (c: grpc.Client, name: string, streams: readonly (readonly object[])[]) => pool(streams, CONCURRENCY, (m) => duplexCall(c, name, m));

    const started = Date.now();
    let salt = 0;
    for (const c of [pm, ps, sm, ss, dr]) await unaries(c, 'Health', sample(fc.constant({}), 20, salt++));
    for (const m of [pm, sm]) {
      await unaries(m, 'Heartbeat', sample(a.heartbeat, 300, salt++));
      await unaries(m, 'GetAssignment', sample(a.assignment, 120, salt++));
      await unaries(m, 'ReportProgress', sample(a.progress, 120, salt++));
      await tails(m, 'TailMetaWal', sample(a.tail, 80, salt++));
      await unaries(m, 'ApplySchema', sample(a.randomApply, 150, salt++));
    }
    for (const s of [ps, ss]) {
      await tails(s, 'TailWal', sample(a.tail, 80, salt++));
      await tails(s, 'Snapshot', sample(a.snapshotRequest, 40, salt++));
      await unaries(s, 'ApplyData', sample(a.randomApply, 200, salt++));
    }
    await unaries(sm, 'ApplySchema', sample(a.brokenApplySchema, 300, salt++));
    await unaries(ss, 'ApplyData', sample(a.brokenApplyData, 600, salt++));
    await duplexes(ss, 'ApplyDataStream', sample(fc.array(fc.oneof(a.brokenApplyData, a.randomApply), { minLength: 1, maxLength: 4 }), 80, salt++));
    const manyItems = fc.array(fc.oneof(a.brokenApplyData, a.randomApply), { maxLength: 4 });
    await duplexes(ss, 'ApplyDataMany', sample(fc.array(fc.record({ items: manyItems }), { minLength: 1, maxLength: 3 }), 60, salt++));
    // More items than a message may carry: the stream ends, nothing of it is applied.
    await duplexes(ss, 'ApplyDataMany', sample(fc.array(a.randomApply, { minLength: 65, maxLength: 70 }).map((items) => [{ items }]), 3, salt++));
    await duplexes(dr, 'Ship', sample(a.ship, 200, salt++));
    // The same streams as virtual streams of ShipMany calls, up to three a call, some closed at once.
    const muxed = fc.tuple(fc.array(a.ship, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([streams, closeFirst]) => {
      const frames: object[] = streams.flatMap((requests, i) => requests.map((request) => ({ stream: i + 1, request })));
      if (closeFirst) frames.push({ stream: 1, close: true });
      return [{ frames }];
    });
    await duplexes(dr, 'ShipMany', sample(muxed, 100, salt++));
    // Frames that make no sense: any stream number, replies where requests belong, closes of nothing.
    const junkFrame = fc.record({ stream: fc.nat(), close: fc.boolean(), reply: fc.constant({ code: 0, message: 'x', position: null }) });
    await duplexes(dr, 'ShipMany', sample(fc.array(fc.record({ frames: fc.array(junkFrame, { maxLength: 5 }) }), { minLength: 1, maxLength: 3 }), 30, salt++));
    const fuzzMs = Date.now() - started;
    console.info(`fuzz: about 3,500 requests in ${fuzzMs} ms`);

    // 0 crashes: every process is up and answers, and a real client's YIELD 1 works on both sides.
    for (const name of ['primary', 'secondary', 'metaListener', 'storageListener', 'drainer'] as const) {
      expect(t[name].child.exitCode, name).toBeNull();
      expect(t[name].child.signalCode, name).toBeNull();
    }
    for (const [c, role] of [[pm, 'META'], [ps, 'STORAGE'], [sm, 'META'], [ss, 'STORAGE'], [dr, 'DRAINER']] as const) {
      expect(await unary(c, 'Health', {})).toMatchObject({ role, status: 'ONLINE' });
    }
    for (const port of [t.primary.ports.graph, t.secondary.ports.graph]) {
      const c = await rootClient(port);
      expect((await must(c, 'YIELD 1 AS one')).data!.rows).toEqual([[1n]]);
      await c.close();
    }
    // 0 changes: rows, schemas and positions as they were; the host lists within the bounded pool.
    expect(await fingerprint(t, source, drainer)).toEqual(before);
    expect(await hostCount(t.primary.ports.graph)).toBeLessThanOrEqual(hostsBefore[0]! + UNKNOWN_HOSTS_MAX);
    expect(await hostCount(t.secondary.ports.graph)).toBeLessThanOrEqual(hostsBefore[1]! + UNKNOWN_HOSTS_MAX);
    // And the sync still works.
    await must(primary, 'INSERT VERTEX player(name, age) VALUES "after-fuzz":("A", 1)');
    await eventually('a write after the fuzz arrives', async () => (await secondary.execute('FETCH PROP ON player "after-fuzz" YIELD id(vertex)')).data?.rows.length === 1);

    for (const c of [...clients, primaryMeta]) c.close();
    await primary.close();
    await secondary.close();
  }, 240_000);
});
