// Pins mutual TLS on every internal link of the seed's five processes: the seed's Steps 1-3 sync
// end to end over it, and an attacker holding only the project's .proto (no credentials, a
// certificate from another CA, or the CA's certificate but none of its own) gets UNAVAILABLE from
// each of the twelve internal RPCs, receives nothing, and changes nothing (rows, hosts, schema,
// and both status tables at 0 after a further write).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureCerts, type CertFiles } from '../../src/cli/tls-certs.ts';
import type { GraphClient } from '../../src/client/graph-client.ts';
import { stopAll, tempDir } from '../helpers/processes.ts';
import { eventually, must, PRIMARY_SPACE, PROCESS_NAMES, setUpSync, startTopology, TARGET_SPACE, type Topology } from '../helpers/topology.ts';

/** The project's .proto, loaded as an attacker would, with nothing else of ours. */
const PROTO = fileURLToPath(new URL('../../src/server/rpc/nebula_sync.proto', import.meta.url));
const pkg = grpc.loadPackageDefinition(
  protoLoader.loadSync(PROTO, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true }),
)['nebula_sync'] as grpc.GrpcObject;
const CALL_DEADLINE_MS = 5_000;

type Service = 'Meta' | 'Storage' | 'Drainer' | 'Listener';
type Kind = 'unary' | 'server-stream' | 'bidi';
type AnyClient = grpc.Client & Record<string, Function>;

interface Attempt {
  readonly code: number | undefined;
  /** Replies or stream messages that came back. */
  readonly received: number;
}

let t: Topology;
let primary: GraphClient;
let secondary: GraphClient;
let mallory: CertFiles;

function clientOf(service: Service, address: string, credentials: grpc.ChannelCredentials): AnyClient {
  return new (pkg[service] as grpc.ServiceClientConstructor)(address, credentials) as unknown as AnyClient;
}

/** One call, whatever its kind; answers the status it ended with and how much came back. */
function attempt(client: AnyClient, method: string, kind: Kind, request: object): Promise<Attempt> {
  const deadline = Date.now() + CALL_DEADLINE_MS;
  return new Promise((resolve) => {
    let received = 0;
    const done = (code: number | undefined) => {
      client.close();
      resolve({ code, received });
    };
    if (kind === 'unary') {
      client[method]!.call(client, request, { deadline }, (error: grpc.ServiceError | null) => {
        if (error === null) received++;
        done(error?.code);
      });
      return;
    }
    const call = (kind === 'bidi' ? client[method]!.call(client, { deadline }) : client[method]!.call(client, request, { deadline })) as
      grpc.ClientDuplexStream<object, object>;
    call.on('data', () => received++);
    call.on('error', (e: grpc.ServiceError) => done(e.code));
    call.on('end', () => done(undefined));
    if (kind === 'bidi') call.write(request);
  });
}

function credentialsOf(files: CertFiles, trust: string = files.ca): grpc.ChannelCredentials {
  return grpc.credentials.createSsl(readFileSync(trust), readFileSync(files.key), readFileSync(files.cert));
}

async function rows(client: GraphClient, stmt: string): Promise<unknown[][]> {
  return ((await must(client, stmt)).data?.rows ?? []).map((r) => [...r]);
}

/** Host, port and role of every registered process, both clusters, every role. */
async function hosts(): Promise<string[]> {
  const out: string[] = [];
  for (const [name, client] of [['primary', primary], ['secondary', secondary]] as const) {
    for (const role of ['STORAGE', 'META LISTENER', 'STORAGE LISTENER', 'DRAINER']) {
      for (const r of await rows(client, `SHOW HOSTS ${role}`)) out.push(`${name} ${role} ${String(r[0])}:${String(r[1])}`);
    }
  }
  return out.sort();
}

async function secondaryStats(): Promise<unknown[][]> {
  await must(secondary, 'SUBMIT JOB STATS');
  return rows(secondary, 'SHOW STATS');
}

const zero = (table: unknown[][]) => table.length === 16 && table.every((r) => r[1] === 'ONLINE' && r[2] === 0n && r[3] === 0n);

