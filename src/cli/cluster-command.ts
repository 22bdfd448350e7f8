/**
 * `nebula-sync cluster`: one whole cluster (graphd + metad + storaged) in the foreground.
 */
import { Command } from 'commander';
import { createLogger } from '../log.ts';
import { addFlags, resolveFlags, type FlagSpec } from './flags.ts';
import { portClash } from './port-probe.ts';
import { runUntilSignal } from './run-until-signal.ts';
import { tlsFlags, tlsSettings } from './tls-flags.ts';
import { sessionFlags, sessionLimitsFromFlags } from './session-flags.ts';

export const clusterFlags: readonly FlagSpec[] = [
  { name: 'local_ip', kind: 'string', default: '127.0.0.1', help: 'address every service of this cluster listens on' },
  { name: 'port', kind: 'port', default: 9669, help: 'graph service port (NebulaGraph protocol, Thrift)' },
  { name: 'meta_port', kind: 'port', default: 9559, help: 'meta service port (internal RPC)' },
  { name: 'storage_port', kind: 'port', default: 9779, help: 'storage service port (internal RPC)' },
  { name: 'ws_http_port', kind: 'port', default: 19669, help: 'HTTP port (/status, /flags, /stats, /metrics, /dashboard)' },
  { name: 'meta_server_addrs', kind: 'string', default: '', help: "this cluster's own meta address (accepted for conf compatibility)" },
  { name: 'data_path', kind: 'path', default: 'data/cluster', help: 'folder for the catalog, partitions and WALs' },
  { name: 'enable_authorize', kind: 'bool', default: false, help: 'require user/password and check roles' },
  { name: 'wal_ttl', kind: 'int', default: 14400, min: 1, help: 'seconds a WAL entry is kept' },
  { name: 'snapshot_send_files', kind: 'bool', default: true, help: 'accepted; snapshots are always streamed as rows' },
  { name: 'heartbeat_interval_secs', kind: 'int', default: 10, min: 1, help: 'heartbeat interval; a host is ONLINE while heard within 5 intervals' },
  { name: 'wal_fsync', kind: 'bool', default: true, help: 'fsync every group commit (false still survives kill -9, not power loss)' },
  ...tlsFlags('cluster'),
  ...sessionFlags,
];

export function clusterCommand(): Command {
  const cmd = new Command('cluster').description(
    'run a whole cluster (graph + meta + storage services) in the foreground; data and WALs in --data_path',
  );
  addFlags(cmd, clusterFlags);
  cmd.action(async () => {
    const log = createLogger({ process: 'cluster' });
    const flags = resolveFlags(cmd, clusterFlags, log);
    if (flags instanceof Error) return cmd.error(`error: ${flags.message}`);
    // Certificates are checked before anything binds: a bad flag exits here, naming itself.
    const tls = tlsSettings(flags, 'cluster');
    if (tls instanceof Error) return cmd.error(`error: ${tls.message}`);
    const sessionLimits = sessionLimitsFromFlags(flags);
    if (sessionLimits instanceof Error) return cmd.error(`error: ${sessionLimits.message}`);
    const clash = await portClash(String(flags['local_ip']), [
      { port: Number(flags['port']), what: 'graph port' },
      { port: Number(flags['meta_port']), what: 'meta port' },
      { port: Number(flags['storage_port']), what: 'storage port' },
      { port: Number(flags['ws_http_port']), what: 'HTTP port' },
    ]);
    if (clash !== undefined) return cmd.error(`error: cannot start the cluster: ${clash}`);
    // Loaded here, not at the top, so that `--help` does not load the whole server.
    const { Cluster } = await import('../server/cluster.ts');
    const cluster = await Cluster.start({
      localIp: String(flags['local_ip']),
      port: Number(flags['port']),
      metaPort: Number(flags['meta_port']),
      storagePort: Number(flags['storage_port']),
      wsHttpPort: Number(flags['ws_http_port']),
      dataPath: String(flags['data_path']),
      enableAuthorize: Boolean(flags['enable_authorize']),
      walTtlSecs: Number(flags['wal_ttl']),
      heartbeatIntervalSecs: Number(flags['heartbeat_interval_secs']),
      fsync: Boolean(flags['wal_fsync']),
      tls: tls.internal,
      graphTls: tls.graph,
      sessionLimits,
      log,
      flags,
    }).catch((cause: Error) => cmd.error(`error: cannot start the cluster: ${cause.message}`));
    // One line on stdout that scripts and tests wait for.
    process.stdout.write(`nebula-sync cluster ready graph=${cluster.options.localIp}:${cluster.ports.graph} meta=${cluster.ports.meta} storage=${cluster.ports.storage} http=${cluster.ports.http}\n`);
    await runUntilSignal(() => cluster.close(), log);
  });
  return cmd;
}
