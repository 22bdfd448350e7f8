// Pins Meta.ReportProgress: a well-formed report from a listener or drainer is recorded with the meta's clock (ages turned into times on it); parts the reporter does not serve under the current ADD LISTENER SYNC / ADD DRAINER are dropped; a wrong role, address, space, part list or failure is refused with E_INVALID_HOST and records nothing.
import { describe, expect, it } from 'vitest';
import { apply } from '../../../../../src/catalog/apply.ts';
import { emptyCatalog } from '../../../../../src/catalog/empty.ts';
import type { Catalog, MetaOp } from '../../../../../src/catalog/types.ts';
import { Liveness } from '../../../../../src/engine/meta/liveness.ts';
import { ProgressRegistry } from '../../../../../src/engine/meta/progress.ts';
import type { ProgressReportMsg } from '../../../../../src/engine/sync/wire.ts';
import { MetaCode } from '../../../../../src/errors.ts';
import { silentLogger } from '../../../../../src/log.ts';
import { acceptProgress, progressHandlers, REPORT_PARTS_MAX } from '../../../../../src/server/rpc/progress-handlers.ts';
import type { RpcDeps } from '../../../../../src/server/rpc/rpc-deps.ts';

const NOW = 1_700_000_000_000;

/** basketballplayer (3 parts) syncs to r through meta listener :9569 and storage listeners :9789, :9790; r added drainer :9889. */
function catalog(): Catalog {
  const ops: MetaOp[] = [
    {
      op: 'createSpace',
      space: { name: 'basketballplayer', partitionNum: 3, replicaFactor: 1, vidType: { kind: 'FIXED_STRING', length: 30 }, charset: 'utf8', collate: 'utf8_bin' },
    },
    {
      op: 'addListenerSync',
      space: 'basketballplayer',
      meta: { host: '127.0.0.1', port: 9569 },
      storage: [
        { host: '127.0.0.1', port: 9789 },
        { host: '127.0.0.1', port: 9790 },
      ],
      targetSpace: 'r',
    },
    { op: 'createSpace', space: { name: 'r', partitionNum: 3, replicaFactor: 1, vidType: { kind: 'FIXED_STRING', length: 30 }, charset: 'utf8', collate: 'utf8_bin' } },
    { op: 'addDrainers', space: 'r', drainers: [{ host: '127.0.0.1', port: 9889 }] },
  ];
  return ops.reduce((cat, op, i) => apply(cat, { logId: i + 1, term: 1, ts: NOW, op }), emptyCatalog());
}

/** What the primary committed: the meta WAL up to this log id, each data partition up to its own. */
const META_LAST_LOG_ID = 20;
const PART_LAST_LOG_ID: Readonly<Record<number, number>> = { 1: 15, 2: 40, 3: 15 };

function deps(): RpcDeps {
  // The handler uses only the catalog, what was committed, the progress registry, the clock and the log.
  const cat = catalog();
  return {
    metaStore: { catalog: () => cat, lastLogId: () => META_LAST_LOG_ID },
    storage: { space: (id: number) => (id === 1 ? { partitionNum: 3, partitionState: (part: number) => ({ lastLogId: PART_LAST_LOG_ID[part]!, lastTs: NOW }) } : undefined) },
    progress: new ProgressRegistry(),
    liveness: new Liveness({ heartbeatIntervalSecs: 1 }),
    now: () => NOW,
    log: silentLogger,
  } as unknown as RpcDeps;
}

const part = (p: number, over: Record<string, unknown> = {}) => ({
  part: p,
  shipping: true,
  acked_log_id: '12',
  acked_ts: String(NOW - 5),
  received_log_id: '15',
  received_ts: String(NOW - 1),
  ...over,
});

const report = (over: Partial<ProgressReportMsg> = {}): ProgressReportMsg => ({
  role: 'STORAGE_LISTENER',
  host: '127.0.0.1',
  port: 9789,
  space: 'basketballplayer',
  parts: [part(1), part(3)],
  ...over,
});

