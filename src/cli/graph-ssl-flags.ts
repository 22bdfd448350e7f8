/**
 * nebula-console's client TLS flags (`--enable_ssl`, `--ssl_root_ca_path`), shared by every command
 * that talks to a graph port: the console, `verify` and `switchover`. A graph port started with
 * --enable_graph_ssl (or --enable_ssl) speaks TLS; these make the client speak it too, trusting the
 * given CA or else the system's.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';

/** The flags as commander hands them over. */
export interface GraphSslFlags {
  readonly enable_ssl?: boolean;
  readonly ssl_root_ca_path?: string;
}

/** What GraphClient.connect takes: undefined = plaintext; `{}` = TLS trusting the system's CAs. */
export type GraphClientTls = { readonly ca?: Buffer } | undefined;

export function addGraphSslOptions(cmd: Command): Command {
  return cmd
    .option('--enable_ssl', 'connect with TLS (a graph port started with --enable_graph_ssl or --enable_ssl)')
    .option('--ssl_root_ca_path <path>', "PEM file of the CA to trust for the server's certificate with --enable_ssl (default: the system's CAs)");
}

/** The client TLS the flags ask for, with the CA read; an Error names the flag at fault. */
export function graphClientTls(flags: GraphSslFlags): GraphClientTls | Error {
  if (flags.enable_ssl !== true) {
    return flags.ssl_root_ca_path === undefined ? undefined : new Error('--ssl_root_ca_path needs --enable_ssl');
  }
  if (flags.ssl_root_ca_path === undefined) return {};
  try {
    return { ca: readFileSync(flags.ssl_root_ca_path) };
  } catch (cause) {
    return new Error(`--ssl_root_ca_path: cannot read ${flags.ssl_root_ca_path}: ${(cause as Error).message}`);
  }
}

/**
 * `graphClientTls` for a command's action: on a bad flag, writes `Error: <why>` to stderr, sets
 * `exitCode` and answers `'refused'`, for the action to return.
 */
export function graphClientTlsOrRefuse(flags: GraphSslFlags, exitCode: number): GraphClientTls | 'refused' {
  const tls = graphClientTls(flags);
  if (!(tls instanceof Error)) return tls;
  process.stderr.write(`Error: ${tls.message}\n`);
  process.exitCode = exitCode;
  return 'refused';
}
