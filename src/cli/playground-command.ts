/**
 * `nebula-sync playground` (`npm start`): the seed's whole test environment on loopback. It starts
 * the primary and secondary clusters, the meta and storage listeners and the drainer as child
 * processes, runs the seed's Steps 1 and 2 on a fresh --data_path, prints where everything listens
 * and how to connect, and stops every child on Ctrl-C. All data and logs live under --data_path,
 * so a second start resumes as the first was left: it runs no set-up statement and prints what it
 * found (playground-state.ts); --reset removes the folder's playground data first and starts from
 * scratch. On first start it also makes a throwaway CA and one certificate per process (with the
 * openssl binary) in <data_path>/tls, and every internal link runs mutual TLS.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { createLogger, type Logger } from '../log.ts';
import { addFlags, resolveFlags, type FlagSpec } from './flags.ts';
import { resetDataPath } from './playground-reset.ts';
import { setUpOrResume, type Bringup } from './playground-setup.ts';
import { firstUnavailablePort } from './port-probe.ts';
import { PlaygroundSupervisor } from './playground-supervisor.ts';
import { allProcesses, bannerText, certSubjects, LOOPBACK, playgroundLayout, PORTS_MAX, shiftedPorts, type PlaygroundLayout } from './playground-topology.ts';
import { PORT_MAX } from './flags.ts';
import { runUntilSignal } from './run-until-signal.ts';
import { ensureCerts } from './tls-certs.ts';

export const playgroundFlags: readonly FlagSpec[] = [
  { name: 'data_path', kind: 'path', default: 'data/playground', help: 'folder for every process (one sub-folder each) and logs/' },
  {
    name: 'heartbeat_interval_secs',
    kind: 'int',
    default: 2,
    min: 1,
    help: 'heartbeat interval of every process; short so a stopped process shows OFFLINE within seconds',
  },
  {
    name: 'port_offset',
    kind: 'int',
    default: 0,
    min: 0,
    max: PORT_MAX - PORTS_MAX,
    help: 'added to every port (9669 becomes 9669+N, ...), to run beside something that holds the seed\'s ports',
  },
  {
    name: 'reset',
    kind: 'bool',
    default: false,
    help: "start from scratch: remove the playground's data in --data_path (its process folders, logs, certificates) first",
  },
];

/** Start everything, then set up a fresh folder or describe a resumed one; rejects with what went wrong. */
async function bringUp(layout: PlaygroundLayout, supervisor: PlaygroundSupervisor, log: Logger, signal: AbortSignal): Promise<Bringup> {
  await supervisor.start(layout.clusters);
  await supervisor.start(layout.syncProcesses);
  return setUpOrResume(log, signal, layout.dataPath, layout.ports);
}

export function playgroundCommand(): Command {
  const cmd = new Command('playground').description(
    'start a primary and a secondary cluster, the listeners and a drainer on loopback, and set up the seed\'s sync',
  );
  addFlags(cmd, playgroundFlags);
  cmd.action(async () => {
    const log = createLogger({ process: 'playground' });
    const flags = resolveFlags(cmd, playgroundFlags, log);
    if (flags instanceof Error) return cmd.error(`error: ${flags.message}`);
    const heartbeatSecs = Number(flags['heartbeat_interval_secs']);
    const layout = playgroundLayout(resolve(String(flags['data_path'])), heartbeatSecs, shiftedPorts(Number(flags['port_offset'])));

    const unavailable = await firstUnavailablePort(LOOPBACK, allProcesses(layout).flatMap((p) => p.ports));
    if (unavailable !== undefined) {
      const why = unavailable.code === 'EADDRINUSE' ? 'is already in use' : `cannot be bound (${unavailable.code})`;
      return cmd.error(
        `error: port ${unavailable.port} on ${LOOPBACK} (the ${unavailable.what}) ${why}. ` +
          'The playground uses fixed ports; stop whatever holds it (another playground?) or move every port with --port_offset.',
      );
    }
    if (flags['reset'] === true) {
      const removed = resetDataPath(layout);
      if (removed instanceof Error) return cmd.error(`error: ${removed.message}`);
      process.stdout.write(
        removed.length === 0
          ? `--reset: ${layout.dataPath} holds no playground data; starting from scratch.\n`
          : `--reset: removed ${removed.join(', ')}; starting from scratch.\n`,
      );
    }
    mkdirSync(layout.logDir, { recursive: true });
    const certs = ensureCerts(layout.tlsDir, certSubjects(layout));
    if (certs instanceof Error) return cmd.error(`error: cannot make the playground's TLS certificates: ${certs.message}`);
    log.info(certs.createdCa ? 'made a throwaway CA and one certificate per process' : 'reusing the TLS certificates', { dir: layout.tlsDir });
    log.info('internal links are mTLS (mutual TLS); graph ports are plaintext');

    const abort = new AbortController();
    const supervisor: PlaygroundSupervisor = new PlaygroundSupervisor({
      logDir: layout.logDir,
      log,
      onUnexpectedExit: (proc, code, signal) => {
        process.stderr.write(
          `error: the ${proc.title} exited on its own (code ${String(code)}, signal ${String(signal)}); ` +
            `see ${layout.logDir}/${proc.name}.log. Stopping the others.\n`,
        );
        void fail();
      },
    });
    const fail = async (): Promise<void> => {
      abort.abort();
      await supervisor.stopAll();
      process.exit(1);
    };
    // An exit that skipped the stop (an uncaught error) kills what still runs. A death by a signal
    // runs no handler; then each child sees its stdin pipe close and stops (children.ts).
    process.once('exit', () => supervisor.killAllNow());
    void runUntilSignal(async () => {
      abort.abort();
      await supervisor.stopAll();
    }, log);

    let bringup: Bringup;
    try {
      bringup = await bringUp(layout, supervisor, log, abort.signal);
    } catch (cause) {
      // A stop asked for while starting makes the start fail; that is no error of its own.
      if (supervisor.stopping) return;
      process.stderr.write(`error: ${(cause as Error).message}\n`);
      await fail();
      return;
    }
    process.stdout.write(`${bannerText(layout, bringup)}\n`);
    const { primary, secondary } = layout.ports;
    process.stdout.write(`nebula-sync playground ready primary=${LOOPBACK}:${primary.graph} secondary=${LOOPBACK}:${secondary.graph}\n`);
    log.info('playground ready', { pids: supervisor.pids() });
  });
  return cmd;
}
