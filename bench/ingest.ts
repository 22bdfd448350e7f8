/**
 * `npm run bench -- ingest`: 200,000 vertices sent as INSERT statements of 500 rows through the real
 * NebulaGraph Node client to a `nebula-sync cluster` process; prints rows/s, statement latency
 * p50/p99 and the server's peak RSS.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createClient } from '@nebula-contrib/nebula-nodejs';
import { clusterPorts, startChild } from '../src/cli/children.ts';
import { GraphClient } from '../src/client/graph-client.ts';
import { defaultIngestOptions, type IngestOptions } from './defaults.ts';
import { fmt, peakRssMiB, percentile } from './measure.ts';

function insertStatement(first: number, count: number): string {
  const rows: string[] = [];
  for (let i = first; i < first + count; i++) rows.push(`"player${i}":("Player Name ${i}", ${20 + (i % 30)})`);
  return `INSERT VERTEX player(name, age) VALUES ${rows.join(', ')}`;
}

async function setup(port: number, storagePort: number): Promise<void> {
  const client = await GraphClient.connect({ host: '127.0.0.1', port, timeoutMs: 30_000 });
  const auth = await client.authenticate('root', 'nebula');
  if (!auth.ok) throw new Error(auth.error.message);
  for (const stmt of [
    `ADD HOSTS 127.0.0.1:${storagePort}`,
    'CREATE SPACE bench(partition_num=15, replica_factor=1, vid_type=fixed_string(32))',
    'USE bench',
    'CREATE TAG player(name string, age int)',
  ]) {
    const res = await client!.execute(stmt);
    if (res.errorCode !== 0) throw new Error(`${stmt}: ${res.errorMsg}`);
  }
  client.close();
}

export async function runIngestBench(options: IngestOptions = defaultIngestOptions): Promise<void> {
  const dataPath = join(tmpdir(), `nebula-sync-bench-ingest-${process.pid}`);
  const server = await startChild('cluster', [
    '--port=0', '--meta_port=0', '--storage_port=0', '--ws_http_port=0',
    `--data_path=${dataPath}`, `--wal_fsync=${options.fsync}`,
  ]);
  const ports = clusterPorts(server.ready);
  let client: ReturnType<typeof createClient> | undefined;
  try {
    await setup(ports.graph, ports.storage);
    client = createClient({
      servers: [`127.0.0.1:${ports.graph}`], userName: 'root', password: 'nebula', space: 'bench',
      poolSize: options.concurrency, executeTimeout: 60_000,
    });
    // Warm-up on other vids, so the timed part measures steady state.
    for (let i = 0; i < 10; i++) await client.execute(insertStatement(10_000_000 + i * options.rowsPerStatement, options.rowsPerStatement));

    const statements = Math.ceil(options.rows / options.rowsPerStatement);
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < statements) {
        const index = next++;
        const stmt = insertStatement(index * options.rowsPerStatement, options.rowsPerStatement);
        const t0 = performance.now();
        await client!.execute(stmt);
        latencies.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const rss = peakRssMiB(server.pid);
    const check = await client!.execute('SUBMIT JOB STATS').then(() => client!.execute('SHOW STATS'));
    const vertices = (check.data as { Count: number[] }).Count.at(-2);
    console.log(`ingest: ${options.rows} vertices in ${statements} INSERTs of ${options.rowsPerStatement} rows, ${options.concurrency} connections, wal_fsync=${options.fsync}`);
    console.log(`  rows/s            ${fmt(options.rows / seconds, 0)}`);
    console.log(`  elapsed           ${fmt(seconds, 2)} s`);
    console.log(`  statement p50     ${fmt(percentile(latencies, 50), 2)} ms`);
    console.log(`  statement p99     ${fmt(percentile(latencies, 99), 2)} ms`);
    console.log(`  server peak RSS   ${fmt(rss, 0)} MiB`);
    console.log(`  vertices stored   ${vertices} (incl. ${10 * options.rowsPerStatement} warm-up)`);
  } finally {
    await client?.close().catch(() => undefined);
    await server.stop();
    rmSync(dataPath, { recursive: true, force: true });
  }
}
