// Pins the meta service: SHOW HOSTS rows for every role (own services ONLINE, others by heartbeat) and commits stamped with the injected clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Liveness } from '../../../../src/engine/meta/liveness.ts';
import { createMetaService, isSameMachine, type ClusterMetaService } from '../../../../src/engine/meta/meta-service.ts';
import { MetaStore } from '../../../../src/engine/meta/meta-store.ts';
import { GIT_INFO_SHA, PRODUCT_VERSION } from '../../../../src/engine/meta/version.ts';

let dir: string;
let store: MetaStore;
let clock: number;
let meta: ClusterMetaService;

function service(localIp: string): ClusterMetaService {
  return createMetaService({
    store,
    liveness: new Liveness({ heartbeatIntervalSecs: 1 }),
    self: { localIp, graphPort: 9669, metaPort: 9559, storagePort: 9779 },
    now: () => clock,
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'meta-service-'));
  store = MetaStore.open({ dataPath: dir, fsync: false });
  clock = 1_000_000;
  meta = service('127.0.0.1');
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const info = { gitInfoSha: GIT_INFO_SHA, version: PRODUCT_VERSION };

describe('meta service hosts()', () => {
  it('answers its own graph and meta address as ONLINE', () => {
    expect(meta.hosts('GRAPH')).toEqual([{ host: '127.0.0.1', port: 9669, role: 'GRAPH', status: 'ONLINE', ...info }]);
    expect(meta.hosts('META')).toEqual([{ host: '127.0.0.1', port: 9559, role: 'META', status: 'ONLINE', ...info }]);
    expect(PRODUCT_VERSION).toBe('ent-3.1.0');
    expect(GIT_INFO_SHA).toMatch(/^[0-9a-f]{7}$/);
  });

  it('lists added storage hosts sorted; its own storage is ONLINE, others only while heartbeating', () => {
    expect(meta.hosts('STORAGE')).toEqual([]);
    meta.commit({ op: 'addHosts', hosts: ['192.168.1.9:9779', 'localhost:9779', '127.0.0.1:9780'] });
    meta.heartbeat({ role: 'STORAGE', host: '127.0.0.1', port: 9780, ...info });
    expect(meta.hosts('STORAGE').map((h) => [h.host, h.port, h.status])).toEqual([
      ['127.0.0.1', 9780, 'ONLINE'],
      ['192.168.1.9', 9779, 'OFFLINE'],
      ['localhost', 9779, 'ONLINE'],
    ]);
    clock += 6_000;
    expect(meta.hosts('STORAGE').map((h) => h.status)).toEqual(['OFFLINE', 'OFFLINE', 'ONLINE']);
  });

  it('treats loopback names as this machine only when its own address is loopback', () => {
    expect(isSameMachine('127.0.0.1', 'localhost')).toBe(true);
    expect(isSameMachine('192.168.10.101', '192.168.10.101')).toBe(true);
    expect(isSameMachine('192.168.10.101', '127.0.0.1')).toBe(false);
    const remote = service('192.168.10.101');
    remote.commit({ op: 'addHosts', hosts: ['192.168.10.101:9779', '127.0.0.1:9779'] });
    expect(remote.hosts('STORAGE').map((h) => [h.host, h.status])).toEqual([
      ['127.0.0.1', 'OFFLINE'],
      ['192.168.10.101', 'ONLINE'],
    ]);
  });

  it('lists listeners and drainers heard by heartbeat, ONLINE then OFFLINE by age', () => {
    meta.heartbeat({ role: 'STORAGE_LISTENER', host: '192.168.10.103', port: 9789, ...info });
    meta.heartbeat({ role: 'META_LISTENER', host: '192.168.10.103', port: 9569, ...info });
    meta.heartbeat({ role: 'DRAINER', host: '192.168.10.104', port: 9889, ...info });
    expect(meta.hosts('STORAGE_LISTENER')).toEqual([
      { host: '192.168.10.103', port: 9789, role: 'STORAGE_LISTENER', status: 'ONLINE', ...info },
    ]);
    expect(meta.hosts('META_LISTENER').map((h) => h.port)).toEqual([9569]);
    expect(meta.hosts('DRAINER').map((h) => h.status)).toEqual(['ONLINE']);
    clock += 5_001;
    expect(meta.hosts('DRAINER').map((h) => h.status)).toEqual(['OFFLINE']);
    expect(meta.hosts('META_LISTENER').map((h) => h.status)).toEqual(['OFFLINE']);
  });
});

describe('meta service commit()', () => {
  it('logs with the injected clock and exposes the WAL for the meta listener', () => {
    const cat = meta.commit({ op: 'addHosts', hosts: ['h:1'] });
    expect(meta.catalog()).toBe(cat);
    expect(meta.lastLogId()).toBe(2);
    expect(meta.lastTs()).toBe(clock);
    expect(meta.readWal(2, 10)).toEqual([{ logId: 2, term: 1, ts: clock, op: { op: 'addHosts', hosts: ['h:1'] } }]);
  });
});
