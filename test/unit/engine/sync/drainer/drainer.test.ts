// Pins the drainer between a listener's Ship streams and an in-process secondary: hellos answer
// the secondary's position, batches are acknowledged only once applied there, data waits for its
// schema, refusals (unknown drainer, second source, gaps) are answered and end the stream, and
// Health tells the secondary's cluster id (the cycle checks).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Drainer } from '../../../../../src/engine/sync/drainer/drainer.ts';
import { partOfString } from '../../../../../src/engine/storage/partition-of.ts';
import {
  dataBatch,
  putFollow,
  putPlayer,
  schemaBatch,
  schemaChange,
  snapshotChunk,
  sourceOf,
  startSecondary,
  type Secondary,
} from '../apply/secondary-fixture.ts';
import { createSyncPeers } from '../../../../../src/engine/sync/drainer-probe.ts';
import { clientFor } from '../../../../../src/server/rpc/proto.ts';
import { ShipClient } from './ship-client.ts';
import { unary } from '../../../../../src/engine/sync/rpc-call.ts';

let s: Secondary;
let drainer: Drainer;
let addr: string;
const clients: ShipClient[] = [];

function ship(): ShipClient {
  const client = new ShipClient(addr);
  clients.push(client);
  return client;
}

beforeEach(async () => {
  s = await startSecondary({ drainer: null });
  drainer = new Drainer({ localIp: '127.0.0.1', port: 0, metaServerAddrs: [`127.0.0.1:${s.cluster.ports.meta}`], heartbeatIntervalSecs: 1 });
  const { port } = await drainer.start();
  addr = `127.0.0.1:${port}`;
  await s.exec(`ADD DRAINER ${addr}`);
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await drainer.close();
  await s.close();
});

const vidOfPart = (part: number, prefix = 'v') => {
  for (let i = 0; ; i++) if (partOfString(`${prefix}${i}`, 15) === part) return `${prefix}${i}`;
};

async function ageOf(vid: string): Promise<unknown> {
  const rows = await s.rows(`FETCH PROP ON player "${vid}" YIELD player.age AS age`);
  return rows.length === 0 ? undefined : rows[0]![0];
}

