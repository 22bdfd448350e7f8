/**
 * Whether the playground's data folder was set up before, and what it holds, read through nGQL.
 * A folder that went through the seed's Steps 1-2 once (the marker file, or, for folders made
 * before the marker, both seed spaces) is resumed as it was left: no set-up statement runs, so a
 * space the user made writable stays writable and a switchover stays switched. What was found is
 * printed: per cluster and space, read_only, which space it syncs to (through which listeners and
 * drainers, shipping or not) and which drainers feed it.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from '../engine/sync/rpc-call.ts';
import type { StatementSession } from '../ops/graph-session.ts';
import { LOOPBACK, PRIMARY_SPACE, TARGET_SPACE } from './playground-topology.ts';

/** Written in the data folder once Steps 1-2 succeeded there. */
export const SETUP_MARKER = 'playground-setup.json';
/** How long a resumed playground waits for a listener sync's partitions to report ONLINE. */
export const RESUME_ONLINE_WAIT_MS = 10_000;
const POLL_MS = 250;

export function setupDone(dataPath: string): boolean {
  return existsSync(join(dataPath, SETUP_MARKER));
}

export function markSetupDone(dataPath: string, nowMs: number): void {
  writeFileSync(join(dataPath, SETUP_MARKER), `${JSON.stringify({ setUpAt: new Date(nowMs).toISOString() })}\n`);
}

/** Both seed spaces exist: a folder an older playground set up (before the marker was written). */
export async function seedSpacesExist(primary: StatementSession, secondary: StatementSession): Promise<boolean> {
  const has = async (s: StatementSession, name: string) => (await s.run('SHOW SPACES')).some((r) => r['Name'] === name);
  return (await has(primary, PRIMARY_SPACE)) && (await has(secondary, TARGET_SPACE));
}

/** `"127.0.0.1":9569` as 127.0.0.1:9569. */
const plain = (quoted: string): string => quoted.replace(/"/g, '');
const distinct = (items: readonly string[]): string[] => [...new Set(items)];

/** The rows of SHOW LISTENER SYNC once every partition is ONLINE, or at the deadline. */
async function listenerRows(s: StatementSession, deadlineMs: number, signal: AbortSignal): Promise<Record<string, string>[]> {
  for (;;) {
    const rows = await s.run('SHOW LISTENER SYNC');
    if (rows.every((r) => r['Status'] === 'ONLINE') || Date.now() >= deadlineMs || signal.aborted) return rows;
    await sleep(POLL_MS, signal);
  }
}

/** One line per space of the cluster behind `s`. */
async function describeCluster(s: StatementSession, deadlineMs: number, signal: AbortSignal): Promise<string[]> {
  const lines: string[] = [];
  for (const { Name: space } of await s.run('SHOW SPACES')) {
    await s.run(`USE \`${space}\``);
    const facts = [`read_only=${(await s.run('GET VARIABLES read_only'))[0]?.['value'] ?? '?'}`];
    const sync = await listenerRows(s, deadlineMs, signal);
    if (sync.length > 0) {
      const meta = sync.filter((r) => r['PartId'] === '0').map((r) => plain(r['Host']!));
      const storage = distinct(sync.filter((r) => r['PartId'] !== '0').map((r) => plain(r['Host']!)));
      const drainers = (await s.run('SHOW DRAINER CLIENTS')).map((r) => `${r['Host']}:${r['Port']}`);
      const online = sync.filter((r) => r['Status'] === 'ONLINE').length;
      const shipping =
        online === sync.length
          ? `shipping (${online}/${sync.length} partitions ONLINE)`
          : `not shipping on ${sync.length - online}/${sync.length} partitions (OFFLINE: stopped by STOP SYNC, which RESTART SYNC undoes, or not connected yet; see SHOW SYNC STATUS)`;
      facts.push(
        `syncs to ${sync[0]!['SpaceName']} (meta listener ${meta.join(', ')}, storage listener ${storage.join(', ')}, drainer ${drainers.join(', ') || 'none signed in'}): ${shipping}`,
      );
    }
    const feeding = (await s.run('SHOW DRAINERS')).map((r) => plain(r['Host']!));
    if (feeding.length > 0) facts.push(`receives through drainer ${feeding.join(', ')}`);
    lines.push(`    ${space}: ${facts.join('; ')}`);
  }
  return lines.length > 0 ? lines : ['    (no spaces)'];
}

/** What the two clusters hold, as the playground prints it on a resumed start. */
export async function describePlayground(
  clusters: readonly { readonly title: string; readonly port: number; readonly session: StatementSession }[],
  signal: AbortSignal,
): Promise<string[]> {
  const deadlineMs = Date.now() + RESUME_ONLINE_WAIT_MS;
  const lines: string[] = [];
  for (const c of clusters) {
    lines.push(`  ${c.title} ${LOOPBACK}:${c.port}:`, ...(await describeCluster(c.session, deadlineMs, signal)));
  }
  return lines;
}
