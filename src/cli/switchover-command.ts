/**
 * `nebula-sync switchover`: the seed's "Switch between primary and secondary clusters" in one
 * command, over the graph protocol (src/ops/switchover/switchover-run.ts does the work).
 *
 *   nebula-sync switchover --primary HOST:PORT --secondary HOST:PORT --space SPACE
 *     --new_meta_listener HOST:PORT --new_storage_listener HOST:PORT[,...] --new_drainer HOST:PORT[,...]
 *     [--target_space SPACE] [-u root -p PASSWORD] [--sync_timeout_secs N] [--dry_run]
 *
 * Exit codes: 0 switched (or, with --dry_run, the steps printed), 1 a guard refused and nothing
 * changed, 2 an error (what was done was taken back, or the output says what to run by hand).
 */
import { Command, InvalidArgumentError } from 'commander';
import { runSwitchover } from '../ops/switchover/switchover-run.ts';
import { SwitchoverExit, type Addr } from '../ops/switchover/switchover-types.ts';
import { addGraphSslOptions, graphClientTlsOrRefuse, type GraphSslFlags } from './graph-ssl-flags.ts';

/** Step 2's default wait for both status tables to read 0 / 0 and VERIFY SYNC to match. */
export const SYNC_TIMEOUT_SECS_DEFAULT = 60;
/** Connect and per-statement timeout: VERIFY SYNC of a large space takes a while. */
const STATEMENT_TIMEOUT_MS = 600_000;

function addr(text: string): Addr {
  const m = /^(.+):(\d{1,5})$/.exec(text.trim());
  const port = m === null ? NaN : Number(m[2]);
  if (m === null || !(port >= 1 && port <= 65535)) throw new Error(`expected HOST:PORT, not '${text}'`);
  return { host: m[1]!, port };
}

function addrs(text: string): Addr[] {
  return text.split(',').map((part) => addr(part));
}

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error('expected a positive integer');
  return n;
}

/** Commander's argument parsers throw its own error type for a clean "invalid argument" message. */
function parser<T>(parse: (text: string) => T): (text: string) => T {
  return (text) => {
    try {
      return parse(text);
    } catch (cause) {
      throw new InvalidArgumentError((cause as Error).message);
    }
  };
}

interface Flags extends GraphSslFlags {
  primary: Addr;
  secondary: Addr;
  space: string;
  target_space?: string;
  new_meta_listener: Addr;
  new_storage_listener: Addr[];
  new_drainer: Addr[];
  user: string;
  password: string;
  dry_run?: boolean;
  sync_timeout_secs: number;
  timeout: number;
}

export function switchoverCommand(): Command {
  const cmd = new Command('switchover')
    .description(
      "switch a synced space over to its secondary (the seed's seven steps, guarded): exit 0 done, 1 refused (nothing changed), 2 error",
    )
    .requiredOption('--primary <host:port>', "the old primary's graph service", parser(addr))
    .requiredOption('--secondary <host:port>', "the old secondary's graph service", parser(addr))
    .requiredOption('--space <name>', 'the synced space on the old primary')
    .option('--target_space <name>', 'its target space on the old secondary (default: what SHOW LISTENER SYNC says)')
    .requiredOption('--new_meta_listener <host:port>', "the new primary's meta listener (its meta_server_addrs: the old secondary's meta)", parser(addr))
    .requiredOption('--new_storage_listener <host:port,...>', "the new primary's storage listener(s)", parser(addrs))
    .requiredOption('--new_drainer <host:port,...>', "the new secondary's drainer(s) (meta_server_addrs: the old primary's meta)", parser(addrs))
    .option('-u, --user <name>', 'user name (root: SIGN IN DRAINER SERVICE is root only)', 'root')
    .option('-p, --password <password>', 'password', 'nebula')
    .option('--dry_run', 'print the seven steps as nGQL and change nothing')
    .option('--sync_timeout_secs <n>', 'how long step 2 waits for 0 / 0 and a matching VERIFY SYNC', parser(positiveInt), SYNC_TIMEOUT_SECS_DEFAULT)
    .option('--timeout <ms>', 'connect and per-statement timeout', parser(positiveInt), STATEMENT_TIMEOUT_MS);
  return addGraphSslOptions(cmd)
    // A usage mistake is an error (2), never 1, which says "refused, nothing changed".
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : SwitchoverExit.ERROR))
    .action(async (raw: Flags) => {
      const tls = graphClientTlsOrRefuse(raw, SwitchoverExit.ERROR);
      if (tls === 'refused') return;
      process.exitCode = await runSwitchover(
        {
          primary: raw.primary,
          secondary: raw.secondary,
          space: raw.space,
          ...(raw.target_space !== undefined ? { targetSpace: raw.target_space } : {}),
          newMetaListener: raw.new_meta_listener,
          newStorageListeners: raw.new_storage_listener,
          newDrainers: raw.new_drainer,
          user: raw.user,
          password: raw.password,
          dryRun: raw.dry_run === true,
          syncTimeoutMs: raw.sync_timeout_secs * 1000,
          statementTimeoutMs: raw.timeout,
          tls,
        },
        { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
      );
    });
}