describe('ReportProgress', () => {
  it('records every part of a valid report, int64 text as numbers, stamped with the meta clock', () => {
    const d = deps();
    expect(acceptProgress(d, report())).toEqual({ code: 0, message: '' });
    const got = d.progress.forSpace('STORAGE_LISTENER', 'basketballplayer');
    expect([...got.keys()]).toEqual([1, 3]);
    expect(got.get(3)).toEqual({
      host: '127.0.0.1',
      port: 9789,
      atMs: NOW,
      progress: {
        part: 3,
        shipping: true,
        ackedLogId: 12,
        ackedTs: NOW - 5,
        receivedLogId: 15,
        receivedTs: NOW - 1,
        outstanding: 0,
        waitingSinceMs: undefined,
        positionUnknown: false,
        targetSpace: '',
        okAtMs: undefined,
        error: undefined,
        spaceId: 1,
      },
    });
  });

  it('turns the ages of a wait, a success and a failure into times on the meta clock', () => {
    const d = deps();
    const error = { code: -5, message: 'SpaceNotFound: r', count: '4', first_age_ms: '900', last_age_ms: '100' };
    const parts = [part(1, { outstanding: 2, unacked_ms: '700', ok_age_ms: '50', target_space: 'r', error, position_unknown: true })];
    expect(acceptProgress(d, report({ parts })).code).toBe(0);
    expect(d.progress.forSpace('STORAGE_LISTENER', 'basketballplayer').get(1)!.progress).toMatchObject({
      outstanding: 2,
      waitingSinceMs: NOW - 700,
      okAtMs: NOW - 50,
      targetSpace: 'r',
      positionUnknown: true,
      error: { code: -5, message: 'SpaceNotFound: r', count: 4, firstMs: NOW - 900, lastMs: NOW - 100 },
    });
  });

  it('drops the parts a reporter does not serve: another listener\'s partition, a space it does not sync, a drainer not added', () => {
    const d = deps();
    // Part 2 is the second storage listener's (round-robin); part 0 is the meta listener's.
    expect(acceptProgress(d, report({ parts: [part(0), part(1), part(2)] })).code).toBe(0);
    expect([...d.progress.forSpace('STORAGE_LISTENER', 'basketballplayer').keys()]).toEqual([1]);
    expect(acceptProgress(d, report({ port: 9999, parts: [part(1), part(3)] })).code).toBe(0);
    expect(d.progress.forSpace('STORAGE_LISTENER', 'basketballplayer').get(3)).toBeUndefined();
    expect(acceptProgress(d, report({ role: 'META_LISTENER', port: 9569, parts: [part(0), part(1)] })).code).toBe(0);
    expect([...d.progress.forSpace('META_LISTENER', 'basketballplayer').keys()]).toEqual([0]);
    expect(acceptProgress(d, report({ space: 'other' })).code).toBe(0);
    expect(d.progress.forSpace('STORAGE_LISTENER', 'other').size).toBe(0);
    expect(acceptProgress(d, report({ role: 'DRAINER', port: 9888, space: 'r' })).code).toBe(0);
    expect(d.progress.forSpace('DRAINER', 'r').size).toBe(0);
  });

  it('refuses, recording nothing, a listener report claiming a log id the primary never committed', () => {
    const d = deps();
    // Part 3 holds entries up to 15: acknowledging 16 (or having received it) is impossible.
    for (const claim of [{ acked_log_id: '16' }, { acked_log_id: '12', received_log_id: '1000000' }]) {
      const reply = acceptProgress(d, report({ parts: [part(1), part(3, claim)] }));
      expect(reply.code).toBe(MetaCode.E_INVALID_HOST);
      expect(reply.message).toMatch(/part 3: log id \d+ is beyond the last one committed here \(15\)/);
    }
    expect(d.progress.forSpace('STORAGE_LISTENER', 'basketballplayer').size).toBe(0);
    // Partition 0 is checked against the meta WAL.
    const meta = acceptProgress(d, report({ role: 'META_LISTENER', port: 9569, parts: [part(0, { acked_log_id: '21', received_log_id: '21' })] }));
    expect(meta.code).toBe(MetaCode.E_INVALID_HOST);
    expect(d.progress.forSpace('META_LISTENER', 'basketballplayer').size).toBe(0);
    // Exactly what was committed is fine.
    expect(acceptProgress(d, report({ parts: [part(1, { acked_log_id: '15', received_log_id: '15' })] })).code).toBe(0);
    expect(acceptProgress(d, report({ role: 'META_LISTENER', port: 9569, parts: [part(0, { acked_log_id: '20', received_log_id: '20' })] })).code).toBe(0);
  });

  it('is served as Meta.ReportProgress', async () => {
    const d = deps();
    const handler = progressHandlers(d).meta['ReportProgress'] as (call: unknown, cb: (e: unknown, r: unknown) => void) => void;
    const reply = await new Promise((resolve) => handler({ request: report({ role: 'DRAINER', port: 9889, space: 'r' }), getPeer: () => 'ipv4:127.0.0.1:50000' }, (_e, r) => resolve(r)));
    expect(reply).toEqual({ code: 0, message: '' });
    expect(d.progress.forSpace('DRAINER', 'r').size).toBe(2);
  });

  it.each([
    ['a role that does not report', { role: 'STORAGE' }],
    ['an unknown role', { role: 'BOSS' }],
    ['no host', { host: '' }],
    ['port 0', { port: 0 }],
    ['port 70000', { port: 70000 }],
    ['no space', { space: '' }],
    ['a negative part', { parts: [part(-1)] }],
    ['a negative log id', { parts: [part(1, { acked_log_id: '-3' })] }],
    ['a failure without a code', { parts: [part(1, { error: { code: 0, message: 'x', count: '1', first_age_ms: '0', last_age_ms: '0' } })] }],
    ['a failure counted 0 times', { parts: [part(1, { error: { code: -5, message: 'x', count: '0', first_age_ms: '0', last_age_ms: '0' } })] }],
    ['a negative wait', { parts: [part(1, { outstanding: 1, unacked_ms: '-1' })] }],
    ['too many parts', { parts: Array.from({ length: REPORT_PARTS_MAX + 1 }, (_, i) => part(i % 1000)) }],
  ])('refuses %s with E_INVALID_HOST and records nothing', (_what, over) => {
    const d = deps();
    const reply = acceptProgress(d, report(over as Partial<ProgressReportMsg>));
    expect(reply.code).toBe(MetaCode.E_INVALID_HOST);
    expect(reply.message).toMatch(/invalid progress report/);
    for (const role of ['STORAGE_LISTENER', 'STORAGE', 'BOSS'] as const) {
      expect(d.progress.forSpace(role as 'STORAGE_LISTENER', (over as { space?: string }).space ?? 'basketballplayer').size).toBe(0);
    }
  });
});
