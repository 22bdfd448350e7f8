// Pins the HTTP pages' shapes without a cluster: the router's 404/405/500 answers, /flags and
// /stats in NebulaGraph's text and JSON forms, the sizes the ship/apply hooks count, and that a
// cluster's series of a space disappear once the space is gone (bounded label cardinality).
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyCatalog } from '../../../../src/catalog/empty.ts';
import type { Catalog, SpaceDesc } from '../../../../src/catalog/types.ts';
import { ProgressRegistry } from '../../../../src/engine/meta/progress.ts';
import { RefusalRegistry } from '../../../../src/engine/sync/apply/refusals.ts';
import { requestSize, walEntryOpCount } from '../../../../src/engine/sync/sync-counters.ts';
import type { ApplyRequestMsg } from '../../../../src/engine/sync/wire.ts';
import { encodeWalEntry } from '../../../../src/engine/wal/wal-codec.ts';
import type { SyncRuntime } from '../../../../src/executor/types.ts';
import { ClusterMetrics } from '../../../../src/server/http/cluster-metrics.ts';
import { HttpService, text } from '../../../../src/server/http/http-server.ts';
import { flagsRoute, statsRoute } from '../../../../src/server/http/info-pages.ts';
import { Counter, Registry } from '../../../../src/server/http/prom.ts';
import { limits } from '../../../../src/limits.ts';

const services: HttpService[] = [];

afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
});

async function serve(routes: ConstructorParameters<typeof HttpService>[0]): Promise<(path: string, init?: RequestInit) => Promise<Response>> {
  const http = new HttpService(routes);
  services.push(http);
  const port = await http.start('127.0.0.1', 0);
  return (path, init) => fetch(`http://127.0.0.1:${port}${path}`, init);
}

