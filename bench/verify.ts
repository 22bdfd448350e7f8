/**
 * `npm run bench -- verify`: VERIFY SYNC on the seed's topology (five processes on loopback) after
 * 1,000,000 rows (half vertices, half edges) went through the sync, once on a quiet primary and
 * once while a write load runs. Rows/s per side = rows that side checksummed / its scan time, as
 * the primary logs them ("verify finished"), with the CPU time that side's process used meanwhile
 * (rows per CPU-second says what the scan costs whatever else shares the machine); the statement's
 * wall time and the write load's rate before and during the verify are printed beside.
 */
import { performance } from 'node:perf_hooks';
import { createClient } from '@nebula-contrib/nebula-nodejs';
import type { GraphClient } from '../src/client/graph-client.ts';
import { fmt } from './measure.ts';
import { client, run, setUp, SPACE, startBenchTopology, waitCaughtUp, type BenchTopology } from './sync-topology.ts';

import { defaultVerifyBenchOptions, type VerifyBenchOptions } from './defaults.ts';

const BATCH = 500;
const CONNECTIONS = 5;

function statement(kind: 'v' | 'e', first: number, count: number): string {
  const rows: string[] = [];
  for (let i = first; i < first + count; i++) {
    rows.push(kind === 'v' ? `"p${i}":("Player ${i}", ${i % 50})` : `"p${i}"->"p${(i * 7 + 1) % 500_000}"@${i % 3}:(${i % 100})`);
  }
  return kind === 'v' ? `INSERT VERTEX player(name, age) VALUES ${rows.join(', ')}` : `INSERT EDGE follow(degree) VALUES ${rows.join(', ')}`;
}

/** Half the rows as vertices, half as edges, 500-row INSERTs over 5 Node-client connections. */
async function load(port: number, rows: number): Promise<number> {
  const nebula = createClient({ servers: [`127.0.0.1:${port}`], userName: 'root', password: 'nebula', space: SPACE, poolSize: CONNECTIONS, executeTimeout: 300_000 });
  nebula.on('error', () => undefined);
  await nebula.execute('YIELD 1');
  const half = Math.floor(rows / 2);
  const jobs: string[] = [];
  for (let i = 0; i < half; i += BATCH) jobs.push(statement('v', i, Math.min(BATCH, half - i)));
  for (let i = 0; i < rows - half; i += BATCH) jobs.push(statement('e', i, Math.min(BATCH, rows - half - i)));
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < jobs.length) await nebula.execute(jobs[next++]!);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await nebula.close();
  return seconds;
}

interface VerifyFigures {
  readonly wallMs: number;
  readonly primaryRows: number;
  readonly primaryScanMs: number;
  readonly primaryCpuMs: number;
  readonly secondaryRows: number;
  readonly secondaryScanMs: number;
  readonly secondaryCpuMs: number;
  readonly match: boolean;
}

/** Run VERIFY SYNC and read the primary's "verify finished" log line for the per-side figures. */
async function verifyOnce(t: BenchTopology, p: GraphClient): Promise<VerifyFigures> {
  const started = performance.now();
  const res = await run(p, 'VERIFY SYNC');
  const wallMs = performance.now() - started;
  const lines = t.primary.stderr().split('\n').filter((l) => l.includes('"verify finished"'));
  const last = JSON.parse(lines[lines.length - 1] ?? '{}') as Record<string, number | boolean>;
  const matches = res.data!.rows.every((r) => r[5] === true);
  return {
    wallMs,
    primaryRows: Number(last['primaryRows']),
    primaryScanMs: Number(last['primaryScanMs']),
    primaryCpuMs: Number(last['primaryCpuMs']),
    secondaryRows: Number(last['secondaryRows']),
    secondaryScanMs: Number(last['secondaryScanMs']),
    secondaryCpuMs: Number(last['secondaryCpuMs']),
    match: matches,
  };
}

function print(label: string, f: VerifyFigures, extra = ''): void {
  const side = (name: string, rows: number, ms: number, cpuMs: number) =>
    `${name} ${rows} rows in ${fmt(ms, 0)} ms = ${fmt(rows / (ms / 1000), 0)} rows/s (process CPU ${fmt(cpuMs, 0)} ms = ${fmt(rows / (cpuMs / 1000), 0)} rows/CPU-s)`;
  console.log(
    `${label}: ${f.match ? 'all partitions match' : 'DIFFERENCES'}; ${side('primary', f.primaryRows, f.primaryScanMs, f.primaryCpuMs)}; ` +
      `${side('secondary', f.secondaryRows, f.secondaryScanMs, f.secondaryCpuMs)}; statement ${fmt(f.wallMs, 0)} ms${extra}`,
  );
}

/** A steady write load of 20-vertex INSERTs on its own connection until stopped. */
function writeLoad(port: number, perSec: number): { acked(): number; stop(): Promise<void> } {
  let stopped = false;
  let acked = 0;
  const loop = (async () => {
    const c = await client(port, SPACE);
    const interval = 1000 / perSec;
    const start = performance.now();
    for (let i = 0; !stopped; i++) {
      const wait = start + i * interval - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const rows = Array.from({ length: 20 }, (_, j) => `"load${i}_${j}":("L", ${j})`).join(', ');
      await run(c, `INSERT VERTEX player(name, age) VALUES ${rows}`);
      acked++;
    }
    await c.close();
  })();
  return {
    acked: () => acked,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

/** Statements per second the load completed over `ms`. */
async function rateOver(load: { acked(): number }, during: () => Promise<unknown>): Promise<{ perSec: number; ms: number }> {
  const before = load.acked();
  const started = performance.now();
  await during();
  const ms = performance.now() - started;
  return { perSec: (load.acked() - before) / (ms / 1000), ms };
}

export async function runVerifyBench(o: VerifyBenchOptions = defaultVerifyBenchOptions): Promise<void> {
  console.log(
    `verify benchmark: ${o.rows} rows (${Math.floor(o.rows / 2)} vertices + ${o.rows - Math.floor(o.rows / 2)} edges) loaded through the sync as ${BATCH}-row INSERTs ` +
      `over ${CONNECTIONS} Node-client connections, 15 partitions each side, loopback, wal_fsync=${o.fsync}; then VERIFY SYNC on a quiet primary ` +
      `and under a write load of ${o.loadStatementsPerSec} x 20-row INSERTs/s; rows/s per side = rows checksummed / that side's scan time`,
  );
  const t = await startBenchTopology({ fsync: o.fsync });
  try {
    const { p, s } = await setUp(t);
    await run(p, 'CREATE EDGE follow(degree int)');
    const seconds = await load(t.primary.ports.graph, o.rows);
    const written = performance.now();
    await waitCaughtUp(p);
    console.log(`load: ${fmt(o.rows / seconds, 0)} rows/s on the primary, secondary caught up ${fmt((performance.now() - written) / 1000, 1)} s after the last write`);
    print('quiet', await verifyOnce(t, p));
    const loadRun = writeLoad(t.primary.ports.graph, o.loadStatementsPerSec);
    const baseline = await rateOver(loadRun, () => new Promise((r) => setTimeout(r, 3_000)));
    let figures: VerifyFigures | undefined;
    const during = await rateOver(loadRun, async () => (figures = await verifyOnce(t, p)));
    await loadRun.stop();
    print(
      'under load',
      figures!,
      `; write load (offered ${o.loadStatementsPerSec}/s): ${fmt(baseline.perSec, 0)}/s before the verify, ${fmt(during.perSec, 0)}/s during it`,
    );
    await p.close();
    await s?.close();
  } finally {
    await t.close();
  }
}
