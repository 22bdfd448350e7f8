// Pins the switchover runner against two stand-in clusters that keep the sync statements' state: the seven steps in the seed's order with the old primary read-only throughout; preflight refusals change nothing (exit 1); a refused guard takes step 1 back (exit 1); a failed later step takes back every statement done, last first, in an order that works (exit 2, both clusters as before); and when taking back fails too, it names the step and prints both ways to finish by hand.
import { describe, expect, it } from 'vitest';
import { StatementError, type StatementSession } from '../../../src/ops/graph-session.ts';
import { runSwitchover } from '../../../src/ops/switchover/switchover-run.ts';
import type { Side, SwitchoverOptions } from '../../../src/ops/switchover/switchover-types.ts';
import type { ExecutionResponse } from '../../../src/server/graph-handler.ts';
import { dataSet } from '../../../src/value/types.ts';

const options: SwitchoverOptions = {
  primary: { host: '10.0.0.1', port: 9669 },
  secondary: { host: '10.0.0.2', port: 9669 },
  space: 'bp',
  newMetaListener: { host: '10.0.0.5', port: 9569 },
  newStorageListeners: [{ host: '10.0.0.5', port: 9789 }],
  newDrainers: [{ host: '10.0.0.6', port: 9889 }],
  user: 'root',
  password: 'nebula',
  dryRun: false,
  syncTimeoutMs: 300,
  statementTimeoutMs: 1_000,
};

/** The sync state of one space on one cluster, as the statements change it. */
interface SpaceState {
  readOnly: boolean;
  listener: { meta: string; storage: string[]; target: string } | null;
  drainerClients: string[];
  drainers: string[];
}

const quoted = (addr: string) => `"${addr.split(':')[0]}":${addr.split(':')[1]}`;
const addrs = (text: string) => text.split(',').map((s) => s.trim());

/** A cluster that understands just the statements a switchover sends. */
class FakeCluster implements StatementSession {
  readonly log: string[] = [];
  failOn: RegExp | undefined;
  lag = 0;
  match = true;

  constructor(
    readonly title: string,
    readonly state: SpaceState,
    private readonly hosts: Record<string, string[]>,
  ) {}

  async run(stmt: string): Promise<Record<string, string>[]> {
    if (!/^(USE|SHOW|GET)/.test(stmt)) this.log.push(stmt);
    if (this.failOn?.test(stmt)) throw new StatementError(`${this.title}: \`${stmt}' failed: Boom`, stmt, -1005, 'Boom');
    const s = this.state;
    let m: RegExpExecArray | null;
    if (stmt.startsWith('USE')) return [];
    if (stmt === 'GET VARIABLES read_only') return [{ name: 'read_only', type: 'bool', value: String(s.readOnly) }];
    if ((m = /^SET VARIABLES read_only=(true|false)$/.exec(stmt))) s.readOnly = m[1] === 'true';
    else if (stmt === 'SHOW LISTENER SYNC')
      return s.listener === null
        ? []
        : [0, 1, 2].map((p) => ({ PartId: String(p), Host: quoted(p === 0 ? s.listener!.meta : s.listener!.storage[0]!), SpaceName: s.listener!.target, Status: 'ONLINE' }));
    else if (stmt === 'SHOW DRAINER CLIENTS') return s.drainerClients.map((d) => ({ Type: 'DRAINER', Host: d.split(':')[0]!, Port: d.split(':')[1]! }));
    else if (stmt === 'SHOW DRAINERS') return s.drainers.map((d) => ({ Host: quoted(d), Status: 'ONLINE' }));
    else if ((m = /^SHOW HOSTS (.+)$/.exec(stmt))) return (this.hosts[m[1]!] ?? []).map((h) => ({ Host: h.split(':')[0]!, Port: h.split(':')[1]!, Status: 'ONLINE' }));
    else if (stmt === 'SHOW SYNC STATUS' || stmt === 'SHOW DRAINER SYNC STATUS')
      return [0, 1, 2].map((p) => ({ PartId: String(p), 'Sync Status': 'ONLINE', 'LogId Lag': String(p === 1 ? this.lag : 0), 'Time Latency': String(p === 1 ? this.lag * 10 : 0) }));
    else if (stmt === 'SIGN OUT DRAINER SERVICE') s.drainerClients = [];
    else if ((m = /^SIGN IN DRAINER SERVICE\((.+)\)$/.exec(stmt))) s.drainerClients = addrs(m[1]!);
    else if (stmt === 'REMOVE DRAINER') s.drainers = [];
    else if ((m = /^ADD DRAINER (.+)$/.exec(stmt))) s.drainers = addrs(m[1]!);
    else if (stmt === 'REMOVE LISTENER SYNC') s.listener = null;
    else if ((m = /^ADD LISTENER SYNC META (\S+) STORAGE (.+) TO SPACE (\S+)$/.exec(stmt))) {
      if (s.drainerClients.length === 0) throw new StatementError('NoValidDrainer', stmt, -1005, 'NoValidDrainer: sign in one first');
      s.listener = { meta: m[1]!, storage: addrs(m[2]!), target: m[3]! };
    } else throw new Error(`the fake does not know ${stmt}`);
    return [];
  }

