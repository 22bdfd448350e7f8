/**
 * Step 2's guard: the switchover goes past step 2 only when everything the old primary committed
 * is on the old secondary. It waits (bounded by --sync_timeout_secs) until every row of SHOW SYNC
 * STATUS (old primary) and of SHOW DRAINER SYNC STATUS (old secondary) reads LogId Lag 0 and Time
 * Latency 0, as the seed says, and then asks for proof: VERIFY SYNC must match on every partition.
 * The old primary is read-only by then (step 1), so VERIFY's cut holds every write it ever
 * acknowledged: a match is 0 rows lost, and its row counts are what the switchover reports.
 */
import { sleep } from '../../engine/sync/rpc-call.ts';
import { records, type StatementSession } from '../graph-session.ts';

/** How often the status tables are read while step 2 waits. */
export const GUARD_POLL_MS = 250;

export type GuardOutcome =
  | {
      readonly ok: true;
      /** Rows of the space at the cut (partitions 1..N of VERIFY SYNC), the same on both sides. */
      readonly rows: number;
      readonly partitions: number;
      readonly waitedMs: number;
    }
  | { readonly ok: false; readonly reason: string };

/** Rows of a status table that do not read 0 / 0, as "part 3: lag 2, latency 120 ms". */
function lagging(rows: readonly Record<string, string>[]): string[] {
  return rows.filter((r) => r['LogId Lag'] !== '0' || r['Time Latency'] !== '0').map((r) => `part ${r['PartId']}: lag ${r['LogId Lag']}, latency ${r['Time Latency']} ms`);
}

/** Why the two tables do not both read 0 / 0 on every row, or undefined when they do. */
async function statusProblem(p: StatementSession, s: StatementSession): Promise<string | undefined> {
  const tables: [string, Record<string, string>[]][] = [
    [`SHOW SYNC STATUS on the ${p.title}`, await p.run('SHOW SYNC STATUS')],
    [`SHOW DRAINER SYNC STATUS on the ${s.title}`, await s.run('SHOW DRAINER SYNC STATUS')],
  ];
  for (const [what, rows] of tables) {
    if (rows.length === 0) return `${what} has no rows yet`;
    const behind = lagging(rows);
    if (behind.length > 0) return `${what} is not at 0 / 0 (${behind.slice(0, 4).join('; ')}${behind.length > 4 ? `; ${behind.length - 4} more` : ''})`;
  }
  return undefined;
}

/**
 * Wait for 0 / 0 in both tables, then VERIFY SYNC. `p` is in the space on the old primary, `s` in
 * the target space on the old secondary.
 */
export async function syncGuard(p: StatementSession, s: StatementSession, timeoutMs: number): Promise<GuardOutcome> {
  const started = performance.now();
  const deadline = started + timeoutMs;
  let problem = 'no status was read';
  for (;;) {
    const status = await statusProblem(p, s);
    if (status !== undefined) {
      problem = status;
    } else {
      const res = await p.execute('VERIFY SYNC');
      if (res.errorCode !== 0) {
        problem = `VERIFY SYNC could not compare: ${res.errorMsg ?? `error ${res.errorCode}`}`;
      } else {
        const parts = records(res.data);
        const differ = parts.filter((r) => r['Match'] !== 'true').map((r) => r['PartId']);
        // A mismatch at this cut is a real difference, not a lag: waiting will not mend it.
        if (differ.length > 0) return { ok: false, reason: `VERIFY SYNC: partitions ${differ.join(', ')} differ between the two clusters` };
        const data = parts.filter((r) => r['PartId'] !== '0');
        const rows = data.reduce((n, r) => n + Number(r['Rows']), 0);
        return { ok: true, rows, partitions: data.length, waitedMs: performance.now() - started };
      }
    }
    if (performance.now() >= deadline) return { ok: false, reason: `after ${Math.round(timeoutMs / 1000)} s (--sync_timeout_secs): ${problem}` };
    await sleep(GUARD_POLL_MS);
  }
}
