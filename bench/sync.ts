/**
 * `npm run bench -- sync`: the seed's topology on loopback, measured as issue 3 asks:
 * (a) 200,000 vertices in 500-row INSERTs through the Node client, primary rows/s with sync off and
 *     on, end-to-end rows/s (first write until the secondary holds all) and drain time;
 * (b) 2,000 rows/s offered for 20 s: lag p50/p90/p99/max, polling the secondary every 5 ms;
 * (c) catch-up rows/s for a 200,000-row backlog after RESTART SYNC;
 * (d) snapshot full-sync rows/s for 200,000 pre-existing vertices whose WAL expired;
 * (e) peak RSS of the listener and the drainer (whole run, so it bounds (c)).
 * `--tls on|off|both` runs the parts with mutual TLS on every internal link, without, or both ways
 * (each figure is labelled), to show what TLS costs. The graph port stays plaintext throughout.
 */
import { performance } from 'node:perf_hooks';
import { createClient } from '@nebula-contrib/nebula-nodejs';
import { defaultSyncBenchOptions, type SyncBenchOptions } from './defaults.ts';
import { fmt, peakRssMiB, percentile } from './measure.ts';
import { addListenerSync, client, run, setUp, SPACE, startBenchTopology, TARGET, waitCaughtUp } from './sync-topology.ts';

/** One run's settings: the options, with the internal links' TLS decided. */
interface RunOptions extends SyncBenchOptions {
  readonly linksTls: boolean;
}

/** The label of a figure: which part, and whether its internal links were TLS. */
const tag = (part: string, o: RunOptions) => `(${part})${o.linksTls ? ' [mTLS]' : o.tls === 'both' ? ' [plain]' : ''}`;

const BATCH = 500;

function insert(prefix: string, first: number, count: number): string {
  const rows: string[] = [];
  for (let i = first; i < first + count; i++) rows.push(`"${prefix}${i}":("Player ${i}", ${i % 50})`);
  return `INSERT VERTEX player(name, age) VALUES ${rows.join(', ')}`;
}

