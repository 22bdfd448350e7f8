/**
 * The parts of `npm run bench -- sync` (sync.ts prints the method and runs them): each starts its
 * own fresh topology, measures, records its figures with their targets, and stops every process.
 */
import { availableParallelism, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { GraphClient } from '../src/client/graph-client.ts';
import { RowLayout } from './bench-rows.ts';
import type { SyncBenchOptions } from './defaults.ts';
import { cpuCeiling, cpuPerRow, fmt, fmtGrouped, loadAverage, percentile, type Figures, type Target } from './measure.ts';
import { nodeClient, openLoop, saturate } from './node-writers.ts';
import { PointReads, SeqFrontier, verifyAll } from './seq-frontier.ts';
import { addListenerSync, client, pinTo, run, setUp, SPACE, startBenchTopology, TARGET, waitCaughtUp, waitForSchema, type BenchTopology } from './sync-topology.ts';

/** One part's settings: the options, with the internal links' TLS decided. */
export interface PartOptions extends SyncBenchOptions {
  readonly linksTls: boolean;
}

export const SATURATION_ROWS_PER_STATEMENT = 500;
export const LIVE_ROWS_PER_STATEMENT = 20;
export const SATURATION_POLL_MS = 20;
/** The lag poller's period and its jitter (a fraction either way). */
export const LAG_POLL_MS = 5;
/**
 * Seconds of (b)'s load before the measured seconds: the first statements after the processes
 * start run cold (JIT, first prepared statements, first apply), and their lag and commit times
 * are reported apart, as the cold start they are. Ten, not five: in the first 2-3 s the five
 * processes compile their hot code at once, commits take longer than the 10 ms between sends, and
 * the Node client's queue (one statement in flight) reached 0.3-1 s and took seconds to drain;
 * with 5 s it still reached the measured window in some runs (commit p99 0.35-0.7 s there).
 */
export const LIVE_WARMUP_SECONDS = 10;
const LAG_POLL_JITTER = 0.5;
/** How long the WAL of part d's primary is kept, and how long the part waits for it to go. */
const SNAPSHOT_WAL_TTL_SECS = 1;
const SNAPSHOT_WAL_GONE_MS = 2_500;

/** PostgreSQL 15 logical replication on the same kind of box (issue 8), for reference. */
const PG = (figure: string): string => `PostgreSQL ${figure}`;
/** CPUs this benchmark and the processes it starts may use. */
const CPUS = availableParallelism();

const rowsPerSec = (rows: number, ms: number): number => rows / (ms / 1000);

/** The key and label suffix of a figure: whether its internal links were TLS. */
function tlsOf(o: PartOptions): string {
  return o.linksTls ? ' [mTLS]' : o.tls === 'both' ? ' [plain]' : '';
}

function recordRss(figs: Figures, part: string, o: PartOptions, t: BenchTopology): void {
  for (const [name, mib] of Object.entries(t.peakRss())) {
    const syncSide = name.includes('listener') || name === 'drainer';
    const target: Target | undefined = syncSide ? { atMost: 150, note: 'flat under a backlog' } : undefined;
    figs.add(`${part}.rss.${name}${tlsOf(o)}`, mib, { label: `(${part}) peak RSS, ${name}${tlsOf(o)}`, unit: 'MiB', target });
  }
}

/**
 * Print the CPU time per row each process used between two readings (`BenchTopology.cpu`), their
 * sum, and the ceiling that sum sets on this machine's CPUs; answers the ceiling (rows/s).
 */
function printCpu(part: string, rows: number, before: Record<string, number>, after: Record<string, number>, until: string): number {
  const { byProcess, totalUs } = cpuPerRow(before, after, rows);
  const ceiling = cpuCeiling(totalUs, CPUS);
  const each = Object.entries(byProcess).map(([name, us]) => `${name} ${fmt(us, 1)}`);
  console.log(`  (${part}) CPU per row ${until}, in us: ${each.join(', ')}; all ${fmt(totalUs, 1)}, so at most ${fmtGrouped(ceiling, 0)} rows/s on ${CPUS} CPUs`);
  return ceiling;
}

/** The figure of the ceiling the CPU per row sets (see `cpuCeiling`), next to an end-to-end figure. */
function addCeiling(figs: Figures, key: string, label: string, ceiling: number): void {
  figs.add(key, ceiling, { label: `${label}: the most ${CPUS} CPUs carry at the CPU per row of all processes`, unit: 'rows/s' });
}

/** Readers of the secondary: the frontier poller and (optionally) timed point reads. */
async function readers(t: BenchTopology, layout: RowLayout, progress: { sent: number }, intervalMs: () => number, onAdvance?: (from: number, to: number, at: number) => void) {
  const pollConn = await client(t.secondary!.ports.graph, TARGET);
  const frontier = new SeqFrontier(pollConn, layout, { sent: () => progress.sent, intervalMs, onAdvance }).start();
  const pointConn = await client(t.secondary!.ports.graph, TARGET);
  const points = new PointReads(pointConn, () => frontier.rows);
  return { pollConn, pointConn, frontier, points };
}

async function checkAll(reader: GraphClient, layout: RowLayout, part: string): Promise<void> {
  const good = await verifyAll(reader, layout);
  if (good !== layout.rows) throw new Error(`(${part}) the secondary holds ${good} of ${layout.rows} rows`);
  console.log(`  (${part}) verified: the secondary holds all ${layout.rows.toLocaleString('en-US')} rows, each with its seq`);
}

/** Primary alone: rows/s of one saturation run, and the ceiling its CPU per row (primary and writer) sets. */
async function ingestAlone(o: PartOptions, part: string, writers: number, pin?: { primary: string; rest: string }): Promise<{ rowsPerSec: number; ceiling: number }> {
  const t = await startBenchTopology({ syncOff: true, fsync: o.fsync, tls: o.linksTls, pin });
  try {
    const { p } = await setUp(t);
    const writer = await nodeClient(t.primary.ports.graph, SPACE, writers);
    const layout = new RowLayout(o.rows, SATURATION_ROWS_PER_STATEMENT);
    const cpu0 = t.cpu();
    const r = await saturate(writer, layout, writers, { sent: 0 });
    const ceiling = printCpu(part, o.rows, cpu0, t.cpu(), 'until the last acknowledgement, sync off');
    await writer.close();
    await p.close();
    return { rowsPerSec: rowsPerSec(o.rows, r.lastAckMs - r.startedMs), ceiling };
  } finally {
    await t.close();
  }
}

/**
 * Saturation with the sync on: answers primary rows/s and end-to-end rows/s, recording the rest;
 * with `warmPass`, also the end-to-end of a second run through the same processes.
 */
async function saturationWithSync(o: PartOptions, figs: Figures, part: string, writers: number, how: { pin?: { primary: string; rest: string }; warmPass?: boolean } = {}) {
  const { pin, warmPass = false } = how;
  const t = await startBenchTopology({ fsync: o.fsync, tls: o.linksTls, pin });
  try {
    const { p, s } = await setUp(t);
    await waitCaughtUp(p);
    const layout = new RowLayout(o.rows, SATURATION_ROWS_PER_STATEMENT);
    const progress = { sent: 0 };
    const writer = await nodeClient(t.primary.ports.graph, SPACE, writers);
    const r = await readers(t, layout, progress, () => SATURATION_POLL_MS);
    r.points.start();
    const cpu0 = t.cpu();
    const run = await saturate(writer, layout, writers, progress);
    const doneMs = await r.frontier.reached();
    const cpu1 = t.cpu();
    const reads = await r.points.stop();
    await r.frontier.stop();
    const ingest = rowsPerSec(o.rows, run.lastAckMs - run.startedMs);
    const endToEnd = rowsPerSec(o.rows, doneMs - run.startedMs);
    const x = tlsOf(o);
    figs.add(`${part}.drain${x}`, doneMs - run.lastAckMs, { label: `(${part}) drain after the last acknowledgement${x}`, unit: 'ms' });
    const ceiling = printCpu(part, o.rows, cpu0, cpu1, 'until the secondary held all');
    if (pin === undefined) {
      addCeiling(figs, `${part}.ceiling${x}`, `(${part}) end-to-end${x}`, ceiling);
      figs.add(`${part}.read.p50${x}`, reads.p50, { label: `(${part}) point FETCH on the secondary while it applies, p50${x}`, unit: 'ms', digits: 2 });
      figs.add(`${part}.read.p99${x}`, reads.p99, { label: `(${part}) point FETCH on the secondary while it applies, p99${x}`, unit: 'ms', digits: 2, target: { atMost: 5 } });
      recordRss(figs, part, o, t);
    }
    await checkAll(r.pollConn, layout, part);
    const warm = warmPass ? await warmEndToEnd(t, r.pollConn, writer, o, part, writers) : undefined;
    await writer.close();
    for (const c of [r.pollConn, r.pointConn, p, s!]) await c.close();
    return { ingest, endToEnd, warm };
  } finally {
    await t.close();
  }
}

/**
 * The same saturation again through the same processes, on rows of its own (seqs after the first
 * run's): end-to-end rows/s once the JIT compiled the hot code, and the ceiling its CPU per row sets.
 */
async function warmEndToEnd(t: BenchTopology, reader: GraphClient, writer: Awaited<ReturnType<typeof nodeClient>>, o: PartOptions, part: string, writers: number): Promise<{ endToEnd: number; ceiling: number }> {
  const layout = new RowLayout(o.rows, SATURATION_ROWS_PER_STATEMENT, o.rows);
  const progress = { sent: 0 };
  const frontier = new SeqFrontier(reader, layout, { sent: () => progress.sent, intervalMs: () => SATURATION_POLL_MS }).start();
  const cpu0 = t.cpu();
  const run = await saturate(writer, layout, writers, progress);
  const doneMs = await frontier.reached();
  const cpu1 = t.cpu();
  await frontier.stop();
  const ceiling = printCpu(part, o.rows, cpu0, cpu1, 'until the secondary held all, warm (second run)');
  await checkAll(reader, layout, part);
  return { endToEnd: rowsPerSec(o.rows, doneMs - run.startedMs), ceiling };
}

/** (a) one writer: primary alone, then with the sync; the cost of the sync. */
export async function partA(o: PartOptions, figs: Figures): Promise<void> {
  const x = tlsOf(o);
  const { rowsPerSec: alone, ceiling } = await ingestAlone(o, 'a', 1);
  figs.add(`a.ingest.off${x}`, alone, { label: `(a) primary ingest, 1 writer, sync off${x}`, unit: 'rows/s', target: { note: PG('102,571') } });
  addCeiling(figs, `a.ceiling.off${x}`, `(a) primary ingest, sync off${x}`, ceiling);
  const on = await saturationWithSync(o, figs, 'a', 1, { warmPass: true });
  figs.add(`a.ingest.on${x}`, on.ingest, { label: `(a) primary ingest, 1 writer, sync on${x}`, unit: 'rows/s' });
  figs.add(`a.cost${x}`, 100 * (1 - on.ingest / alone), { label: `(a) cost of the sync to the primary, shared cores${x}`, unit: '%', digits: 1, target: { atMost: 10 } });
  figs.add(`a.e2e${x}`, on.endToEnd, { label: `(a) end-to-end, 1 writer${x}`, unit: 'rows/s', target: { atLeast: 94_149, note: `${PG('94,149')}; aim 100,000` } });
  if (on.warm !== undefined) {
    figs.add(`a.e2e.warm${x}`, on.warm.endToEnd, { label: `(a) end-to-end, 1 writer, warm: the same again in the same processes${x}`, unit: 'rows/s' });
    addCeiling(figs, `a.ceiling.warm${x}`, `(a) end-to-end, warm${x}`, on.warm.ceiling);
  }
}

/** (w) four writers. */
export async function partW(o: PartOptions, figs: Figures): Promise<void> {
  const x = tlsOf(o);
  const on = await saturationWithSync(o, figs, 'w', o.writers);
  figs.add(`w.ingest${x}`, on.ingest, { label: `(w) primary ingest, ${o.writers} writers, sync on${x}`, unit: 'rows/s' });
  figs.add(`w.e2e${x}`, on.endToEnd, { label: `(w) end-to-end, ${o.writers} writers${x}`, unit: 'rows/s', target: { atLeast: 150_000, note: PG('88,431') } });
}

/** (p) one writer with the processes pinned: primary (and this process) on CPU 0, the rest on CPU 1. */
export async function partP(o: PartOptions, figs: Figures): Promise<void> {
  const n = cpus().length;
  if (n < 2 || !pinTo(process.pid, '0')) {
    console.log('  (p) skipped: needs two CPUs and taskset');
    return;
  }
  const x = tlsOf(o);
  const pin = { primary: '0', rest: '1' };
  try {
    const alone = (await ingestAlone(o, 'p', 1, pin)).rowsPerSec;
    figs.add(`p.ingest.off${x}`, alone, { label: `(p) primary ingest, 1 writer, sync off, pinned${x}`, unit: 'rows/s' });
    const on = await saturationWithSync(o, figs, 'p', 1, { pin });
    figs.add(`p.ingest.on${x}`, on.ingest, { label: `(p) primary ingest, 1 writer, sync on, pinned${x}`, unit: 'rows/s' });
    figs.add(`p.cost${x}`, 100 * (1 - on.ingest / alone), { label: `(p) cost of the sync to the primary, own cores${x}`, unit: '%', digits: 1, target: { atMost: 2, note: 'nothing measurable' } });
    figs.add(`p.e2e${x}`, on.endToEnd, { label: `(p) end-to-end, 1 writer, pinned${x}`, unit: 'rows/s' });
  } finally {
    pinTo(process.pid, `0-${n - 1}`);
  }
}

/** (b) the live rate: lag, the primary's commit of a 20-row batch, point reads. */
export async function partB(o: PartOptions, figs: Figures): Promise<void> {
  const x = tlsOf(o);
  const t = await startBenchTopology({ fsync: o.fsync, tls: o.linksTls });
  try {
    const { p, s } = await setUp(t);
    await waitCaughtUp(p);
    const layout = new RowLayout(o.liveRatePerSec * (LIVE_WARMUP_SECONDS + o.liveSeconds), LIVE_ROWS_PER_STATEMENT);
    const warm = Math.round((o.liveRatePerSec * LIVE_WARMUP_SECONDS) / LIVE_ROWS_PER_STATEMENT);
    const seenMs = new Float64Array(layout.statements);
    const progress = { sent: 0 };
    const writer = await nodeClient(t.primary.ports.graph, SPACE, 1);
    const jittered = (): number => LAG_POLL_MS * (1 - LAG_POLL_JITTER + 2 * LAG_POLL_JITTER * Math.random());
    const r = await readers(t, layout, progress, jittered, (from, to, at) => seenMs.fill(at, from, to));
    const pointsAfterWarmUp = setTimeout(() => r.points.start(), 1000 * LIVE_WARMUP_SECONDS);
    const live = await openLoop(writer, layout, (1000 * LIVE_ROWS_PER_STATEMENT) / o.liveRatePerSec, progress);
    await r.frontier.reached();
    const reads = await r.points.stop();
    await r.frontier.stop();
    clearTimeout(pointsAfterWarmUp);
    const lags: number[] = [];
    const commits: number[] = [];
    const coldLags: number[] = [];
    const coldCommits: number[] = [];
    let early = 0;
    for (let k = 0; k < layout.statements; k++) {
      const lag = seenMs[k]! - live.ackMs[k]!;
      if (lag < 0) early++;
      (k < warm ? coldLags : lags).push(Math.max(0, lag));
      (k < warm ? coldCommits : commits).push(live.ackMs[k]! - live.sentMs[k]!);
    }
    for (const a of [lags, commits, coldLags, coldCommits]) a.sort((x, y) => x - y);
    const lag = (q: number, target: Target) =>
      figs.add(`b.lag.p${q}${x}`, percentile(lags, q), { label: `(b) lag at ${o.liveRatePerSec} rows/s, p${q}${x}`, unit: 'ms', digits: 2, target });
    lag(50, { atMost: 3, note: PG('3.40') });
    lag(90, { note: PG('6.40') });
    lag(99, { atMost: 8, note: PG('7.97') });
    figs.add(`b.lag.max${x}`, lags.at(-1)!, { label: `(b) lag at ${o.liveRatePerSec} rows/s, max${x}`, unit: 'ms', digits: 2, target: { atMost: 15, note: PG('15.75') } });
    if (early > 0) console.log(`  (b) ${early} of ${layout.statements} statements were seen on the secondary before their acknowledgement arrived (lag 0)`);
    figs.add(`b.commit.p50${x}`, percentile(commits, 50), { label: `(b) primary commit of a 20-row batch, p50${x}`, unit: 'ms', digits: 2, target: { atMost: 1, note: PG('1.27') } });
    figs.add(`b.commit.p99${x}`, percentile(commits, 99), { label: `(b) primary commit of a 20-row batch, p99${x}`, unit: 'ms', digits: 2, target: { note: PG('4.76') } });
    figs.add(`b.cold.lag.max${x}`, coldLags.at(-1)!, { label: `(b) cold start, the first ${LIVE_WARMUP_SECONDS} s: lag max${x}`, unit: 'ms', digits: 2 });
    figs.add(`b.cold.commit.p99${x}`, percentile(coldCommits, 99), { label: `(b) cold start, the first ${LIVE_WARMUP_SECONDS} s: commit p99${x}`, unit: 'ms', digits: 2 });
    figs.add(`b.read.p50${x}`, reads.p50, { label: `(b) point FETCH on the secondary during the lag phase, p50${x}`, unit: 'ms', digits: 2, target: { note: PG('0.24') } });
    figs.add(`b.read.p99${x}`, reads.p99, { label: `(b) point FETCH on the secondary during the lag phase, p99${x}`, unit: 'ms', digits: 2, target: { atMost: 5 } });
    await checkAll(r.pollConn, layout, 'b');
    await writer.close();
    for (const c of [r.pollConn, r.pointConn, p, s!]) await c.close();
  } finally {
    await t.close();
  }
}

/** Write `rows` rows with `writers` connections, nobody reading. */
async function backlog(t: BenchTopology, layout: RowLayout, writers: number): Promise<void> {
  const writer = await nodeClient(t.primary.ports.graph, SPACE, writers);
  await saturate(writer, layout, writers, { sent: 0 });
  await writer.close();
}

/** Time from `begin()` until the secondary holds every row of `layout`; answers rows/s. */
async function timeUntilAll(t: BenchTopology, layout: RowLayout, part: string, begin: () => Promise<void>): Promise<number> {
  const reader = await client(t.secondary!.ports.graph, TARGET);
  const started = performance.now();
  await begin();
  const frontier = new SeqFrontier(reader, layout, { sent: () => layout.statements, intervalMs: () => SATURATION_POLL_MS }).start();
  const doneMs = await frontier.reached();
  await frontier.stop();
  await checkAll(reader, layout, part);
  await reader.close();
  return rowsPerSec(layout.rows, doneMs - started);
}

/** (c) catch-up: a backlog written while the sync was stopped, then RESTART SYNC. */
export async function partC(o: PartOptions, figs: Figures): Promise<void> {
  const x = tlsOf(o);
  const t = await startBenchTopology({ fsync: o.fsync, tls: o.linksTls });
  try {
    const { p, s } = await setUp(t);
    await waitCaughtUp(p);
    await run(p, 'STOP SYNC');
    const layout = new RowLayout(o.backlogRows, SATURATION_ROWS_PER_STATEMENT);
    await backlog(t, layout, o.writers);
    const rate = await timeUntilAll(t, layout, 'c', async () => void (await run(p, 'RESTART SYNC')));
    const live = o.liveRatePerSec;
    figs.add(`c.rate${x}`, rate, { label: `(c) catch-up of ${layout.rows.toLocaleString('en-US')} rows after RESTART SYNC${x}`, unit: 'rows/s', target: { atLeast: 5 * live, note: `5x the live ${live} rows/s` } });
    recordRss(figs, 'c', o, t);
    await p.close();
    await s!.close();
  } finally {
    await t.close();
  }
}

/** (d) snapshot full sync: rows whose WAL expired before ADD LISTENER SYNC. */
export async function partD(o: PartOptions, figs: Figures): Promise<void> {
  const x = tlsOf(o);
  const t = await startBenchTopology({ walTtlSecs: SNAPSHOT_WAL_TTL_SECS, fsync: o.fsync, tls: o.linksTls });
  try {
    const { p, s } = await setUp(t, { listenerSync: false });
    const layout = new RowLayout(o.rows, SATURATION_ROWS_PER_STATEMENT);
    await backlog(t, layout, o.writers);
    await new Promise((r) => setTimeout(r, SNAPSHOT_WAL_GONE_MS));
    const rate = await timeUntilAll(t, layout, 'd', async () => {
      await addListenerSync(t, p);
      await waitForSchema(s!);
    });
    figs.add(`d.rate${x}`, rate, { label: `(d) snapshot full sync of ${layout.rows.toLocaleString('en-US')} rows${x}`, unit: 'rows/s', target: { atLeast: 150_000 } });
    await p.close();
    await s!.close();
  } finally {
    await t.close();
  }
}

export function printLoad(when: string): void {
  console.log(`  load average (1, 5, 15 min) ${when}: ${loadAverage()}`);
}
