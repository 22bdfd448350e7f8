/**
 * `npm run bench -- sync`: the seed's five processes on loopback, measured the way issue 8 sets
 * out (the header printed below is the method). Each part starts a fresh topology; `--runs N`
 * repeats them and ends with each figure's median; `--parts` picks parts; `--tls on|off|both`
 * runs them with mutual TLS on every internal link, without, or both ways (labelled). The
 * machine's load average is printed with every run: the figures mean little on a busy machine.
 */
import { defaultSyncBenchOptions, type SyncBenchOptions } from './defaults.ts';
import { Figures } from './measure.ts';
import {
  LAG_POLL_MS,
  LIVE_WARMUP_SECONDS,
  LIVE_ROWS_PER_STATEMENT,
  partA,
  partB,
  partC,
  partD,
  partP,
  partW,
  printLoad,
  SATURATION_POLL_MS,
  SATURATION_ROWS_PER_STATEMENT,
  type PartOptions,
} from './sync-parts.ts';

const n = (v: number): string => v.toLocaleString('en-US');

function printMethod(o: SyncBenchOptions): void {
  const lines = [
    `sync benchmark (issue 8's method), ${o.runs} run(s), parts ${o.parts}, wal_fsync=${o.fsync}, internal links TLS: ${o.tls}`,
    '  topology: for each part a fresh primary, secondary, meta listener, storage listener and drainer on loopback,',
    '    connected as the seed sets them up (ADD DRAINER, read_only, SIGN IN DRAINER SERVICE, ADD LISTENER SYNC)',
    '  space: partition_num=15, vid_type=fixed_string(32), tag player(name string, age int, seq int);',
    '    row i is "player<i>":("<12 chars>", i % 90, i)',
    `  writers: the real Node client (@nebula-contrib/nebula-nodejs), one statement in flight per connection`,
    `  (a) ${n(o.rows)} rows as ${SATURATION_ROWS_PER_STATEMENT}-row INSERTs over ONE connection, as fast as it goes: primary alone (sync off),`,
    '    then with the sync on. Primary ingest = first send to last acknowledgement. End-to-end = first send until',
    `    a poller (every ${SATURATION_POLL_MS} ms) finds every row on the secondary; the poller tracks the highest seq below which`,
    '    all rows are present (one FETCHed vid per statement and partition: each is one WAL entry, applied whole);',
    '    afterwards every row is FETCHed and its seq checked. A point FETCH of a present row every 10 ms on its own',
    '    connection times reads on the secondary while it applies. Peak RSS of every process. Then the same again',
    `    in the same processes on rows of their own (seq ${n(o.rows)} on): the warm end-to-end, once the JIT compiled the`,
    '    hot code (the first run pays for compiling it; the headline figure stays the first, from fresh processes).',
    '    CPU per row of every process (/proc) and their sum; the ceiling = CPUs x 1,000,000 / that sum: the most',
    '    rows/s these CPUs could carry at that cost, if they did nothing else and no process waited for another.',
    `  (w) as (a) with the sync on and ${o.writers} connections writing at once.`,
    '  (p) as (a) with the processes pinned by taskset: the primary and this benchmark on CPU 0, the other four on',
    '    CPU 1: the cost of the sync where the primary has its own core.',
    `  (b) ${n(o.liveRatePerSec)} rows/s for ${o.liveSeconds} s offered as a ${LIVE_ROWS_PER_STATEMENT}-row INSERT every ${(1000 * LIVE_ROWS_PER_STATEMENT) / o.liveRatePerSec} ms on an open-loop`,
    `    schedule (one connection); a poller on the secondary every ${LAG_POLL_MS} ms (jittered +/-50%) reads the highest contiguous`,
    '    seq; lag of a row = the answer time of the first poll that saw it - the moment its INSERT was acknowledged.',
    '    Commit of a 20-row batch = send to acknowledgement, client-observed. Point FETCHes as in (a).',
    `    The same load runs ${LIVE_WARMUP_SECONDS} s before the measured ${o.liveSeconds} s, on the same schedule and connection: its statements`,
    '    are the first after the processes started (cold: JIT, first prepared statements, first applies), and are',
    '    reported apart as the cold start (lag max, commit p99), not in the figures above.',
    `  (c) STOP SYNC, ${n(o.backlogRows)} rows written (${o.writers} connections), RESTART SYNC: rows/s until the secondary holds all.`,
    `  (d) ${n(o.rows)} rows written before ADD LISTENER SYNC, their WAL expired (wal_ttl=1): snapshot full sync rows/s.`,
    '  Targets (issue 8) and PostgreSQL 15 logical replication on the same kind of box are printed beside each figure.',
  ];
  console.log(lines.join('\n'));
}

const PARTS: readonly (readonly [string, (o: PartOptions, f: Figures) => Promise<void>])[] = [
  ['a', partA],
  ['w', partW],
  ['p', partP],
  ['b', partB],
  ['c', partC],
  ['d', partD],
];

export async function runSyncBench(o: SyncBenchOptions = defaultSyncBenchOptions): Promise<void> {
  printMethod(o);
  const figs = new Figures();
  const ways = o.tls === 'both' ? [false, true] : [o.tls === 'on'];
  for (let r = 1; r <= o.runs; r++) {
    console.log(`\nrun ${r} of ${o.runs}`);
    printLoad('at the start');
    // Both ways part by part, so the two figures of a part are taken close together.
    for (const [letter, part] of PARTS) {
      if (!o.parts.includes(letter)) continue;
      for (const linksTls of ways) await part({ ...o, linksTls }, figs);
    }
    printLoad('at the end');
  }
  figs.summary(o.runs);
}
