/**
 * `nebula-sync verify`: compare a primary space with its secondary from the command line.
 *
 *   nebula-sync verify --primary HOST:PORT [--secondary HOST:PORT] -u USER -p PASSWORD --space SPACE [--keys]
 *
 * One mechanism: it runs `VERIFY SYNC` on the primary's graph service, which does the whole
 * comparison (src/engine/sync/verify/VERIFY.md). With --secondary it first checks, through the
 * secondary's own graph service, that the target space exists there and was added the drainers
 * that the primary signed in, so the answer is about the cluster the operator named. Exit codes:
 * 0 every partition matches, 1 something differs, 2 the comparison could not be made.
 */
import { Command } from 'commander';
import { GraphClient } from '../client/graph-client.ts';
import { formatResult } from '../console/format.ts';
import type { ExecutionResponse } from '../server/graph-handler.ts';
import type { Value } from '../value/types.ts';
import { addGraphSslOptions, graphClientTlsOrRefuse, type GraphClientTls, type GraphSslFlags } from './graph-ssl-flags.ts';

export const VerifyExit = { MATCH: 0, DIFFERS: 1, ERROR: 2 } as const;

/** Connect and per-statement timeout: a verify of a large space takes a while. */
const DEFAULT_TIMEOUT_MS = 600_000;

export interface VerifyCommandOptions {
  readonly primary: string;
  readonly secondary?: string;
  readonly user: string;
  readonly password: string;
  readonly space: string;
  readonly keys: boolean;
  readonly timeoutMs: number;
  /** TLS to both graph ports (--enable_ssl); undefined = plaintext. */
  readonly tls?: GraphClientTls;
}

export interface VerifyIO {
  out(text: string): void;
  err(text: string): void;
}

class VerifyError extends Error {}

function addr(text: string, flag: string): { host: string; port: number } {
  const m = /^(.+):(\d{1,5})$/.exec(text.trim());
  const port = m === null ? NaN : Number(m[2]);
  if (m === null || !(port >= 1 && port <= 65535)) throw new VerifyError(`${flag} must be HOST:PORT, not '${text}'`);
  return { host: m[1]!, port };
}

async function signIn(where: string, flag: string, o: VerifyCommandOptions): Promise<GraphClient> {
  const { host, port } = addr(where, flag);
  let client: GraphClient;
  try {
    client = await GraphClient.connect({ host, port, timeoutMs: o.timeoutMs, tls: o.tls });
  } catch (cause) {
    throw new VerifyError(`cannot reach the graph service at ${where} (${flag}): ${(cause as Error).message}`);
  }
  const auth = await client.authenticate(o.user, o.password);
  if (!auth.ok) {
    await client.close();
    throw new VerifyError(`cannot sign in to ${where} as ${o.user}: ${auth.error.message}`);
  }
  return client;
}

async function must(client: GraphClient, stmt: string, where: string): Promise<ExecutionResponse> {
  const res = await client.execute(stmt);
  if (res.errorCode !== 0) throw new VerifyError(`${stmt} on ${where}: ${res.errorMsg ?? `error ${res.errorCode}`}`);
  return res;
}

const column = (res: ExecutionResponse, name: string): Value[] => {
  const i = res.data?.columns.indexOf(name) ?? -1;
  return i < 0 ? [] : (res.data?.rows ?? []).map((r) => r[i]!);
};

