/**
 * `nebula-sync drainer`: a drainer in the foreground (nebula-drainerd). It serves the listeners'
 * Ship streams on --port and applies them to the SECONDARY cluster named by --meta_server_addrs.
 * The library class is src/engine/sync/drainer/drainer.ts; this only reads flags and waits.
 */
import { Command } from 'commander';
import { createLogger } from '../log.ts';
import { addFlags, parseAddrs, resolveFlags, type FlagSpec } from './flags.ts';
import { portClash } from './port-probe.ts';
import { runUntilSignal } from './run-until-signal.ts';
import { tlsFlags, tlsSettings } from './tls-flags.ts';

export const drainerFlags: readonly FlagSpec[] = [
  { name: 'local_ip', kind: 'string', default: '127.0.0.1', help: 'address the drainer listens on and registers with' },
  { name: 'port', kind: 'port', default: 9889, help: 'drainer service port (listeners ship to it); 0 picks a free one' },
  { name: 'ws_http_port', kind: 'port', default: 19889, help: 'HTTP port (/status, /flags, /stats, /metrics); 0 picks a free one' },
  { name: 'meta_server_addrs', kind: 'string', default: '', help: "the SECONDARY cluster's meta addresses, ip:port[,ip:port] (required)" },
  { name: 'data_path', kind: 'string', default: 'data/drainer', help: 'accepted for conf compatibility; the drainer keeps nothing durable' },
  { name: 'heartbeat_interval_secs', kind: 'int', default: 10, min: 1, help: "heartbeat interval to the secondary's meta" },
  ...tlsFlags('drainer'),
];

export function drainerCommand(): Command {
  const cmd = new Command('drainer').description(
    "run a drainer in the foreground: apply what listeners ship to the secondary cluster's meta and storage",
  );
  addFlags(cmd, drainerFlags);
  cmd.action(async () => {
    const log = createLogger({ process: 'drainer' });
    const flags = resolveFlags(cmd, drainerFlags, log);
    if (flags instanceof Error) return cmd.error(`error: ${flags.message}`);
    const metaAddrs = parseAddrs(String(flags['meta_server_addrs']));
    if (metaAddrs instanceof Error) return cmd.error(`error: --meta_server_addrs: ${metaAddrs.message}`);
    if (metaAddrs.length === 0) return cmd.error("error: --meta_server_addrs is required: the secondary cluster's meta address");
    const port = Number(flags['port']);
    const tls = tlsSettings(flags, 'drainer');
    if (tls instanceof Error) return cmd.error(`error: ${tls.message}`);
    const httpPort = Number(flags['ws_http_port']);
    const clash = await portClash(String(flags['local_ip']), [
      { port, what: 'drainer port' },
      { port: httpPort, what: 'HTTP port' },
    ]);
    if (clash !== undefined) return cmd.error(`error: cannot start the drainer: ${clash}`);
    // Loaded here, not at the top, so that `--help` does not load gRPC.
    const { Drainer } = await import('../engine/sync/drainer/drainer.ts');
    const drainer = new Drainer({
      localIp: String(flags['local_ip']),
      port,
      metaServerAddrs: metaAddrs.map((a) => `${a.host}:${a.port}`),
      heartbeatIntervalSecs: Number(flags['heartbeat_interval_secs']),
      tls: tls.internal,
      log,
      httpPort,
      flags,
    });
    const bound = await drainer.start().catch((cause: Error) => cmd.error(`error: cannot start the drainer: ${cause.message}`));
    // One line on stdout that scripts and tests wait for.
    process.stdout.write(`nebula-sync drainer ready addr=${drainer.address} port=${bound.port} http=${bound.httpPort}\n`);
    await runUntilSignal(() => drainer.close(), log);
  });
  return cmd;
}
