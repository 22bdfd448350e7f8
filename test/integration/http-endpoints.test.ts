// Pins the HTTP port of all five process kinds as an operator reads it with curl: /status,
// /flags (and ?flags=), /stats and /metrics in NebulaGraph's and Prometheus's shapes; that after
// the seed's Step 3 the metrics show entries shipped, forwarded and applied, and lag 0; and that a
// refused apply shows, with its code and reason, in /api/sync and nebula_sync_refusals_total.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GraphClient } from '../../src/client/graph-client.ts';
import { unary } from '../../src/engine/sync/rpc-call.ts';
import { clientFor } from '../../src/server/rpc/proto.ts';
import { stopAll } from '../helpers/processes.ts';
import { eventually, must, PRIMARY_SPACE, setUpSync, startTopology, TARGET_SPACE, type Topology } from '../helpers/topology.ts';

let t: Topology;
let clients: { primary: GraphClient; secondary: GraphClient };

type Kind = 'primary' | 'secondary' | 'metaListener' | 'storageListener' | 'drainer';
const KINDS: readonly Kind[] = ['primary', 'secondary', 'metaListener', 'storageListener', 'drainer'];

function httpPort(kind: Kind): number {
  return kind === 'primary' || kind === 'secondary' ? t[kind].ports.http : Number(t[kind].ready['http']);
}

async function get(kind: Kind, path: string): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(`http://127.0.0.1:${httpPort(kind)}${path}`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

interface Sample {
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** The samples of one metric name in a Prometheus text page. */
function samples(page: string, name: string): Sample[] {
  const out: Sample[] = [];
  for (const line of page.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null || m[1] !== name) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!]));
    out.push({ labels, value: Number(m[3]) });
  }
  return out;
}

const sum = (list: readonly Sample[]) => list.reduce((n, s) => n + s.value, 0);

beforeAll(async () => {
  t = await startTopology();
  clients = await setUpSync(t);
  // The seed's Step 3 on the primary.
  const p = clients.primary;
  await must(p, 'CREATE TAG player(name string, age int)');
  await must(p, 'CREATE EDGE follow(degree int)');
  await eventually('the schema on the secondary', async () => (await clients.secondary.execute('DESCRIBE TAG player')).errorCode === 0, 60_000);
  await must(p, 'INSERT VERTEX player(name, age) VALUES "player100":("Tim Duncan", 42)');
  await must(p, 'INSERT VERTEX player(name, age) VALUES "player101":("Tony Parker", 36)');
  await must(p, 'INSERT EDGE follow(degree) VALUES "player101" -> "player100":(95)');
}, 180_000);

afterEach((ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  for (const kind of KINDS) console.error(`--- ${kind} log tail ---\n${t[kind].stderr().slice(-3000)}`);
});

afterAll(async () => {
  await clients?.primary.close();
  await clients?.secondary.close();
  await stopAll();
});

