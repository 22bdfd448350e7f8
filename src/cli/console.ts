/**
 * `nebula-sync console`: nebula-console's command line over our GraphClient.
 *
 *   nebula-sync console --addr 127.0.0.1 --port 9669 -u root -p nebula [-e STMT] [-f FILE] [--timeout ms]
 *                       [--enable_ssl [--ssl_root_ca_path ca.pem]]
 *
 * nebula-console's own spellings work too, as pasted from its docs: `-addr 127.0.0.1 -port 9669
 * -u root -p nebula -enable_ssl`, `-P`, `-t` (one-dash long flags: console-args.ts).
 *
 * `-e` runs its statements one by one and `-f` a script's; both stop and exit 1 at the first error
 * and end early, exit 0, at `:exit` / `:quit`. Without either, an interactive prompt with
 * nebula-console's welcome and bye lines. Console commands (`:sleep N`, `:repeat N`) work in all
 * three. A connection or login failure is one line on stderr and exit 1. `--enable_ssl`
 * (nebula-console's `-enable_ssl`) connects with TLS to a graph port started with
 * --enable_graph_ssl, trusting `--ssl_root_ca_path` or else the system's CAs.
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { GraphClient } from '../client/graph-client.ts';
import { ConsoleSession, type ConsoleIO } from '../console/console-session.ts';
import { formatError } from '../console/format.ts';
import { runRepl } from '../console/repl.ts';
import { scriptStatements, splitStatements } from '../console/statements.ts';
import { goStyleArgs } from './console-args.ts';
import { PORT_MAX } from './flags.ts';
import { addGraphSslOptions, graphClientTlsOrRefuse, type GraphClientTls, type GraphSslFlags } from './graph-ssl-flags.ts';

const DEFAULT_TIMEOUT_MS = 120_000;

export interface ConsoleOptions {
  readonly addr: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly eval?: string;
  readonly file?: string;
  readonly timeoutMs: number;
  readonly timing: boolean;
  /** TLS to the graph port; `caPath` is the CA to trust (else the system's). Absent: plaintext. */
  /** TLS to the graph port (--enable_ssl), with the CA to trust already read; undefined = plaintext. */
  readonly tls?: GraphClientTls;
}

const STDIO: ConsoleIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Runs the console to completion and answers its exit code. */
export async function runConsole(opts: ConsoleOptions, io: ConsoleIO = STDIO): Promise<number> {
  let script: string[] | undefined;
  if (opts.file !== undefined) {
    try {
      script = scriptStatements(readFileSync(opts.file, 'utf8'));
    } catch (e) {
      io.err(`Error: cannot read ${opts.file}: ${(e as Error).message}\n`);
      return 1;
    }
  } else if (opts.eval !== undefined) {
    script = splitStatements(opts.eval);
  }
  let client: GraphClient;
  try {
    client = await GraphClient.connect({ host: opts.addr, port: opts.port, timeoutMs: opts.timeoutMs, tls: opts.tls });
  } catch (e) {
    io.err(`Error: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    const version = await client.verifyClientVersion();
    if (!version.ok) {
      io.err(`${formatError(version.error.code, version.error.message)}\n`);
      return 1;
    }
    const auth = await client.authenticate(opts.user, opts.password);
    if (!auth.ok) {
      io.err(`${formatError(auth.error.code, auth.error.message)}\n`);
      return 1;
    }
    const session = new ConsoleSession(client, io, {
      user: opts.user,
      timing: opts.timing,
      echo: opts.file !== undefined,
      keepGoing: script === undefined,
    });
    if (script !== undefined) return (await session.runAll(script)) ? 0 : 1;
    if (io !== STDIO) throw new Error('the interactive console needs the process stdio');
    await runRepl(session);
    return 0;
  } catch (e) {
    io.err(`Error: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await client.close();
  }
}

function parsePositiveInt(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

function parsePort(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < 1 || n > PORT_MAX) throw new InvalidArgumentError(`expected a port number 1..${PORT_MAX}`);
  return n;
}

interface ConsoleFlags extends GraphSslFlags {
  addr: string;
  port: number;
  user: string;
  password: string;
  eval?: string;
  file?: string;
  timeout: number;
  timing: boolean;
}

export function consoleCommand(): Command {
  const cmd = new Command('console')
    .description('connect to a graph service like nebula-console: run -e statements, a -f script, or a prompt')
    .option('--addr <host>', 'graph service address', '127.0.0.1')
    .option('-P, --port <port>', 'graph service port', parsePort, 9669)
    .option('-u, --user <name>', 'user name', 'root')
    .option('-p, --password <password>', 'password', 'nebula')
    .option('-e, --eval <statements>', 'run these statements (split on ;) and exit')
    .option('-f, --file <path>', 'run the statements of this file and exit')
    .option('-t, --timeout <ms>', 'connect and per-statement timeout, 0 for none', parsePositiveInt, DEFAULT_TIMEOUT_MS)
    .option('--no-timing', 'leave "(time spent ...)" and the date lines out, for stable output');
  addGraphSslOptions(cmd).addHelpText('after', '\nnebula-console\'s spellings work too: -addr/-address, -port, -user, -password, -eval, -file,\n-timeout, -enable_ssl, -ssl_root_ca_path (one dash, as Go flags are written).');
  // nebula-console's one-dash long flags (console-args.ts), before Commander reads them.
  const parseOptions = cmd.parseOptions.bind(cmd);
  cmd.parseOptions = (args: string[]) => parseOptions(goStyleArgs(args, cmd));
  return cmd.action(async (o: ConsoleFlags) => {
    const tls = graphClientTlsOrRefuse(o, 1);
    if (tls === 'refused') return;
    process.exitCode = await runConsole({
      addr: o.addr,
      port: o.port,
      user: o.user,
      password: o.password,
      ...(o.eval !== undefined ? { eval: o.eval } : {}),
      ...(o.file !== undefined ? { file: o.file } : {}),
      timeoutMs: o.timeout,
      timing: o.timing,
      tls,
    });
  });
}
