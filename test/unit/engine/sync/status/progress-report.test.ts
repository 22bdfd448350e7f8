// Pins Meta.ReportProgress: a well-formed report from a listener or drainer is recorded with the meta's clock; a wrong role, address, space or part list is refused with E_INVALID_HOST and records nothing.
import { describe, expect, it } from 'vitest';
import { Liveness } from '../../../../../src/engine/meta/liveness.ts';
import { ProgressRegistry } from '../../../../../src/engine/meta/progress.ts';
import type { ProgressReportMsg } from '../../../../../src/engine/sync/wire.ts';
import { MetaCode } from '../../../../../src/errors.ts';
import { silentLogger } from '../../../../../src/log.ts';
import { acceptProgress, progressHandlers, REPORT_PARTS_MAX } from '../../../../../src/server/rpc/progress-handlers.ts';
import type { RpcDeps } from '../../../../../src/server/rpc/rpc-deps.ts';

const NOW = 1_700_000_000_000;

function deps(): RpcDeps {
  // The handler uses only the progress registry, the clock and the log.
  return {
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
  parts: [part(1), part(2)],
  ...over,
});

describe('ReportProgress', () => {
  it('records every part of a valid report, int64 text as numbers, stamped with the meta clock', () => {
    const d = deps();
    expect(acceptProgress(d, report())).toEqual({ code: 0, message: '' });
    const got = d.progress.forSpace('STORAGE_LISTENER', 'basketballplayer');
    expect([...got.keys()]).toEqual([1, 2]);
    expect(got.get(2)).toEqual({
      host: '127.0.0.1',
      port: 9789,
      atMs: NOW,
      progress: { part: 2, shipping: true, ackedLogId: 12, ackedTs: NOW - 5, receivedLogId: 15, receivedTs: NOW - 1 },
    });
  });

  it('is served as Meta.ReportProgress', async () => {
    const d = deps();
    const handler = progressHandlers(d).meta['ReportProgress'] as (call: unknown, cb: (e: unknown, r: unknown) => void) => void;
    const reply = await new Promise((resolve) => handler({ request: report({ role: 'DRAINER', space: 'r' }) }, (_e, r) => resolve(r)));
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