describe('Drainer', () => {
  it('forwards schema then data to the secondary and acknowledges each with the applied position', async () => {
    const schema = ship().hello(sourceOf(), 0);
    expect(await schema.next()).toMatchObject({ code: 0, position: { applied_log_id: '0', needs_snapshot: false } });
    schema.send({ batch: schemaBatch(1, 2, [schemaChange(1, 'player'), schemaChange(2, 'follow')]) });
    expect(await schema.next()).toMatchObject({ code: 0, position: { applied_log_id: '2' } });

    const a = vidOfPart(3)!;
    const data = ship().hello(sourceOf(), 3);
    expect(await data.next()).toMatchObject({ code: 0, position: { applied_log_id: '0' } });
    data.send({ batch: dataBatch(1, [[putPlayer(a, 'A', 10)]]) }).send({ batch: dataBatch(2, [[putFollow(a, 'x', 5)], [putPlayer(a, 'A', 12)]]) });
    // One answer per batch; the second may have been merged into the first's apply (then both say 3).
    const firstAnswer = (await data.next()) as { code: number; position: { applied_log_id: string } };
    expect(firstAnswer.code).toBe(0);
    expect(['1', '3']).toContain(firstAnswer.position.applied_log_id);
    expect(await data.next()).toMatchObject({ code: 0, position: { applied_log_id: '3', applied_ts: '1003' } });
    expect(await ageOf(a)).toBe(12n);
    expect(await s.rows(`GO FROM "${a}" OVER follow YIELD dst(edge)`)).toEqual([['x']]);

    // A new stream for the same part resumes from what the secondary applied.
    const again = ship().hello(sourceOf(), 3);
    expect(await again.next()).toMatchObject({ code: 0, position: { applied_log_id: '3' } });
  });

  it('applies batches that queued behind a held one together, answering each of them in order', async () => {
    const a = vidOfPart(7)!;
    const data = ship().hello(sourceOf(), 7);
    expect((await data.next()) as object).toMatchObject({ code: 0 });
    // The first batch waits for its schema; the next ones queue behind it.
    data.send({ batch: dataBatch(1, [[putPlayer(a, 'A', 1)]]) });
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 2; i <= 6; i++) data.send({ batch: dataBatch(i, [[putPlayer(a, 'A', i)]]) });
    await new Promise((r) => setTimeout(r, 200));
    expect(data.hasAnswer()).toBe(false);
    const schema = ship().hello(sourceOf(), 0);
    expect((await schema.next()) as object).toMatchObject({ code: 0 });
    schema.send({ batch: schemaBatch(1, 1, [schemaChange(1, 'player')]) });
    const answers = [];
    for (let i = 1; i <= 6; i++) answers.push(((await data.next()) as { position: { applied_log_id: string } }).position.applied_log_id);
    expect(answers[0]).toBe('1');
    expect(answers.slice(1)).toEqual(['6', '6', '6', '6', '6']);
    expect(await ageOf(a)).toBe(6n);
  });

  it('holds data whose schema has not arrived and applies it once the schema does', async () => {
    const a = vidOfPart(5)!;
    const data = ship().hello(sourceOf(), 5);
    expect((await data.next()) as object).toMatchObject({ code: 0 });
    data.send({ batch: dataBatch(1, [[putPlayer(a, 'A', 1)]]) });
    await new Promise((r) => setTimeout(r, 300));
    expect(data.hasAnswer()).toBe(false);
    const space = s.cluster.metaStore.catalog().spaces['target']!;
    expect(s.cluster.storage.space(space.id)!.getTags(a)).toEqual([]);

    const schema = ship().hello(sourceOf(), 0);
    expect((await schema.next()) as object).toMatchObject({ code: 0 });
    schema.send({ batch: schemaBatch(1, 2, [schemaChange(1, 'player'), schemaChange(2, 'follow')]) });
    expect((await schema.next()) as object).toMatchObject({ code: 0 });
    expect(await data.next()).toMatchObject({ code: 0, position: { applied_log_id: '1' } });
    expect(await ageOf(a)).toBe(1n);
  });

  it('sends a batch a VERIFY SYNC holds at its barrier again until the verify lets go, answering the listener once, with no refusal', async () => {
    const schema = ship().hello(sourceOf(), 0);
    expect((await schema.next()) as object).toMatchObject({ code: 0 });
    schema.send({ batch: schemaBatch(1, 2, [schemaChange(1, 'player'), schemaChange(2, 'follow')]) });
    expect((await schema.next()) as object).toMatchObject({ code: 0 });
    const vids = [vidOfPart(6)!, vidOfPart(6, 'w')!, vidOfPart(6, 'x')!, vidOfPart(6, 'y')!];
    const data = ship().hello(sourceOf(), 6);
    expect((await data.next()) as object).toMatchObject({ code: 0 });
    data.send({ batch: dataBatch(1, [[putPlayer(vids[0]!, 'A', 1)]]) });
    expect(await data.next()).toMatchObject({ code: 0, position: { applied_log_id: '1' } });

    const verify = (phase: string, cuts: { part: number; log_id: number }[] = []) =>
      unary<{ code: number; message: string }>(clientFor('Storage', `127.0.0.1:${s.cluster.ports.storage}`), 'VerifyData', {
        verify_id: 'drainer-test', phase, source: sourceOf(), target_space: 'target', drainer: addr, cuts, schema_log_id: 2, keys: false, buckets: [],
      }, 30_000);
    expect((await verify('FREEZE')).code).toBe(0);
    // Entries 2..4 cross the barrier at 3: the secondary applies up to 3 and answers E_VERIFY_HOLD.
    data.send({ batch: dataBatch(2, [[putPlayer(vids[1]!, 'B', 2)], [putPlayer(vids[2]!, 'C', 3)], [putPlayer(vids[3]!, 'D', 4)]]) });
    const cut = await verify('CUT', Array.from({ length: 15 }, (_, i) => ({ part: i + 1, log_id: i + 1 === 6 ? 3 : 0 })));
    expect(cut.message).toBe('');
    // The picture is taken and the gate open: the drainer's next attempt applies entry 4.
    expect(await data.next()).toMatchObject({ code: 0, position: { applied_log_id: '4' } });
    expect(data.hasAnswer()).toBe(false);
    expect(await ageOf(vids[3]!)).toBe(4n);
    expect(await s.rows('SHOW SYNC ERRORS')).toEqual([]);
    await verify('END');
  });

  it('forwards snapshot chunks and answers needs_snapshot for one cut short', async () => {
    const schema = ship().hello(sourceOf(), 0);
    await schema.next();
    schema.send({ batch: schemaBatch(1, 2, [schemaChange(1, 'player'), schemaChange(2, 'follow')]) });
    await schema.next();
    const [a, b] = [vidOfPart(9, 'a')!, vidOfPart(9, 'b')!];
    const data = ship().hello(sourceOf(), 9);
    await data.next();
    data.send({ batch: dataBatch(1, [[putPlayer(a, 'A', 1), putPlayer(b, 'B', 2)]]) });
    await data.next();
    data.send({ snapshot: snapshotChunk(7, [putPlayer(a, 'A', 70)], false, true) });
    expect(await data.next()).toMatchObject({ code: 0, position: { applied_log_id: '1', needs_snapshot: true } });
    data.close();
    const resumed = ship().hello(sourceOf(), 9);
    expect(await resumed.next()).toMatchObject({ code: 0, position: { needs_snapshot: true } });
    resumed.send({ snapshot: snapshotChunk(8, [putPlayer(a, 'A', 80)], true, true) });
    expect(await resumed.next()).toMatchObject({ code: 0, position: { applied_log_id: '8', needs_snapshot: false } });
    expect(await ageOf(a)).toBe(80n);
    expect(await ageOf(b)).toBeUndefined();
  });

  it('answers refusals with their code and ends the stream: second source, gap', async () => {
    const first = ship().hello(sourceOf(), 0);
    expect((await first.next()) as object).toMatchObject({ code: 0 });
    const other = ship().hello(sourceOf(15, 'another-cluster'), 1);
    expect(await other.next()).toMatchObject({ code: -4006 });
    expect(await other.next()).toBe('end');

    first.send({ batch: schemaBatch(4, 5, []) });
    expect(await first.next()).toMatchObject({ code: -4001, position: { applied_log_id: '0' } });
    expect(await first.next()).toBe('end');
  });

  it('is refused by a target space that did not add it, and shows up in SHOW HOSTS DRAINER', async () => {
    await s.exec('REMOVE DRAINER');
    const refused = ship().hello(sourceOf(), 1);
    expect(await refused.next()).toMatchObject({ code: -2029 });
    expect(await refused.next()).toBe('end');
    const hosts = await s.rows('SHOW HOSTS DRAINER');
    expect(hosts.map((r) => [r[0], Number(r[1]), r[2]])).toEqual([['127.0.0.1', Number(addr.split(':')[1]), 'ONLINE']]);
  });

  it('tells a cluster that asks (Health) which cluster it writes to; a drainer that does not answer is no answer', async () => {
    const peers = createSyncPeers({ clusterId: 'asker', connect: (a) => clientFor('Drainer', a) });
    const [host, port] = [addr.split(':')[0]!, Number(addr.split(':')[1])];
    // Known once the drainer heard from the secondary's meta (its first assignment poll).
    const deadline = Date.now() + 5_000;
    let facts = await peers.probeDrainer({ host, port });
    while (facts?.clusterId === '' && Date.now() < deadline) facts = await peers.probeDrainer({ host, port });
    expect(facts).toEqual({ clusterId: s.cluster.metaStore.clusterId });
    const quick = createSyncPeers({ clusterId: 'asker', connect: (a) => clientFor('Drainer', a), deadlineMs: 300 });
    expect(await quick.probeDrainer({ host: '127.0.0.1', port: 1 })).toBeUndefined();
  });

  it('closes while a batch is held for its schema: the stream ends and nothing is applied', async () => {
    const a = vidOfPart(2)!;
    const data = ship().hello(sourceOf(), 2);
    expect((await data.next()) as object).toMatchObject({ code: 0 });
    data.send({ batch: dataBatch(1, [[putPlayer(a, 'A', 1)]]) });
    await new Promise((r) => setTimeout(r, 100));
    await drainer.close();
    expect(await data.next()).toBe('end');
    const space = s.cluster.metaStore.catalog().spaces['target']!;
    expect(s.cluster.storage.space(space.id)!.syncPosition('primary-cluster/basketballplayer', 2)?.appliedLogId ?? 0).toBe(0);
  });
});
