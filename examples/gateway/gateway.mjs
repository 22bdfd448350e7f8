#!/usr/bin/env node
/**
 * A graphd-compatible gateway built on the nebula-sync library (examples/gateway/README.md).
 *
 * It hosts a cluster in this process (`createCluster`: engine, meta and storage services, and the
 * cluster's own graph service on a free port: the backend), and serves NebulaGraph's graph
 * protocol on --port (`serveGraph`) with a router (router.mjs) that answers the synchronization
 * statements through the library's executor against the hosted engine and hands every other
 * statement to the backend graph service over the graph protocol. Listeners and drainers use the
 * meta port as they would a `nebula-sync cluster`'s. It imports nothing but 'nebula-sync'.
 *
 *   node examples/gateway/gateway.mjs --data_path=data/gw-primary --port=9669 --meta_port=9559 --storage_port=9779
 *
 * Prints `nebula-sync gateway ready graph=<ip>:<port> meta=<port> storage=<port> http=<port> backend=<port>`
 * on stdout once it serves; logs and the audit of synchronization statements go to stderr, one
 * JSON object a line. SIGINT or SIGTERM drains and stops it.
 */
import { parseArgs } from 'node:util';
import { createCluster, serveGraph } from 'nebula-sync';
import { Router } from './router.mjs';

/** How long a stop may take before the process exits anyway. */
const STOP_MS_MAX = 15_000;

const USAGE = `usage: gateway.mjs --data_path=<dir> [--local_ip=127.0.0.1] [--port=9669] [--meta_port=9559]
  [--storage_port=9779] [--ws_http_port=0] [--enable_authorize=false] [--heartbeat_interval_secs=10] [--wal_fsync=true]`;

const { values: flags } = parseArgs({
  strict: true,
  options: {
    data_path: { type: 'string' },
    local_ip: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '9669' },
    meta_port: { type: 'string', default: '9559' },
    storage_port: { type: 'string', default: '9779' },
    ws_http_port: { type: 'string', default: '0' },
    enable_authorize: { type: 'string', default: 'false' },
    heartbeat_interval_secs: { type: 'string', default: '10' },
    wal_fsync: { type: 'string', default: 'true' },
  },
});
if (flags.data_path === undefined) {
  process.stderr.write(`error: --data_path is required\n${USAGE}\n`);
  process.exit(2);
}
const port = (name) => {
  const n = Number(flags[name]);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    process.stderr.write(`error: --${name} expects a port number, got '${flags[name]}'\n${USAGE}\n`);
    process.exit(2);
  }
  return n;
};

const log = (level, msg, fields = {}) => process.stderr.write(`${JSON.stringify({ ts: new Date().toISOString(), level, msg, process: 'gateway', ...fields })}\n`);

const cluster = createCluster({
  dataPath: flags.data_path,
  localIp: flags.local_ip,
  graphPort: 0, // the backend graph service: a free port, reached over the graph protocol
  metaPort: port('meta_port'),
  storagePort: port('storage_port'),
  httpPort: port('ws_http_port'),
  enableAuthorize: flags.enable_authorize === 'true',
  heartbeatIntervalSecs: Number(flags.heartbeat_interval_secs),
  fsync: flags.wal_fsync !== 'false',
});
cluster.onLog((line) => log(line.level, line.msg, line.fields));
cluster.onStatus((status) => log('info', `cluster ${status.state}`, { ports: status.ports }));
const ports = await cluster.start();
const router = new Router({
  engine: cluster.engine,
  backend: { host: flags.local_ip, port: ports.graph },
  audit: (record) => log('info', 'statement', record),
});
const service = await serveGraph({ host: flags.local_ip, port: port('port'), handler: router });
process.stdout.write(
  `nebula-sync gateway ready graph=${flags.local_ip}:${service.port} meta=${ports.meta} storage=${ports.storage} http=${ports.http} backend=${ports.graph}\n`,
);

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  log('info', 'stopping', { signal });
  setTimeout(() => {
    log('error', `not stopped within ${STOP_MS_MAX} ms; exiting`);
    process.exit(1);
  }, STOP_MS_MAX).unref();
  await service.close();
  await router.close();
  await cluster.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