  async execute(stmt: string): Promise<ExecutionResponse> {
    if (stmt !== 'VERIFY SYNC') {
      try {
        await this.run(stmt);
        return { errorCode: 0, latencyUs: 0, spaceName: '' };
      } catch (cause) {
        return { errorCode: -1005, latencyUs: 0, spaceName: '', errorMsg: (cause as Error).message };
      }
    }
    const rows = [0, 1, 2].map((p) => [BigInt(p), 7n, 10n, 'aa', this.match || p !== 2 ? 'aa' : 'bb', this.match || p !== 2]);
    return { errorCode: 0, latencyUs: 0, spaceName: 'bp', data: dataSet(['PartId', 'LogId', 'Rows', 'Primary checksum', 'Secondary checksum', 'Match'], rows) };
  }

  async close(): Promise<void> {}
}

function clusters(): { p: FakeCluster; s: FakeCluster } {
  const p = new FakeCluster(
    'old primary',
    { readOnly: false, listener: { meta: '10.0.0.3:9569', storage: ['10.0.0.3:9789'], target: 'rbp' }, drainerClients: ['10.0.0.4:9889'], drainers: [] },
    { DRAINER: ['10.0.0.6:9889'] },
  );
  const s = new FakeCluster(
    'old secondary',
    { readOnly: true, listener: null, drainerClients: [], drainers: ['10.0.0.4:9889'] },
    { 'META LISTENER': ['10.0.0.5:9569'], 'STORAGE LISTENER': ['10.0.0.5:9789'] },
  );
  return { p, s };
}

async function switchover(p: FakeCluster, s: FakeCluster, o: Partial<SwitchoverOptions> = {}) {
  let out = '';
  let err = '';
  const code = await runSwitchover({ ...options, ...o }, { out: (t) => (out += t), err: (t) => (err += t) }, async (side: Side) => (side === 'primary' ? p : s));
  return { code, out, err };
}

const snapshot = (c: FakeCluster) => JSON.stringify(c.state);