/** Writes `rows` vertices through the Node client, 5 connections; answers seconds taken. */
async function ingest(port: number, prefix: string, rows: number): Promise<number> {
  const nebula = createClient({ servers: [`127.0.0.1:${port}`], userName: 'root', password: 'nebula', space: SPACE, poolSize: 5, executeTimeout: 120_000 });
  nebula.on('error', () => undefined);
  await nebula.execute('YIELD 1');
  const statements = Math.ceil(rows / BATCH);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 5 }, async () => {
      while (next < statements) {
        const i = next++;
        await nebula.execute(insert(prefix, i * BATCH, BATCH));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await nebula.close();
  return seconds;
}

async function partA(o: RunOptions): Promise<void> {
  const off = await startBenchTopology({ syncOff: true, fsync: o.fsync, tls: o.linksTls });
  try {
    const { p } = await setUp(off);
    const s = await ingest(off.primary.ports.graph, 'a', o.rows);
    console.log(`${tag('a', o)} sync off: primary ${fmt(o.rows / s, 0)} rows/s`);
    await p.close();
  } finally {
    await off.close();
  }
  const on = await startBenchTopology({ fsync: o.fsync, tls: o.linksTls });
  try {
    const { p, s } = await setUp(on);
    await waitCaughtUp(p);
    const t0 = performance.now();
    const seconds = await ingest(on.primary.ports.graph, 'a', o.rows);
    const written = performance.now();
    await waitCaughtUp(p);
    const done = performance.now();
    console.log(`${tag('a', o)} sync on:  primary ${fmt(o.rows / seconds, 0)} rows/s`);
    console.log(`${tag('a', o)} end-to-end ${fmt(o.rows / ((done - t0) / 1000), 0)} rows/s, drain after last write ${fmt(done - written, 0)} ms`);
    await p.close();
    await s?.close();
  } finally {
    await on.close();
  }
}

async function partBCE(o: RunOptions): Promise<void> {
  const t = await startBenchTopology({ fsync: o.fsync, tls: o.linksTls });
  try {
    const { p, s } = await setUp(t);
    await waitCaughtUp(p);
    // (b) a steady live rate: one 20-row INSERT every 10 ms; lag = seen on the secondary - acknowledged.
    const rowsPerStmt = 20;
    const intervalMs = (1000 * rowsPerStmt) / o.liveRatePerSec;
    const total = Math.round((o.liveSeconds * 1000) / intervalMs);
    const acked = new Map<number, number>();
    const lags: number[] = [];
    let seen = 0;
    let writing = true;
    const poller = (async () => {
      const reader = await client(t.secondary!.ports.graph, TARGET);
      while (seen < total && (writing || seen < acked.size)) {
        const ackAt = acked.get(seen);
        if (ackAt !== undefined) {
          const vids = Array.from({ length: rowsPerStmt }, (_, j) => `"b${seen * rowsPerStmt + j}"`).join(', ');
          const res = await reader.execute(`FETCH PROP ON player ${vids} YIELD id(vertex)`);
          if (res.data && res.data.rows.length === rowsPerStmt) {
            lags.push(performance.now() - ackAt);
            seen++;
            continue;
          }
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      await reader.close();
    })();
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const due = start + i * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await run(p, insert('b', i * rowsPerStmt, rowsPerStmt));
      acked.set(i, performance.now());
    }
    writing = false;
    await poller;
    lags.sort((a, b) => a - b);
    console.log(
      `${tag('b', o)} ${o.liveRatePerSec} rows/s for ${o.liveSeconds} s: lag p50 ${fmt(percentile(lags, 50), 2)} ms, p90 ${fmt(percentile(lags, 90), 2)} ms, p99 ${fmt(percentile(lags, 99), 2)} ms, max ${fmt(lags.at(-1) ?? NaN, 2)} ms (${lags.length} batches)`,
    );

    // (c) a backlog written while stopped, then shipped at once.
    await run(p, 'STOP SYNC');
    await ingest(t.primary.ports.graph, 'c', o.rows);
    const restart = performance.now();
    await run(p, 'RESTART SYNC');
    await waitCaughtUp(p);
    const seconds = (performance.now() - restart) / 1000;
    console.log(`${tag('c', o)} catch-up of ${o.rows} rows after RESTART SYNC: ${fmt(o.rows / seconds, 0)} rows/s (${fmt(seconds, 2)} s)`);
    console.log(`${tag('e', o)} peak RSS: listener ${fmt(peakRssMiB(t.storageListener!.pid), 0)} MiB, drainer ${fmt(peakRssMiB(t.drainer!.pid), 0)} MiB`);
    await p.close();
    await s?.close();
  } finally {
    await t.close();
  }
}

async function partD(o: RunOptions): Promise<void> {
  // wal_ttl 1 s: by the time ADD LISTENER SYNC runs the WAL is gone, so only a snapshot can serve.
  const t = await startBenchTopology({ walTtlSecs: 1, fsync: o.fsync, tls: o.linksTls });
  try {
    const { p, s } = await setUp(t, { listenerSync: false });
    await ingest(t.primary.ports.graph, 'd', o.rows);
    await new Promise((r) => setTimeout(r, 2_500));
    const started = performance.now();
    await addListenerSync(t, p);
    await waitCaughtUp(p);
    const seconds = (performance.now() - started) / 1000;
    console.log(`${tag('d', o)} snapshot full sync of ${o.rows} pre-existing vertices: ${fmt(o.rows / seconds, 0)} rows/s (${fmt(seconds, 2)} s)`);
    await p.close();
    await s?.close();
  } finally {
    await t.close();
  }
}

export async function runSyncBench(o: SyncBenchOptions = defaultSyncBenchOptions): Promise<void> {
  console.log(
    `sync benchmark: ${o.rows} rows per bulk part, ${o.liveRatePerSec} rows/s live for ${o.liveSeconds} s, 15 partitions, loopback, wal_fsync=${o.fsync}, internal links TLS: ${o.tls}`,
  );
  const ways = o.tls === 'both' ? [false, true] : [o.tls === 'on'];
  // Both ways part by part, so the two figures of a part are taken close together.
  for (const [letter, part] of [['a', partA], ['b', partBCE], ['d', partD]] as const) {
    if (!o.parts.includes(letter)) continue;
    for (const linksTls of ways) await part({ ...o, linksTls });
  }
}
