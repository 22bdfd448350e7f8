/**
 * The seed's Steps 1 and 2, run by the playground through the graph protocol as root on a fresh
 * data folder (playground-state.ts decides; a folder set up before is resumed without them). Each
 * step first looks whether it was done (SHOW ...) and only then acts, so a set-up cut short by a
 * crash finishes on the next start.
 */
import { sleep } from '../engine/sync/rpc-call.ts';
import type { Logger } from '../log.ts';
import { GraphSession } from '../ops/graph-session.ts';
import { describePlayground, markSetupDone, seedSpacesExist, setupDone } from './playground-state.ts';
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

/** How long listeners and the drainer may take to show up ONLINE after they are ready. */
export const HOSTS_ONLINE_TIMEOUT_MS = 60_000;
const POLL_MS = 250;

/** A root session on one playground cluster. */
export function openSession(title: string, port: number): Promise<GraphSession> {
  return GraphSession.open({ title, host: LOOPBACK, port, user: ROOT_USER, password: ROOT_PASSWORD });
}

const isHost = (row: Record<string, string>, port: number): boolean => row['Host'] === LOOPBACK && row['Port'] === String(port);

/** ADD HOSTS unless SHOW HOSTS STORAGE lists it already. */
async function ensureStorageHost(s: GraphSession, port: number, log: Logger): Promise<void> {
  const rows = await s.run('SHOW HOSTS STORAGE');
  if (rows.some((r) => isHost(r, port))) return;
  log.info('adding storage host', { cluster: s.title, host: `${LOOPBACK}:${port}` });
  await s.run(`ADD HOSTS ${LOOPBACK}:${port}`);
}

/** Poll SHOW HOSTS <role> until host:port is ONLINE. */
async function waitOnline(s: GraphSession, role: string, port: number, signal: AbortSignal, log: Logger): Promise<void> {
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
async function primaryStep2(s: GraphSession, log: Logger, ports: PlaygroundPorts): Promise<void> {
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
async function secondaryStep2(s: GraphSession, log: Logger, ports: PlaygroundPorts): Promise<void> {
  await s.run(`CREATE SPACE IF NOT EXISTS ${TARGET_SPACE}(${SPACE_OPTIONS})`);
  await s.run(`USE ${TARGET_SPACE}`);
  const drainers = await s.run('SHOW DRAINERS');
  if (drainers.length === 0) {
    log.info('adding the drainer', { space: TARGET_SPACE });
    await s.run(`ADD DRAINER ${LOOPBACK}:${ports.drainer}`);
  }
  await s.run('SET VARIABLES read_only=true');
}

/** Steps 1-2 of the seed against the running playground clusters. */
async function seedSteps(primary: GraphSession, secondary: GraphSession, log: Logger, signal: AbortSignal, ports: PlaygroundPorts): Promise<void> {
  // Step 1: storage hosts, and the listeners and the drainer registered.
  await ensureStorageHost(primary, ports.primary.storage, log);
  await waitOnline(primary, 'STORAGE LISTENER', ports.storageListener, signal, log);
  await waitOnline(primary, 'META LISTENER', ports.metaListener, signal, log);
  await ensureStorageHost(secondary, ports.secondary.storage, log);
  await waitOnline(secondary, 'DRAINER', ports.drainer, signal, log);
  // Step 2: the synchronization itself.
  await primaryStep2(primary, log, ports);
  await secondaryStep2(secondary, log, ports);
}

/** What the playground did to the clusters it started. */
export interface Bringup {
  /** The folder had been set up before: no set-up statement ran. */
  readonly resumed: boolean;
  /** On a resumed start, what the clusters hold (playground-state.ts), one line each. */
  readonly found: readonly string[];
}

/**
 * A fresh data folder gets the seed's Steps 1-2; one set up before is left exactly as it is and
 * described instead (no set-up statement runs: a writable space stays writable, a switchover
 * stays switched).
 */
export async function setUpOrResume(log: Logger, signal: AbortSignal, dataPath: string, ports: PlaygroundPorts = PORTS): Promise<Bringup> {
  const primary = await openSession('primary cluster', ports.primary.graph);
  try {
    const secondary = await openSession('secondary cluster', ports.secondary.graph);
    try {
      let resumed = setupDone(dataPath);
      if (!resumed && (await seedSpacesExist(primary, secondary))) {
        log.info('both seed spaces exist: this folder was set up by an older playground; resuming it as it is', { dataPath });
        markSetupDone(dataPath, Date.now());
        resumed = true;
      }
      if (resumed) {
        log.info('resuming: this data folder was set up before, so no set-up statement runs', { dataPath });
        const clusters = [
          { title: 'primary cluster', port: ports.primary.graph, session: primary },
          { title: 'secondary cluster', port: ports.secondary.graph, session: secondary },
        ];
        return { resumed, found: await describePlayground(clusters, signal) };
      }
      await seedSteps(primary, secondary, log, signal, ports);
      markSetupDone(dataPath, Date.now());
      return { resumed, found: [] };
    } finally {
      await secondary.close();
    }
  } finally {
    await primary.close();
  }
}