describe('the HTTP router', () => {
  it('answers 404 for an unknown path, 405 for anything but GET/HEAD, and 500 with the message when a route throws', async () => {
    const get = await serve({
      '/ok': () => text('fine\n'),
      '/boom': () => {
        throw new Error('the store is closed');
      },
    });
    expect((await get('/ok')).status).toBe(200);
    expect(await (await get('/ok?x=1')).text()).toBe('fine\n');
    expect((await get('/nope')).status).toBe(404);
    const post = await get('/ok', { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    const boom = await get('/boom');
    expect(boom.status).toBe(500);
    expect(await boom.text()).toBe('error: the store is closed\n');
    const head = await get('/ok', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('/flags', () => {
  const flags = { local_ip: '127.0.0.1', port: 9669, enable_authorize: true };

  it('holds at most its cap of connections, and a request gets in while silent sockets hold every slot', async () => {
    const http = new HttpService({ '/ok': () => text('fine\n') });
    services.push(http);
    const port = await http.start('127.0.0.1', 0);
    let closed = 0;
    const open = (): Promise<Socket> =>
      new Promise((resolve) => {
        const s = connect(port, '127.0.0.1', () => resolve(s));
        s.on('error', () => undefined);
        s.once('close', () => closed++);
      });
    const held: Socket[] = [];
    for (let i = 0; i < limits.httpConnectionsMax; i++) held.push(await open());
    // Every slot is silent and young: one more is closed on accept.
    const over = await open();
    await new Promise((r) => setTimeout(r, 100));
    expect(over.destroyed || closed > 0).toBe(true);
    const closedBefore = closed;
    // Once they have been silent a while, a real request takes the place of the oldest.
    await new Promise((r) => setTimeout(r, 300));
    expect(await (await fetch(`http://127.0.0.1:${port}/ok`)).text()).toBe('fine\n');
    await new Promise((r) => setTimeout(r, 100));
    expect(closed).toBe(closedBefore + 1);
    expect(held[0]!.destroyed).toBe(true);
    for (const s of held) s.destroy();
  });

  it('lists every flag as name=value with strings quoted, or only those asked for, unknown ones as nullptr', async () => {
    const get = await serve({ '/flags': flagsRoute(() => flags) });
    expect(await (await get('/flags')).text()).toBe('local_ip="127.0.0.1"\nport=9669\nenable_authorize=true\n');
    expect(await (await get('/flags?flags=port,nope')).text()).toBe('port=9669\nnope=nullptr\n');
    expect(await (await get('/flags?flags=local_ip&format=json')).json()).toEqual({ flags: [{ name: 'local_ip', value: '127.0.0.1' }] });
  });
});

describe('/stats', () => {
  it('lists counters as name=value with labels NebulaGraph-style, filters by name, and answers JSON', async () => {
    const registry = new Registry();
    const c = new Counter({ name: 'nebula_sync_x_total', help: 'x', labelNames: ['space', 'part'], registers: [registry] });
    c.inc({ space: 's', part: '1' }, 3);
    new Counter({ name: 'nebula_sync_y_total', help: 'y', registers: [registry] }).inc(2);
    const get = await serve({ '/stats': statsRoute(registry) });
    expect(await (await get('/stats')).text()).toBe('nebula_sync_x_total{space=s,part=1}=3\nnebula_sync_y_total=2\n');
    expect(await (await get('/stats?stats=nebula_sync_y_total')).text()).toBe('nebula_sync_y_total=2\n');
    expect(await (await get('/stats?stats=nebula_sync_x_total&format=json')).json()).toEqual([{ value: 3, name: 'nebula_sync_x_total{space=s,part=1}' }]);
  });
});

describe('what the hooks count', () => {
  it('reads the op count of an encoded WAL entry and the size of a batch or snapshot chunk', () => {
    const rows = encodeWalEntry({ logId: 7, term: 1, ts: 1_700_000_000_000, ops: [{ op: 'deleteVertex', vid: 'a' }, { op: 'deleteVertex', vid: 'b' }, { op: 'deleteVertex', vid: 'c' }] });
    expect(walEntryOpCount(rows)).toBe(3);
    expect(requestSize({ snapshot: { log_id: 7, ts: 1, rows, last: true } })).toEqual({ entries: 0, bytes: rows.length, snapshotRows: 3 });
    const batch = { first_log_id: 1, last_log_id: 2, entries: [Buffer.alloc(10), Buffer.alloc(5)], gone: false, retained_first_log_id: 0, source_last_log_id: 2, source_last_ts: 0, last_ts: 0, schema_changes: [] };
    expect(requestSize({ batch })).toEqual({ entries: 2, bytes: 15, snapshotRows: 0 });
    expect(requestSize({})).toEqual({ entries: 0, bytes: 0, snapshotRows: 0 });
  });
});

describe("a cluster's metrics", () => {
  const space = { id: 1, name: 'target', partitionNum: 3 } as unknown as SpaceDesc;
  const noSync: SyncRuntime = { listenerStatus: () => 'OFFLINE', drainerStatus: () => 'OFFLINE', syncStatus: () => [], drainerSyncStatus: () => [], syncErrors: () => [] };
  const request = (body: Partial<ApplyRequestMsg>): ApplyRequestMsg => ({ source: { cluster_id: 'c', space_name: 's', space_id: 1 } as ApplyRequestMsg['source'], target_space: 'target', part: 2, drainer: 'd', ...body });
  const batch = { first_log_id: 1, last_log_id: 1, entries: [Buffer.alloc(8)], gone: false, retained_first_log_id: 0, source_last_log_id: 1, source_last_ts: 0, last_ts: 0, schema_changes: [] };

  it('counts accepted applies only, and forgets the series of a space that is gone', async () => {
    let catalog: Catalog = { ...emptyCatalog(), spaces: { target: space } };
    const metrics = new ClusterMetrics({ catalog: () => catalog, sync: noSync, progress: new ProgressRegistry(), refusals: new RefusalRegistry(), now: Date.now });
    const ok = { code: 0, message: '', position: null };
    metrics.answered(request({ batch }), ok, 2);
    metrics.answered(request({ batch }), { code: -4001, message: 'LogGap', position: null }, 1);
    metrics.answered(request({ position_only: true }), ok, 1);
    metrics.refresh();
    const page = await metrics.registry.metrics();
    expect(page).toContain('nebula_sync_applied_entries_total{space="target",part="2"} 1');
    expect(page).toContain('nebula_sync_applied_bytes_total{space="target",part="2"} 8');
    expect(page).toContain('nebula_sync_apply_duration_seconds_count{space="target"} 1');
    catalog = emptyCatalog();
    metrics.refresh();
    expect(await metrics.registry.metrics()).not.toContain('space="target"');
  });
});