describe('the HTTP port of every process', () => {
  it('answers /status in NebulaGraph shape on all five, and says how links are secured', async () => {
    for (const kind of KINDS) {
      const res = await get(kind, '/status');
      expect(res.status, kind).toBe(200);
      expect(res.type).toMatch(/^application\/json/);
      expect(JSON.parse(res.body), kind).toMatchObject({ git_info_sha: expect.stringMatching(/^\w+$/), status: 'running', internal_links: 'plaintext' });
    }
    expect(JSON.parse((await get('primary', '/status')).body)).toMatchObject({ graph_ssl: false });
    expect(JSON.parse((await get('drainer', '/status')).body)).toMatchObject({ role: 'DRAINER' });
    expect(JSON.parse((await get('metaListener', '/status')).body)).toMatchObject({ role: 'META_LISTENER' });
  });

  it('answers /flags as name=value lines (strings quoted), one flag or several with ?flags=, JSON with ?format=json', async () => {
    for (const kind of KINDS) {
      const res = await get(kind, '/flags');
      expect(res.status, kind).toBe(200);
      const lines = res.body.trimEnd().split('\n');
      for (const line of lines) expect(line, kind).toMatch(/^\w+=("[^"\n]*"|-?\d+|true|false)$/);
      expect(lines, kind).toContain('local_ip="127.0.0.1"');
      expect(lines, kind).toContain('heartbeat_interval_secs=1');
    }
    expect((await get('primary', '/flags')).body).toMatch(/^enable_authorize=true$/m);
    expect((await get('storageListener', '/flags')).body).toContain(`meta_server_addrs="127.0.0.1:${t.primary.ports.meta}"`);
    expect((await get('drainer', '/flags')).body).toContain(`meta_server_addrs="127.0.0.1:${t.secondary.ports.meta}"`);
    // The listener shows what it worked out from --role (its ports as given: 0 here), not empty defaults.
    expect((await get('metaListener', '/flags?flags=role,port,ws_http_port')).body).toBe('role="meta"\nport=0\nws_http_port=0\n');
    expect((await get('primary', '/flags?flags=local_ip,no_such_flag')).body).toBe('local_ip="127.0.0.1"\nno_such_flag=nullptr\n');
    expect(JSON.parse((await get('drainer', '/flags?flags=port,local_ip&format=json')).body)).toEqual({
      flags: [
        { name: 'port', value: 0 },
        { name: 'local_ip', value: '127.0.0.1' },
      ],
    });
  });

  it('answers /stats as name=value lines on all five, ?stats= filters, ?format=json lists {value, name}', async () => {
    for (const kind of KINDS) {
      const res = await get(kind, '/stats');
      expect(res.status, kind).toBe(200);
      for (const line of res.body.trimEnd().split('\n')) expect(line, kind).toMatch(/^nebula_sync_\w+(\{[^}]*\})?=[-\d.e+]+$/);
    }
    const lag = (await get('primary', `/stats?stats=nebula_sync_log_id_lag`)).body.trimEnd().split('\n');
    expect(lag).toHaveLength(16);
    expect(lag).toContain(`nebula_sync_log_id_lag{space=${PRIMARY_SPACE},part=0}=0`);
    const info = JSON.parse((await get('drainer', '/stats?stats=nebula_sync_info&format=json')).body);
    expect(info).toEqual([{ value: 1, name: expect.stringMatching(/^nebula_sync_info\{kind=drainer,/) }]);
  });

  it('answers /metrics in Prometheus format with process figures and the sync figures after Step 3', async () => {
    const page = async (kind: Kind) => (await get(kind, '/metrics')).body;
    // Lag 0 everywhere once the listeners reported the drainer's acknowledgements.
    await eventually('lag 0 on every partition of both sides', async () => {
      const primary = await page('primary');
      const secondary = await page('secondary');
      const lags = samples(primary, 'nebula_sync_log_id_lag');
      const online = samples(primary, 'nebula_sync_online');
      const drainerLags = samples(secondary, 'nebula_sync_drainer_log_id_lag');
      return lags.length === 16 && sum(lags) === 0 && sum(online) === 16 && drainerLags.length === 16 && sum(drainerLags) === 0;
    }, 60_000);
    for (const kind of KINDS) {
      const res = await get(kind, '/metrics');
      expect(res.type, kind).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(samples(res.body, 'process_cpu_user_seconds_total'), kind).toHaveLength(1);
      expect(samples(res.body, 'process_resident_memory_bytes')[0]!.value, kind).toBeGreaterThan(0);
      expect(samples(res.body, 'nebula_sync_info'), kind).toHaveLength(1);
    }
    const storageListener = await page('storageListener');
    expect(sum(samples(storageListener, 'nebula_sync_shipped_entries_total'))).toBeGreaterThanOrEqual(3);
    expect(sum(samples(storageListener, 'nebula_sync_shipped_bytes_total'))).toBeGreaterThan(0);
    expect(samples(storageListener, 'nebula_sync_listener_shipping').filter((s) => s.labels['space'] === PRIMARY_SPACE)).toHaveLength(15);
    // The meta listener shipped the two schema changes (tag and edge) of partition 0, and nothing else.
    const metaShipped = samples(await page('metaListener'), 'nebula_sync_shipped_entries_total');
    expect(metaShipped.map((s) => s.labels)).toEqual([{ space: PRIMARY_SPACE, part: '0' }]);
    expect(metaShipped[0]!.value).toBeGreaterThanOrEqual(2);
    expect(sum(samples(await page('drainer'), 'nebula_sync_forwarded_entries_total'))).toBeGreaterThanOrEqual(5);
    const secondary = await page('secondary');
    const applied = samples(secondary, 'nebula_sync_applied_entries_total');
    expect(applied.every((s) => s.labels['space'] === TARGET_SPACE)).toBe(true);
    expect(sum(applied)).toBeGreaterThanOrEqual(5);
    expect(samples(secondary, 'nebula_sync_apply_duration_seconds_count')[0]!.value).toBeGreaterThan(0);
    // The seed's order lets a listener say hello before the secondary's ADD DRAINER: that one is
    // refused (E_NO_VALID_DRAINER, counted) and retried. Nothing else may have been refused.
    const refused = samples(secondary, 'nebula_sync_refusals_total').filter((s) => s.labels['space'] === TARGET_SPACE);
    expect(refused.filter((s) => s.labels['code'] !== '-2029')).toEqual([]);
  });

  it('shows a refused apply in /api/sync (code, reason) and in nebula_sync_refusals_total', async () => {
    // A drainer the target space never added: the secondary refuses it with E_NO_VALID_DRAINER.
    const countOf = async () =>
      sum(samples((await get('secondary', '/metrics')).body, 'nebula_sync_refusals_total').filter((s) => s.labels['space'] === TARGET_SPACE && s.labels['code'] === '-2029'));
    const before = await countOf();
    const storage = clientFor('Storage', `127.0.0.1:${t.secondary.ports.storage}`);
    const source = { cluster_id: 'made-up', space_name: PRIMARY_SPACE, space_id: 1, partition_num: 15, vid_type: 'FIXED_STRING', vid_length: 30 };
    const answer = await unary<{ code: number }>(storage, 'ApplyData', { source, target_space: TARGET_SPACE, part: 3, drainer: '127.0.0.1:1', position_only: true });
    storage.close();
    expect(answer.code).toBe(-2029);
    const picture = JSON.parse((await get('secondary', '/api/sync')).body);
    const target = picture.spaces.find((s: { space: string }) => s.space === TARGET_SPACE);
    expect(target).toMatchObject({ side: 'secondary', peer: expect.stringMatching(new RegExp(`/${PRIMARY_SPACE}$`)) });
    expect(target.parts).toHaveLength(16);
    const madeUp = target.refusals.filter((r: { source: string }) => r.source === `made-up/${PRIMARY_SPACE}`);
    expect(madeUp).toEqual([expect.objectContaining({ part: 3, code: -2029, codeName: 'E_NO_VALID_DRAINER', count: 1 })]);
    expect(madeUp[0].message).toMatch(/drainer/i);
    expect(await countOf()).toBe(before + 1);
    const primary = JSON.parse((await get('primary', '/api/sync')).body);
    expect(primary.spaces).toEqual([expect.objectContaining({ space: PRIMARY_SPACE, side: 'primary', peer: TARGET_SPACE, stopped: false, logIdLag: 0 })]);
  });
});
