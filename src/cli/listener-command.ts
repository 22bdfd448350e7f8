/**
 * `nebula-sync listener`: a meta listener (`--role=meta`, or `--meta_sync_listener=ip:port` as in
 * nebula-metad-listener.conf) or a storage listener (the default, nebula-storaged-listener.conf),
 * in the foreground. A thin wrapper over the embeddable `Listener`.
 */
import { Command } from 'commander';
import type { ListenerOptions } from '../engine/sync/listener/listener.ts';
import { createLogger } from '../log.ts';
import { addFlags, parseAddrs, resolveFlags, type FlagSpec, type FlagValues } from './flags.ts';
import { portClash } from './port-probe.ts';
import { runUntilSignal } from './run-until-signal.ts';
import { tlsFlags, tlsSettings } from './tls-flags.ts';

/** Ports the seed gives each listener kind when --port is not set. */
export const DEFAULT_LISTENER_PORTS = { storage: 9789, meta: 9569 } as const;
/** HTTP ports when --ws_http_port is not set: 10000 + the service port, as NebulaGraph's daemons. */
export const DEFAULT_LISTENER_HTTP_PORTS = { storage: 19789, meta: 19569 } as const;
const DEFAULT_LOCAL_IP = '127.0.0.1';

// local_ip, port and role default to '' so that --meta_sync_listener can tell "not given" apart.
export const listenerFlags: readonly FlagSpec[] = [
  { name: 'role', kind: 'string', default: '', help: 'meta or storage (storage unless --meta_sync_listener is set)' },
  { name: 'local_ip', kind: 'string', default: '', help: `address this listener binds and registers (${DEFAULT_LOCAL_IP} when not set)` },
  { name: 'port', kind: 'string', default: '', help: 'port to bind: 9789 for storage, 9569 for meta when not set; 0 = any free port' },
  { name: 'ws_http_port', kind: 'string', default: '', help: 'HTTP port (/status, /flags, /stats, /metrics): 19789 for storage, 19569 for meta when not set; 0 = any free port' },
  { name: 'meta_server_addrs', kind: 'string', default: '', help: "the PRIMARY cluster's meta addresses, ip:port[,ip:port] (required)" },
  { name: 'meta_sync_listener', kind: 'string', default: '', help: 'ip:port of this meta listener; implies --role=meta' },
  { name: 'data_path', kind: 'string', default: '', help: 'accepted; a listener keeps no durable state (the secondary holds positions)' },
  { name: 'listener_path', kind: 'string', default: '', help: 'accepted; a listener keeps no durable state (the secondary holds positions)' },
  { name: 'heartbeat_interval_secs', kind: 'int', default: 10, min: 1, help: "heartbeat interval to the primary's meta" },
  ...tlsFlags('listener'),
];

type ListenerSettings = Omit<ListenerOptions, 'log'>;

/** The listener's settings from resolved flag values, or an Error naming the bad flag. */
export function listenerSettings(flags: FlagValues): ListenerSettings | Error {
  const metaAddrs = parseAddrs(String(flags['meta_server_addrs']));
  if (metaAddrs instanceof Error) return new Error(`--meta_server_addrs: ${metaAddrs.message}`);
  if (metaAddrs.length === 0) return new Error("--meta_server_addrs is required: the primary cluster's meta address");
  let role = String(flags['role']);
  let localIp = String(flags['local_ip']);
  let portText = String(flags['port']);
  const metaSync = String(flags['meta_sync_listener']);
  if (metaSync !== '') {
    // Port 0 is allowed here (any free port), unlike in the address lists parseAddrs reads.
    const addr = /^(.+):(\d{1,5})$/.exec(metaSync.trim());
    if (addr === null) return new Error(`--meta_sync_listener: '${metaSync}' is not an address of the form ip:port`);
    if (role === 'storage') return new Error('--meta_sync_listener makes a meta listener; it cannot be used with --role=storage');
    role = 'meta';
    if (localIp === '') localIp = addr[1]!;
    if (portText === '') portText = addr[2]!;
  }
  if (role === '') role = 'storage';
  if (role !== 'meta' && role !== 'storage') return new Error(`--role expects meta or storage, got '${role}'`);
  if (localIp === '') localIp = DEFAULT_LOCAL_IP;
  const port = portText === '' ? DEFAULT_LISTENER_PORTS[role] : Number(portText);
  if (!/^\d+$/.test(portText === '' ? '0' : portText) || port > 65535) return new Error(`--port expects a port number, got '${portText}'`);
  const httpText = String(flags['ws_http_port']).trim();
  const httpPort = httpText === '' ? DEFAULT_LISTENER_HTTP_PORTS[role] : Number(httpText);
  if (!/^\d+$/.test(httpText === '' ? '0' : httpText) || httpPort > 65535) return new Error(`--ws_http_port expects a port number 0..65535 (0 = any free port), got '${httpText}'`);
  const heartbeatIntervalSecs = Number(flags['heartbeat_interval_secs']);
  if (!(heartbeatIntervalSecs >= 1)) return new Error('--heartbeat_interval_secs must be at least 1');
  return {
    role,
    localIp,
    port,
    httpPort,
    metaServerAddrs: metaAddrs.map((a) => `${a.host}:${a.port}`),
    heartbeatIntervalSecs,
  };
}

export function listenerCommand(): Command {
  const cmd = new Command('listener').description(
    "run a meta or storage listener: ships the primary's WALs (or snapshots) to the drainer",
  );
  addFlags(cmd, listenerFlags);
  cmd.action(async () => {
    const boot = createLogger({ process: 'listener' });
    const flags = resolveFlags(cmd, listenerFlags, boot);
    if (flags instanceof Error) return cmd.error(`error: ${flags.message}`);
    const settings = listenerSettings(flags);
    if (settings instanceof Error) return cmd.error(`error: ${settings.message}`);
    const tls = tlsSettings(flags, 'listener');
    if (tls instanceof Error) return cmd.error(`error: ${tls.message}`);
    const clash = await portClash(settings.localIp, [
      { port: settings.port, what: `${settings.role} listener port` },
      { port: settings.httpPort ?? 0, what: 'HTTP port' },
    ]);
    if (clash !== undefined) return cmd.error(`error: cannot start the listener: ${clash}`);
    const log = createLogger({ process: 'listener', role: settings.role });
    // Loaded here, not at the top, so that `--help` does not load gRPC.
    const { Listener } = await import('../engine/sync/listener/listener.ts');
    // /flags shows what the listener runs with: the role, address and ports it worked out.
    const shown = { ...flags, role: settings.role, local_ip: settings.localIp, port: settings.port, ws_http_port: settings.httpPort ?? 0 };
    const listener = new Listener({ ...settings, tls: tls.internal, log, flags: shown });
    const { port, httpPort } = await listener
      .start()
      .catch((cause: Error) => cmd.error(`error: cannot start the listener on ${settings.localIp}:${settings.port}: ${cause.message}`));
    // One line on stdout that scripts and tests wait for.
    process.stdout.write(`nebula-sync listener ready role=${settings.role} addr=${settings.localIp}:${port} port=${port} http=${httpPort}\n`);
    await runUntilSignal(() => listener.close(), log);
  });
  return cmd;
}