describe('runSwitchover', () => {
  it("runs the seed's seven steps in order, keeping the old primary read-only from step 1 on", async () => {
    const { p, s } = clusters();
    const run = await switchover(p, s);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(p.log).toEqual(['SET VARIABLES read_only=true', 'SIGN OUT DRAINER SERVICE', 'REMOVE LISTENER SYNC', 'ADD DRAINER 10.0.0.6:9889', 'SET VARIABLES read_only=true']);
    expect(s.log).toEqual([
      'SET VARIABLES read_only=false',
      'REMOVE DRAINER',
      'SIGN IN DRAINER SERVICE(10.0.0.6:9889)',
      'ADD LISTENER SYNC META 10.0.0.5:9569 STORAGE 10.0.0.5:9789 TO SPACE bp',
    ]);
    expect(p.state).toEqual({ readOnly: true, listener: null, drainerClients: [], drainers: ['10.0.0.6:9889'] });
    expect(s.state).toEqual({ readOnly: false, listener: { meta: '10.0.0.5:9569', storage: ['10.0.0.5:9789'], target: 'bp' }, drainerClients: ['10.0.0.6:9889'], drainers: [] });
    expect(run.out).toMatch(/Rows lost: 0 \(VERIFY SYNC at the read-only cut: 20 rows in 2 partitions/);
    expect(run.out).toMatch(/Writes were refused for \d+ ms: from step 1/);
  });

  it('refuses before step 1, changing nothing, when the switchover could not finish', async () => {
    const cases: [string, (p: FakeCluster, s: FakeCluster) => void, RegExp][] = [
      ['no listener sync', (p) => (p.state.listener = null), /has no listener sync/],
      ['the new drainer is not up', (p) => (p['hosts' as never] as unknown as Record<string, string[]>)['DRAINER'] = [], /10\.0\.0\.6:9889 is not ONLINE in SHOW HOSTS DRAINER/],
      ['another secondary', (_p, s) => (s.state.drainers = ['10.0.0.9:9889']), /was added none of the drainers/],
      ['the target already syncs elsewhere', (_p, s) => (s.state.listener = { meta: 'x:1', storage: ['x:2'], target: 'z' }), /already syncs to a space of its own/],
      ['a wrong --target_space', () => undefined, /syncs to rbp, not to other/],
    ];
    for (const [what, spoil, message] of cases) {
      const { p, s } = clusters();
      spoil(p, s);
      const before = [snapshot(p), snapshot(s)];
      const run = await switchover(p, s, what.includes('target_space') ? { targetSpace: 'other' } : {});
      expect(run.code, what).toBe(1);
      expect(run.err, what).toMatch(message);
      expect(run.err, what).toMatch(/Nothing was changed/);
      expect([p.log, s.log], what).toEqual([[], []]);
      expect([snapshot(p), snapshot(s)], what).toEqual(before);
    }
  });

  it('takes step 1 back when the guard refuses: a lag that stays, or VERIFY SYNC differing', async () => {
    for (const spoil of [(p: FakeCluster) => (p.lag = 3), (p: FakeCluster) => (p.match = false)]) {
      const { p, s } = clusters();
      spoil(p);
      const before = [snapshot(p), snapshot(s)];
      const run = await switchover(p, s);
      expect(run.code).toBe(1);
      expect(run.err).toMatch(/Refused at step 2: (after 0 s \(--sync_timeout_secs\): SHOW SYNC STATUS on the old primary is not at 0 \/ 0 \(part 1: lag 3, latency 30 ms\)|VERIFY SYNC: partitions 2 differ)/);
      expect(p.log).toEqual(['SET VARIABLES read_only=true', 'SET VARIABLES read_only=false']);
      expect([snapshot(p), snapshot(s)]).toEqual(before);
    }
  });

  it('takes back every statement done when a later step fails, last first, so both clusters are as before', async () => {
    const { p, s } = clusters();
    const before = [snapshot(p), snapshot(s)];
    s.failOn = /^ADD LISTENER SYNC/;
    const run = await switchover(p, s);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/^Step 7 failed: old secondary: `ADD LISTENER SYNC META 10\.0\.0\.5:9569 .*' failed: Boom/);
    expect(run.out).toMatch(/as they were before the switchover/);
    const takenBack = [...run.out.matchAll(/taken back \(step (\d)[^)]*\): (.+)/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(takenBack).toEqual([
      '7 SIGN OUT DRAINER SERVICE',
      '6 REMOVE DRAINER',
      '5 SIGN IN DRAINER SERVICE(10.0.0.4:9889)',
      '5 ADD LISTENER SYNC META 10.0.0.3:9569 STORAGE 10.0.0.3:9789 TO SPACE rbp',
      '4 ADD DRAINER 10.0.0.4:9889',
      '3 SET VARIABLES read_only=true',
      '1 SET VARIABLES read_only=false',
    ]);
    expect([snapshot(p), snapshot(s)]).toEqual(before);
  });

  it('says which step failed and how to finish by hand when taking back fails too', async () => {
    const { p, s } = clusters();
    p.failOn = /^(REMOVE LISTENER SYNC|SIGN IN DRAINER SERVICE)/;
    const run = await switchover(p, s);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/Step 5 failed: .*REMOVE LISTENER SYNC/);
    expect(run.err).toMatch(/Could not take back step 5 \(SIGN IN DRAINER SERVICE\(10\.0\.0\.4:9889\)\)/);
    expect(run.err).toMatch(/stopped at step 5 and could not take everything back/);
    const back = run.err.slice(run.err.indexOf('To return'), run.err.indexOf('Or, once'));
    expect(back).toContain('-- step 5, on the old primary 10.0.0.1:9669:\n  USE bp;\n  SIGN IN DRAINER SERVICE(10.0.0.4:9889);');
    expect(back).toContain('-- step 4, on the old secondary 10.0.0.2:9669:\n  USE rbp;\n  ADD DRAINER 10.0.0.4:9889;');
    expect(back).toContain('-- step 1, on the old primary 10.0.0.1:9669:\n  USE bp;\n  SET VARIABLES read_only=false;');
    const forward = run.err.slice(run.err.indexOf('Or, once'));
    expect(forward).toContain('USE bp;\n  REMOVE LISTENER SYNC;');
    expect(forward).toContain('ADD LISTENER SYNC META 10.0.0.5:9569 STORAGE 10.0.0.5:9789 TO SPACE bp;');
    expect(forward).not.toContain('SIGN OUT DRAINER SERVICE;\n  REMOVE LISTENER SYNC');
  });

  it('after a partial take-back, the way forward lists exactly what is no longer done', async () => {
    const { p, s } = clusters();
    s.failOn = /^(ADD LISTENER SYNC|ADD DRAINER)/;
    const run = await switchover(p, s);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/Could not take back step 4 \(ADD DRAINER 10\.0\.0\.4:9889\)/);
    const back = run.err.slice(run.err.indexOf('To return'), run.err.indexOf('Or, once'));
    expect([...back.matchAll(/-- step (\d)/g)].map((m) => m[1])).toEqual(['4', '3', '1']);
    const forward = run.err.slice(run.err.indexOf('Or, once'));
    expect([...forward.matchAll(/-- step (\d)/g)].map((m) => m[1])).toEqual(['5', '6', '7']);
    expect(forward).toContain('SIGN OUT DRAINER SERVICE;\n  REMOVE LISTENER SYNC;');
    // Steps 5-7 were taken back: the old primary has its listener sync and drainer service again.
    expect(p.state).toMatchObject({ readOnly: true, drainerClients: ['10.0.0.4:9889'], drainers: [] });
    expect(p.state.listener).not.toBeNull();
  });

  it('--dry_run checks, prints the steps and changes nothing', async () => {
    const { p, s } = clusters();
    const run = await switchover(p, s, { dryRun: true });
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^Dry run: the checks passed/);
    expect(run.out).toContain('-- Step 5: stop the old direction on the old primary (old primary 10.0.0.1:9669)\nUSE bp;\nSIGN OUT DRAINER SERVICE;\nREMOVE LISTENER SYNC;');
    expect([p.log, s.log]).toEqual([[], []]);
  });
});