/** The secondary named by --secondary holds the target space and was added this primary's drainers. */
async function checkSecondary(primary: GraphClient, o: VerifyCommandOptions, secondaryAddr: string): Promise<void> {
  const targets = new Set(column(await must(primary, 'SHOW LISTENER SYNC', o.primary), 'SpaceName').map(String));
  if (targets.size === 0) throw new VerifyError(`space ${o.space} on ${o.primary} has no listener sync (ADD LISTENER SYNC)`);
  const clients = await must(primary, 'SHOW DRAINER CLIENTS', o.primary);
  const hosts = column(clients, 'Host');
  const signedIn = new Set(column(clients, 'Port').map((port, i) => `${String(hosts[i])}:${String(port)}`));
  const target = [...targets][0]!;
  const secondary = await signIn(secondaryAddr, '--secondary', o);
  try {
    const use = await secondary.execute(`USE \`${target}\``);
    if (use.errorCode !== 0) throw new VerifyError(`the target space ${target} is not on ${secondaryAddr}: ${use.errorMsg ?? ''}`);
    const added = column(await must(secondary, 'SHOW DRAINERS', secondaryAddr), 'Host').map((h) => String(h).replace(/"/g, ''));
    if (!added.some((d) => signedIn.has(d))) {
      throw new VerifyError(
        `the target space ${target} on ${secondaryAddr} was added none of the drainers that ${o.space} on ${o.primary} ships to (${[...signedIn].join(', ') || 'none'}): it does not receive from this primary`,
      );
    }
  } finally {
    await secondary.close();
  }
}

export async function runVerifyCommand(o: VerifyCommandOptions, io: VerifyIO): Promise<number> {
  let primary: GraphClient | undefined;
  try {
    primary = await signIn(o.primary, '--primary', o);
    await must(primary, `USE \`${o.space}\``, o.primary);
    if (o.secondary !== undefined) await checkSecondary(primary, o, o.secondary);
    const started = performance.now();
    const res = await primary.execute('VERIFY SYNC');
    io.out(formatResult(res, (performance.now() - started) * 1000, { timing: true }));
    if (res.errorCode !== 0) return VerifyExit.ERROR;
    const parts = column(res, 'PartId');
    const differing = column(res, 'Match').flatMap((m, i) => (m === true ? [] : [String(parts[i])]));
    if (differing.length === 0) {
      io.out(`All ${parts.length} partitions of ${o.space} match.\n`);
      return VerifyExit.MATCH;
    }
    io.out(`Partitions that differ: ${differing.join(', ')}.\n`);
    if (o.keys) {
      const keys = await primary.execute('VERIFY SYNC WITH KEYS');
      io.out(formatResult(keys, 0, { timing: false }));
    }
    return VerifyExit.DIFFERS;
  } catch (cause) {
    io.err(`Error: ${(cause as Error).message}\n`);
    return VerifyExit.ERROR;
  } finally {
    await primary?.close().catch(() => undefined);
  }
}

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error('expected a positive integer');
  return n;
}

export function verifyCommand(): Command {
  const cmd = new Command('verify')
    .description('compare a primary space with its secondary (VERIFY SYNC): exit 0 all match, 1 something differs, 2 error')
    .requiredOption('--primary <host:port>', "the primary cluster's graph service")
    .option('--secondary <host:port>', "the secondary cluster's graph service, to check it is the one the space syncs to")
    .option('-u, --user <name>', 'user name (GOD, ADMIN or DBA of the space)', 'root')
    .option('-p, --password <password>', 'password', 'nebula')
    .requiredOption('--space <name>', 'the primary space')
    .option('--keys', 'when something differs, also list the keys that differ')
    .option('--timeout <ms>', 'connect and per-statement timeout', positiveInt, DEFAULT_TIMEOUT_MS);
  return addGraphSslOptions(cmd)
    // A usage mistake is an error too: exit 2, never 1 (which means "something differs").
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : VerifyExit.ERROR))
    .action(async (o: { primary: string; secondary?: string; user: string; password: string; space: string; keys?: boolean; timeout: number } & GraphSslFlags) => {
      const tls = graphClientTlsOrRefuse(o, VerifyExit.ERROR);
      if (tls === 'refused') return;
      process.exitCode = await runVerifyCommand(
        {
          primary: o.primary,
          ...(o.secondary !== undefined ? { secondary: o.secondary } : {}),
          user: o.user,
          password: o.password,
          space: o.space,
          keys: o.keys === true,
          timeoutMs: o.timeout,
          tls,
        },
        { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
      );
    });
}
