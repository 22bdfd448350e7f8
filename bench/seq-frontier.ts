/**
 * Readers of the secondary for the sync benchmark, each on its own graph connection:
 *
 * - `SeqFrontier` polls for the highest seq below which every row is present. Partitions
 *   replicate independently, so the highest seq seen says nothing about the rows below it. Each
 *   poll FETCHes, for a window of statements above the frontier, one row per (statement,
 *   partition) chunk not yet seen (bench-rows.ts: a chunk is one WAL entry, applied whole), lowest
 *   first; the frontier moves past a statement once all its chunks are seen. The window follows
 *   the pace (twice the statements the last poll passed, between `WINDOW_MIN` and `WINDOW_MAX`),
 *   so that rows not there yet are not asked for again and again: about 15 point reads per
 *   500-row statement rather than 500, and the poller hardly loads what it measures. The run ends
 *   with a FETCH of every row (`verifyAll`).
 * - `PointReads` times single-vid FETCHes of rows already there, as an application reading the
 *   secondary would, while it applies.
 */
import { performance } from 'node:perf_hooks';
import type { GraphClient } from '../src/client/graph-client.ts';
import { vidOf, type RowLayout } from './bench-rows.ts';
import { percentile } from './measure.ts';

/** Statements above the frontier one poll looks at: at least, at most. */
const WINDOW_MIN = 4;
const WINDOW_MAX = 64;
/** Rows per FETCH when every row is checked at the end. */
const VERIFY_VIDS_PER_FETCH = 2_000;
/** Pause between point reads. */
const POINT_READ_GAP_MS = 10;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function fetchSeqs(seqs: readonly number[]): string {
  return `FETCH PROP ON player ${seqs.map((s) => `"${vidOf(s)}"`).join(', ')} YIELD player.seq`;
}

export interface FrontierOptions {
  /** Statements that may be on the secondary yet (sent by the writer). */
  readonly sent: () => number;
  /** Milliseconds from one poll's start to the next's. */
  readonly intervalMs: () => number;
  /** Told each time the frontier moves past statements [from, to), with the poll's answer time. */
  readonly onAdvance?: (from: number, to: number, atMs: number) => void;
}

export class SeqFrontier {
  /** First statement not yet wholly seen. */
  private frontier = 0;
  /** Unseen representatives of statements at or above the frontier. */
  private readonly unseen = new Map<number, Set<number>>();
  private stopped = false;
  private loop: Promise<void> | undefined;
  private waiters: { statements: number; resolve: (atMs: number) => void }[] = [];
  private window = WINDOW_MIN;
  polls = 0;

  constructor(
    private readonly reader: GraphClient,
    private readonly layout: RowLayout,
    private readonly options: FrontierOptions,
  ) {}

  /** Rows below the frontier: all present on the secondary. */
  get rows(): number {
    return this.layout.rowsBefore(this.frontier);
  }

  start(): this {
    this.loop = this.run();
    return this;
  }

  /** Resolves with the answer time of the poll that saw every row of the first `statements`. */
  reached(statements: number = this.layout.statements): Promise<number> {
    return new Promise((resolve) => {
      this.waiters.push({ statements, resolve });
      this.settle(performance.now());
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped && this.frontier < this.layout.statements) {
      const started = performance.now();
      await this.poll();
      const wait = started + this.options.intervalMs() - performance.now();
      if (wait > 0) await sleep(wait);
    }
  }

  private async poll(): Promise<void> {
    const limit = Math.min(this.options.sent(), this.layout.statements);
    const seqs: number[] = [];
    for (let k = this.frontier; k < Math.min(limit, this.frontier + this.window); k++) {
      let set = this.unseen.get(k);
      if (set === undefined) this.unseen.set(k, (set = new Set(this.layout.representatives(k))));
      for (const s of set) seqs.push(s);
    }
    if (seqs.length === 0) return;
    const res = await this.reader.execute(fetchSeqs(seqs));
    const at = performance.now();
    this.polls++;
    // Before the schema reached the secondary the tag is unknown: nothing is there yet.
    if (res.errorCode !== 0 || res.data === undefined) return;
    for (const row of res.data.rows) {
      const seq = Number(row[0]);
      this.unseen.get(this.layout.statementOf(seq))?.delete(seq);
    }
    const from = this.frontier;
    while (this.frontier < limit && this.unseen.get(this.frontier)?.size === 0) this.unseen.delete(this.frontier++);
    this.window = Math.min(WINDOW_MAX, Math.max(WINDOW_MIN, 2 * (this.frontier - from)));
    if (this.frontier > from) {
      this.layout.forgetBelow(this.frontier);
      this.options.onAdvance?.(from, this.frontier, at);
      this.settle(at);
    }
  }

  private settle(atMs: number): void {
    this.waiters = this.waiters.filter((w) => {
      if (this.frontier < w.statements) return true;
      w.resolve(atMs);
      return false;
    });
  }
}

/** FETCH every row of the layout; answers how many are present with the right seq. */
export async function verifyAll(reader: GraphClient, layout: RowLayout): Promise<number> {
  let good = 0;
  for (let first = 0; first < layout.rows; first += VERIFY_VIDS_PER_FETCH) {
    const seqs = Array.from({ length: Math.min(VERIFY_VIDS_PER_FETCH, layout.rows - first) }, (_, j) => layout.offset + first + j);
    const res = await reader.execute(fetchSeqs(seqs));
    if (res.errorCode !== 0 || res.data === undefined) throw new Error(`verify FETCH failed: ${res.errorMsg}`);
    const want = new Set(seqs);
    for (const row of res.data.rows) if (want.delete(Number(row[0]))) good++;
  }
  return good;
}

/** Single-row FETCHes of rows below `present()`, one every `POINT_READ_GAP_MS`, timed. */
export class PointReads {
  private readonly samplesMs: number[] = [];
  private stopped = false;
  private loop: Promise<void> | undefined;
  private failures = 0;

  constructor(
    private readonly reader: GraphClient,
    private readonly present: () => number,
  ) {}

  start(): this {
    this.loop = (async () => {
      while (!this.stopped) {
        const seq = Math.floor(Math.random() * Math.max(1, this.present()));
        const t0 = performance.now();
        const res = await this.reader.execute(`FETCH PROP ON player "${vidOf(seq)}" YIELD player.seq`);
        this.samplesMs.push(performance.now() - t0);
        if (res.errorCode !== 0) this.failures++;
        await sleep(POINT_READ_GAP_MS);
      }
    })();
    return this;
  }

  /** Stop, and answer p50/p99 in ms and how many reads were timed. */
  async stop(): Promise<{ p50: number; p99: number; count: number; failures: number }> {
    this.stopped = true;
    await this.loop;
    const sorted = [...this.samplesMs].sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), count: sorted.length, failures: this.failures };
  }
}
