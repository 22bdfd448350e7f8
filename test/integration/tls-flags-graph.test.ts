// Pins the SSL flags as a user meets them: a cluster with --enable_ssl serves its graph port over
// TLS to `nebula-sync console --enable_ssl` and to GraphClient, a plaintext client there (or a TLS
// client on a plaintext port) fails at once with a message saying so, and a cluster, listener or
// drainer given bad TLS files exits non-zero naming the flag before it creates or binds anything.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../../src/cli/children.ts';
import { internalTlsFlags, type DeploymentCerts } from '../../src/cli/tls-certs.ts';
import { GraphClient } from '../../src/client/graph-client.ts';
import { REPO, runConsole, startCluster, stopAll, tempDir, type ClusterProcess } from '../helpers/processes.ts';
import { topologyCerts } from '../helpers/topology.ts';

const dir = tempDir('tls-flags');
let certs: DeploymentCerts;
let tlsCluster: ClusterProcess;
let plainCluster: ClusterProcess;

beforeAll(async () => {
  certs = topologyCerts(dir);
  const primary = certs.files.get('primary')!;
  tlsCluster = await startCluster(join(dir, 'tls'), ['--enable_ssl=true', `--ca_path=${primary.ca}`, `--cert_path=${primary.cert}`, `--key_path=${primary.key}`]);
  plainCluster = await startCluster(join(dir, 'plain'));
}, 60_000);

afterAll(stopAll);

function run(command: string, args: readonly string[]): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, command, ...args], { cwd: REPO, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stderr: result.stderr };
}

describe('TLS on the graph port', () => {
  it('serves the console with --enable_ssl (YIELD 1, SHOW HOSTS) and says so on /status', async () => {
    const out = runConsole(tlsCluster.ports.graph, ['--enable_ssl', '--ssl_root_ca_path', certs.caCert, '-e', 'YIELD 1; SHOW HOSTS', '--no-timing']);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/\| 1 \|\n\+---\+\nGot 1 rows/);
    expect(out.stdout).toMatch(/Empty set/);
    const status = await (await fetch(`http://127.0.0.1:${tlsCluster.ports.http}/status`)).json();
    expect(status).toMatchObject({ internal_links: 'mtls', graph_ssl: true });
  });

  it('serves GraphClient with tls, checking the certificate against the given CA', async () => {
    const tls = { ca: readFileSync(certs.caCert) };
    const client = await GraphClient.connect({ host: '127.0.0.1', port: tlsCluster.ports.graph, timeoutMs: 10_000, tls });
    expect(await client.authenticate('root', 'nebula')).toMatchObject({ ok: true });
    expect((await client.execute('YIELD 1')).data?.rows).toEqual([[1n]]);
    await client.close();
  });

  it('lets nebula-sync verify and switchover reach it with --enable_ssl, and says what is missing without', () => {
    const ssl = ['--enable_ssl', '--ssl_root_ca_path', certs.caCert];
    const primary = `--primary=127.0.0.1:${tlsCluster.ports.graph}`;
    // Over TLS the statements reach the cluster, which answers that the space does not exist.
    const verify = run('verify', [primary, '--space=nowhere', ...ssl]);
    expect(verify.status).toBe(2);
    expect(verify.stderr).toMatch(/SpaceNotFound/);
    const plain = run('verify', [primary, '--space=nowhere', '--timeout=10000']);
    expect(plain.status).toBe(2);
    expect(plain.stderr).toMatch(/connect with TLS/);
    const loose = run('switchover', [primary, '--secondary=127.0.0.1:1', '--space=s', '--new_meta_listener=127.0.0.1:2', '--new_storage_listener=127.0.0.1:3', '--new_drainer=127.0.0.1:4', '--ssl_root_ca_path', certs.caCert]);
    expect(loose.status).toBe(2);
    expect(loose.stderr).toMatch(/--ssl_root_ca_path needs --enable_ssl/);
  });

  it('fails a plaintext console there with a clear error and exit 1', () => {
    const out = runConsole(tlsCluster.ports.graph, ['-e', 'YIELD 1', '--timeout', '10000']);
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/closed by the server before any reply; if the graph port uses TLS, connect with TLS \(nebula-sync console --enable_ssl\)/);
  });

  it('fails a TLS console on a plaintext port, and one that does not trust the server, with a clear error', () => {
    const plain = runConsole(plainCluster.ports.graph, ['--enable_ssl', '-e', 'YIELD 1', '--timeout', '10000']);
    expect(plain.status).toBe(1);
    expect(plain.stderr).toMatch(/over TLS: .*is the graph port plaintext\? connect without TLS/);
    const untrusted = runConsole(tlsCluster.ports.graph, ['--enable_ssl', '-e', 'YIELD 1', '--timeout', '10000']);
    expect(untrusted.status).toBe(1);
    expect(untrusted.stderr).toMatch(/certificate is not trusted: give its CA \(--ssl_root_ca_path\)/);
  });

  it('keeps plaintext clients working on a plaintext port, which says so on /status', async () => {
    expect(runConsole(plainCluster.ports.graph, ['-e', 'YIELD 1']).status).toBe(0);
    const status = await (await fetch(`http://127.0.0.1:${plainCluster.ports.http}/status`)).json();
    expect(status).toMatchObject({ status: 'running', internal_links: 'plaintext', graph_ssl: false });
    expect(plainCluster.stderr()).toMatch(/internal links are NOT authenticated or encrypted: .*use --enable_meta_ssl with --ca_path\/--cert_path\/--key_path/);
  });
});

describe('bad TLS flags', () => {
  it('stop a cluster, a listener and a drainer with a message naming the flag, before anything is created', () => {
    const own = certs.files.get('primary')!;
    const other = certs.files.get('drainer')!;
    const dataPath = join(dir, 'never');
    const cluster = (flags: string[]) => run('cluster', ['--port=0', '--meta_port=0', '--storage_port=0', '--ws_http_port=0', `--data_path=${dataPath}`, ...flags]);
    const cases: [{ status: number | null; stderr: string }, RegExp][] = [
      [cluster(['--enable_meta_ssl']), /--cert_path is required with --enable_meta_ssl/],
      [cluster([...internalTlsFlags(own), `--cert_path=${join(dir, 'missing.pem')}`]), /--cert_path: cannot read .*missing\.pem/],
      [cluster([...internalTlsFlags(own), `--key_path=${other.key}`]), /--cert_path: the certificate in .* does not match the private key in --key_path/],
      [cluster(['--enable_graph_ssl', `--cert_path=${own.cert}`, `--key_path=${own.cert}`]), /--key_path: .* is not a valid PEM private key/],
      [run('listener', ['--meta_server_addrs=127.0.0.1:1', '--port=0', '--enable_ssl', `--cert_path=${own.cert}`, `--key_path=${own.key}`]), /--ca_path is required with --enable_ssl/],
      [run('drainer', ['--meta_server_addrs=127.0.0.1:1', '--port=0', ...internalTlsFlags(own), `--ca_path=${own.cert}`]), /--cert_path: the certificate in .* was not issued by the CA in --ca_path/],
    ];
    for (const [result, message] of cases) {
      expect(result.stderr).toMatch(message);
      expect(result.status).not.toBe(0);
    }
    expect(existsSync(dataPath)).toBe(false);
  }, 180_000);
});