beforeAll(async () => {
  t = await startTopology({ tls: true });
  ({ primary, secondary } = await setUpSync(t));
  // Step 3 of the seed.
  await must(primary, 'CREATE TAG player(name string, age int)');
  await must(primary, 'CREATE EDGE follow(degree int)');
  await must(primary, 'INSERT VERTEX player(name, age) VALUES "player100":("Tim Duncan", 42), "player101":("Tony Parker", 36)');
  await must(primary, 'INSERT EDGE follow(degree) VALUES "player101" -> "player100":(95)');
  const other = ensureCerts(`${tempDir('mallory')}/tls`, [{ name: 'mallory' }]);
  if (other instanceof Error) throw other;
  mallory = other.files.get('mallory')!;
}, 180_000);

afterEach((ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  for (const name of PROCESS_NAMES) console.error(`--- ${name} log tail ---\n${t[name].stderr().slice(-4000)}`);
});

afterAll(async () => {
  await primary?.close();
  await secondary?.close();
  await stopAll();
});

describe('mutual TLS on every internal link', () => {
  it('carries the seed\'s Step 3 to the secondary, and both status tables read ONLINE 0/0', async () => {
    await eventually('Step 3 rows on the secondary', async () => {
      const res = await secondary.execute('GO FROM "player101" OVER follow YIELD dst(edge)');
      return res.errorCode === 0 && res.data?.rows.length === 1;
    });
    expect(await rows(secondary, 'FETCH PROP ON player "player100" YIELD player.name')).toEqual([['Tim Duncan']]);
    await eventually('SHOW SYNC STATUS at 0', async () => zero(await rows(primary, 'SHOW SYNC STATUS')));
    await eventually('SHOW DRAINER SYNC STATUS at 0', async () => zero(await rows(secondary, 'SHOW DRAINER SYNC STATUS')));
    for (const ports of [t.primary.ports, t.secondary.ports]) {
      const status = await (await fetch(`http://127.0.0.1:${ports.http}/status`)).json();
      expect(status).toMatchObject({ status: 'running', internal_links: 'mtls', graph_ssl: false });
    }
  });

  it('refuses every internal RPC to a peer without a certificate from the CA; nothing answers and nothing changes', async () => {
    const addr = {
      primaryMeta: `127.0.0.1:${t.primary.ports.meta}`,
      primaryStorage: `127.0.0.1:${t.primary.ports.storage}`,
      secondaryMeta: `127.0.0.1:${t.secondary.ports.meta}`,
      secondaryStorage: `127.0.0.1:${t.secondary.ports.storage}`,
      drainer: `127.0.0.1:${t.ports.drainer}`,
      metaListener: `127.0.0.1:${t.ports.metaListener}`,
      storageListener: `127.0.0.1:${t.ports.storageListener}`,
    };
    // Control: with a certificate from the deployment's CA the same addresses answer, and tell
    // what a real drainer would send; so the refusals below are the credentials', not a bad address.
    const ours = credentialsOf(t.certs!.files.get('drainer')!);
    for (const [service, address] of [['Meta', addr.primaryMeta], ['Storage', addr.secondaryStorage], ['Drainer', addr.drainer], ['Listener', addr.metaListener]] as const) {
      expect(await attempt(clientOf(service, address, ours), 'Health', 'unary', {}), `${service} at ${address}`).toEqual({ code: undefined, received: 1 });
    }
    const asListener = clientOf('Meta', addr.primaryMeta, ours);
    const assignment = await new Promise<{ assignments: { source: object }[] }>((resolve, reject) =>
      asListener.GetAssignment!({ role: 'STORAGE_LISTENER', host: '127.0.0.1', port: t.ports.storageListener }, (e: Error | null, r: never) => (e ? reject(e) : resolve(r))),
    );
    asListener.close();
    const source = assignment.assignments[0]!.source;
    const apply = (part: number, body: object) => ({ source, target_space: TARGET_SPACE, part, drainer: addr.drainer, ...body });
    // What the attacker sent: a vertex with a log id ahead, an empty snapshot chunk with a
    // huge one, a dropped tag, a fake host, made-up progress.
    const batch = { first_log_id: 1000, last_log_id: 1000, entries: [Buffer.from('not a real entry')], source_last_log_id: 1000 };
    const dropTag = { first_log_id: 1000, last_log_id: 1000, schema_changes: [{ log_id: 1000, kind: 'TAG', name: 'player', source_id: 2, dropped: true }] };
    const calls: [Service, string, string, Kind, object][] = [
      ['Meta', addr.primaryMeta, 'Health', 'unary', {}],
      ['Meta', addr.primaryMeta, 'Heartbeat', 'unary', { role: 'STORAGE_LISTENER', host: '127.0.0.1', port: 1, version: 'x', git_info_sha: 'x' }],
      ['Meta', addr.secondaryMeta, 'Heartbeat', 'unary', { role: 'DRAINER', host: '127.0.0.1', port: 2, version: 'x', git_info_sha: 'x' }],
      ['Meta', addr.primaryMeta, 'GetAssignment', 'unary', { role: 'STORAGE_LISTENER', host: '127.0.0.1', port: t.ports.storageListener }],
      ['Meta', addr.primaryMeta, 'TailMetaWal', 'server-stream', { from_log_id: 1 }],
      ['Meta', addr.primaryMeta, 'ReportProgress', 'unary', { role: 'STORAGE_LISTENER', host: '127.0.0.1', port: t.ports.storageListener, space: PRIMARY_SPACE, parts: [{ part: 1, shipping: false, acked_log_id: 0 }] }],
      ['Meta', addr.secondaryMeta, 'ApplySchema', 'unary', apply(0, { batch: dropTag })],
      ['Storage', addr.primaryStorage, 'TailWal', 'server-stream', { space_id: 1, part: 1, from_log_id: 1 }],
      ['Storage', addr.primaryStorage, 'Snapshot', 'server-stream', { space_id: 1, part: 1 }],
      ['Storage', addr.secondaryStorage, 'ApplyData', 'unary', apply(1, { batch })],
      ['Storage', addr.secondaryStorage, 'ApplyDataStream', 'bidi', apply(1, { snapshot: { log_id: 1_000_000_000, ts: 1, rows: Buffer.alloc(0), last: true } })],
      ['Storage', addr.secondaryStorage, 'ApplyDataMany', 'bidi', { items: [apply(1, { snapshot: { log_id: 1_000_000_000, ts: 1, rows: Buffer.alloc(0), last: true } })] }],
      ['Drainer', addr.drainer, 'Ship', 'bidi', { hello: { source, target_space: TARGET_SPACE, part: 1, listener: addr.storageListener } }],
      ['Drainer', addr.drainer, 'ShipMany', 'bidi', { frames: [{ stream: 1, request: { hello: { source, target_space: TARGET_SPACE, part: 1, listener: addr.storageListener } } }] }],
      ['Listener', addr.metaListener, 'Health', 'unary', {}],
      ['Listener', addr.storageListener, 'Health', 'unary', {}],
    ];
    const hostsBefore = await hosts();
    const statsBefore = await secondaryStats();
    const ca = t.certs!.caCert;
    const attackers: [string, () => grpc.ChannelCredentials][] = [
      ['no credentials', () => grpc.credentials.createInsecure()],
      ['a certificate from another CA', () => credentialsOf(mallory, ca)],
      ["the CA's certificate but none of its own", () => grpc.credentials.createSsl(readFileSync(ca))],
    ];
    for (const [who, credentials] of attackers) {
      for (const [service, address, method, kind, request] of calls) {
        const outcome = await attempt(clientOf(service, address, credentials()), method, kind, request);
        expect(outcome, `${who}: ${service}.${method} at ${address}`).toEqual({ code: grpc.status.UNAVAILABLE, received: 0 });
      }
    }

    expect(await hosts()).toEqual(hostsBefore);
    expect(await secondaryStats()).toEqual(statsBefore);
    expect(await rows(secondary, 'DESCRIBE TAG player')).toHaveLength(2);
    // A further write on the primary syncs as before, and both tables return to 0.
    await must(primary, 'INSERT VERTEX player(name, age) VALUES "player105":("Tiago Splitter", 34)');
    await eventually('player105 on the secondary', async () => (await rows(secondary, 'FETCH PROP ON player "player105" YIELD id(vertex)')).length === 1);
    await eventually('SHOW SYNC STATUS at 0', async () => zero(await rows(primary, 'SHOW SYNC STATUS')));
    await eventually('SHOW DRAINER SYNC STATUS at 0', async () => zero(await rows(secondary, 'SHOW DRAINER SYNC STATUS')));
    expect(await secondaryStats()).toContainEqual(['Space', 'vertices', 3n]);
  }, 120_000);
});
