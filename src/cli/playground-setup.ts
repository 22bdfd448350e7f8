/**
 * The seed's Steps 1 and 2, run by the playground through the graph protocol as root, so that a
 * second start on the same data folder changes nothing: each step first looks whether it was
 * done (SHOW ...) and only then acts.
 */
import { GraphClient } from '../client/graph-client.ts';
import { sleep } from '../engine/sync/rpc-call.ts';
import type { Logger } from '../log.ts';
import type { DataSet, Value } from '../value/types.ts';
import {
  LOOPBACK,
  PORTS,
  type PlaygroundPorts,
  PRIMARY_SPACE,
  ROOT_PASSWORD,
  ROOT_USER,
  SPACE_OPTIONS,
  TARGET_SPACE,
} from './playground-topology.ts';

/** Bound on one statement's round trip. */
const STATEMENT_TIMEOUT_MS = 30_000;
/** How long listeners and the drainer may take to show up ONLINE after they are ready. */
export const HOSTS_ONLINE_TIMEOUT_MS = 60_000;
const POLL_MS = 250;

/** A cell as text: strings as they are, integers in decimal. */
function text(v: Value | undefined): string {
  return typeof v === 'string' ? v : typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

/** The rows of `data` as column name -> text. */
export function records(data: DataSet | undefined): Record<string, string>[] {
  if (data === undefined) return [];
  return data.rows.map((row) => Object.fromEntries(data.columns.map((c, i) => [c, text(row[i])])));
}

/** A logged-in root session on one cluster; a refused statement rejects with its message. */
export class SetupSession {
  private constructor(
    private readonly client: GraphClient,
    readonly title: string,
  ) {}

  static async open(title: string, port: number): Promise<SetupSession> {
    const client = await GraphClient.connect({ host: LOOPBACK, port, timeoutMs: STATEMENT_TIMEOUT_MS });
    const auth = await client.authenticate(ROOT_USER, ROOT_PASSWORD);
    if (!auth.ok) {
      await client.close();
      throw new Error(`cannot log in to the ${title} as ${ROOT_USER}/${ROOT_PASSWORD}: ${auth.error.message}`);
    }
    return new SetupSession(client, title);
  }

  async run(stmt: string): Promise<Record<string, string>[]> {
    const resp = await this.client.execute(stmt);
    if (resp.errorCode !== 0) throw new Error(`${this.title}: \`${stmt}' failed: ${resp.errorMsg ?? `error ${resp.errorCode}`}`);
    return records(resp.data);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

const isHost = (row: Record<string, string>, port: number): boolean => row['Host'] === LOOPBACK && row['Port'] === String(port);

/** ADD HOSTS unless SHOW HOSTS STORAGE lists it already. */
async function ensureStorageHost(s: SetupSession, port: number, log: Logger): Promise<void> {
  const rows = await s.run('SHOW HOSTS STORAGE');
  if (rows.some((r) => isHost(r, port))) return;
  log.info('adding storage host', { cluster: s.title, host: `${LOOPBACK}:${port}` });
  await s.run(`ADD HOSTS ${LOOPBACK}:${port}`);
}

/** Poll SHOW HOSTS <role> until host:port is ONLINE. */
async function waitOnline(s: SetupSession, role: string, port: number, signal: AbortSignal, log: Logger): Promise<void> {
  const deadline = Date.now() + HOSTS_ONLINE_TIMEOUT_MS;
  log.info('waiting for host', { cluster: s.title, role, host: `${LOOPBACK}:${port}` });
  while (!signal.aborted) {
    const rows = await s.run(`SHOW HOSTS ${role}`);
    if (rows.some((r) => isHost(r, port) && r['Status'] === 'ONLINE')) return;
    if (Date.now() > deadline) {
      throw new Error(`${s.title}: SHOW HOSTS ${role} did not show ${LOOPBACK}:${port} ONLINE within ${HOSTS_ONLINE_TIMEOUT_MS} ms`);
    }
    await sleep(POLL_MS, signal);
  }
  throw new Error('stopped while waiting for hosts');
}

/** Step 2 on the primary: the space, the drainer service, the listener sync. */
async function primaryStep2(s: SetupSession, log: Logger, ports: PlaygroundPorts): Promise<void> {
  await s.run(`CREATE SPACE IF NOT EXISTS ${PRIMARY_SPACE}(${SPACE_OPTIONS})`);
  await s.run(`USE ${PRIMARY_SPACE}`);
  const clients = await s.run('SHOW DRAINER CLIENTS');
  if (!clients.some((r) => isHost(r, ports.drainer))) {
    log.info('signing in the drainer service', { space: PRIMARY_SPACE });
    await s.run(`SIGN IN DRAINER SERVICE(${LOOPBACK}:${ports.drainer})`);
  }
  const listeners = await s.run('SHOW LISTENER SYNC');
  if (listeners.length === 0) {
    log.info('adding the listener sync', { space: PRIMARY_SPACE, target: TARGET_SPACE });
    await s.run(
      `ADD LISTENER SYNC META ${LOOPBACK}:${ports.metaListener} STORAGE ${LOOPBACK}:${ports.storageListener} TO SPACE ${TARGET_SPACE}`,
    );
  }
}

/** Step 2 on the secondary: the target space, its drainer, read_only. */
async function secondaryStep2(s: SetupSession, log: Logger, ports: PlaygroundPorts): Promise<void> {
  await s.run(`CREATE SPACE IF NOT EXISTS ${TARGET_SPACE}(${SPACE_OPTIONS})`);
  await s.run(`USE ${TARGET_SPACE}`);
  const drainers = await s.run('SHOW DRAINERS');
  if (drainers.length === 0) {
    log.info('adding the drainer', { space: TARGET_SPACE });
    await s.run(`ADD DRAINER ${LOOPBACK}:${ports.drainer}`);
  }
  await s.run('SET VARIABLES read_only=true');
}

/**
 * Steps 1-2 of the seed against the running playground clusters. Safe to run again: whatever is
 * there already is left as it is.
 */
export async function runSeedSetup(log: Logger, signal: AbortSignal, ports: PlaygroundPorts = PORTS): Promise<void> {
  const primary = await SetupSession.open('primary cluster', ports.primary.graph);
  try {
    const secondary = await SetupSession.open('secondary cluster', ports.secondary.graph);
    try {
      // Step 1: storage hosts, and the listeners and the drainer registered.
      await ensureStorageHost(primary, ports.primary.storage, log);
      await waitOnline(primary, 'STORAGE LISTENER', ports.storageListener, signal, log);
      await waitOnline(primary, 'META LISTENER', ports.metaListener, signal, log);
      await ensureStorageHost(secondary, ports.secondary.storage, log);
      await waitOnline(secondary, 'DRAINER', ports.drainer, signal, log);
      // Step 2: the synchronization itself.
      await primaryStep2(primary, log, ports);
      await secondaryStep2(secondary, log, ports);
    } finally {
      await secondary.close();
    }
  } finally {
    await primary.close();
  }
}
