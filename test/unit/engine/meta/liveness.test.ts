// Pins host liveness: ONLINE while heard within 5 heartbeat intervals, OFFLINE after, still listed (sorted by
// host then port) until a day of silence; a flood of unknown hosts stays in a bounded pool and never
// keeps a host the catalog names out.
import { describe, expect, it } from 'vitest';
import { apply } from '../../../../src/catalog/apply.ts';
import { emptyCatalog } from '../../../../src/catalog/empty.ts';
import type { Catalog, MetaOp } from '../../../../src/catalog/types.ts';
import { HOST_EXPIRE_MS, Liveness, namedInCatalog, UNKNOWN_HOSTS_MAX } from '../../../../src/engine/meta/liveness.ts';

const beat = (host: string, port: number, role: 'DRAINER' | 'STORAGE_LISTENER' = 'DRAINER') => ({
  role,
  host,
  port,
  gitInfoSha: 'abc1234',
  version: 'ent-3.1.0',
});

describe('Liveness', () => {
  it('is ONLINE for 5 intervals after a heartbeat and OFFLINE after that', () => {
    const live = new Liveness({ heartbeatIntervalSecs: 1 });
    expect(live.statusOf('DRAINER', '10.0.0.4', 9889, 0)).toBe('OFFLINE');
    live.heartbeat(beat('10.0.0.4', 9889), 10_000);
    expect(live.statusOf('DRAINER', '10.0.0.4', 9889, 10_000)).toBe('ONLINE');
    expect(live.statusOf('DRAINER', '10.0.0.4', 9889, 15_000)).toBe('ONLINE');
    expect(live.statusOf('DRAINER', '10.0.0.4', 9889, 15_001)).toBe('OFFLINE');
    live.heartbeat(beat('10.0.0.4', 9889), 20_000);
    expect(live.statusOf('DRAINER', '10.0.0.4', 9889, 24_000)).toBe('ONLINE');
  });

  it('scales the window with the interval and keys hosts by role, host and port', () => {
    const live = new Liveness({ heartbeatIntervalSecs: 10 });
    live.heartbeat(beat('h', 1), 0);
    expect(live.statusOf('DRAINER', 'h', 1, 49_000)).toBe('ONLINE');
    expect(live.statusOf('DRAINER', 'h', 1, 51_000)).toBe('OFFLINE');
    expect(live.statusOf('STORAGE_LISTENER', 'h', 1, 0)).toBe('OFFLINE');
    expect(live.statusOf('DRAINER', 'h', 2, 0)).toBe('OFFLINE');
  });

  it('lists a role sorted by host then port, keeping silent hosts as OFFLINE', () => {
    const live = new Liveness({ heartbeatIntervalSecs: 1 });
    live.heartbeat(beat('10.0.0.9', 9889), 0);
    live.heartbeat(beat('10.0.0.4', 9890), 8_000);
    live.heartbeat(beat('10.0.0.4', 9889), 8_000);
    live.heartbeat(beat('10.0.0.3', 9789, 'STORAGE_LISTENER'), 8_000);
    expect(live.list('DRAINER', 10_000)).toEqual([
      { host: '10.0.0.4', port: 9889, role: 'DRAINER', status: 'ONLINE', gitInfoSha: 'abc1234', version: 'ent-3.1.0' },
      { host: '10.0.0.4', port: 9890, role: 'DRAINER', status: 'ONLINE', gitInfoSha: 'abc1234', version: 'ent-3.1.0' },
      { host: '10.0.0.9', port: 9889, role: 'DRAINER', status: 'OFFLINE', gitInfoSha: 'abc1234', version: 'ent-3.1.0' },
    ]);
    live.forget('DRAINER', '10.0.0.9', 9889);
    expect(live.list('DRAINER', 10_000).map((h) => h.host)).toEqual(['10.0.0.4', '10.0.0.4']);
  });

  it('keeps unknown hosts in a bounded pool, least recently heard evicted first, and named hosts always', () => {
    const live = new Liveness({ heartbeatIntervalSecs: 1 });
    live.heartbeat(beat('10.0.0.1', 9889), 0, true);
    live.heartbeat(beat('10.0.0.2', 9889), 0);
    for (let i = 0; i < 20_000; i++) live.heartbeat(beat(`spoof-${i}`, 1 + (i % 60_000)), 1);
    expect(live.size).toBe(1 + UNKNOWN_HOSTS_MAX);
    expect(live.statusOf('DRAINER', '10.0.0.1', 9889, 1)).toBe('ONLINE');
    expect(live.statusOf('DRAINER', '10.0.0.2', 9889, 1)).toBe('OFFLINE');
    // A real but not yet named host comes back at its next beat, evicting the stalest spoof.
    live.heartbeat(beat('10.0.0.2', 9889), 2);
    expect(live.list('DRAINER', 2).filter((h) => h.host.startsWith('10.')).map((h) => h.host)).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(live.size).toBe(1 + UNKNOWN_HOSTS_MAX);
  });

  it('lists a silent named host OFFLINE for a day, then forgets it', () => {
    const live = new Liveness({ heartbeatIntervalSecs: 1 });
    live.heartbeat(beat('10.0.0.1', 9889), 0, true);
    expect(live.list('DRAINER', HOST_EXPIRE_MS)).toEqual([expect.objectContaining({ host: '10.0.0.1', status: 'OFFLINE' })]);
    expect(live.list('DRAINER', HOST_EXPIRE_MS + 1)).toEqual([]);
    expect(live.size).toBe(0);
  });

  it('knows which hosts the catalog names, per role', () => {
    const ops: MetaOp[] = [
      { op: 'addHosts', hosts: ['127.0.0.1:9779'] },
      { op: 'createSpace', space: { name: 's', partitionNum: 1, replicaFactor: 1, vidType: { kind: 'INT64' }, charset: 'utf8', collate: 'utf8_bin' } },
      { op: 'signInDrainers', space: 's', drainers: [{ host: 'd1', port: 9889 }] },
      { op: 'addListenerSync', space: 's', meta: { host: 'l', port: 9569 }, storage: [{ host: 'l', port: 9789 }], targetSpace: 't' },
      { op: 'addDrainers', space: 's', drainers: [{ host: 'd2', port: 9889 }] },
    ];
    let cat: Catalog = emptyCatalog();
    for (const op of ops) cat = apply(cat, { logId: cat.logId + 1, term: 1, ts: 0, op });
    expect(namedInCatalog(cat, 'STORAGE', '127.0.0.1', 9779)).toBe(true);
    expect(namedInCatalog(cat, 'META_LISTENER', 'l', 9569)).toBe(true);
    expect(namedInCatalog(cat, 'STORAGE_LISTENER', 'l', 9789)).toBe(true);
    expect(namedInCatalog(cat, 'STORAGE_LISTENER', 'l', 9569)).toBe(false);
    expect(namedInCatalog(cat, 'DRAINER', 'd1', 9889)).toBe(true);
    expect(namedInCatalog(cat, 'DRAINER', 'd2', 9889)).toBe(true);
    expect(namedInCatalog(cat, 'DRAINER', 'd3', 9889)).toBe(false);
  });
});
