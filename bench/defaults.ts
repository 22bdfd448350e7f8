/**
 * Each benchmark's options and defaults, apart from the benchmark itself, so that `nebula-sync bench
 * --help` can show them without loading a benchmark (and the clients it pulls in).
 */

export interface IngestOptions {
  readonly rows: number;
  readonly rowsPerStatement: number;
  readonly concurrency: number;
  readonly fsync: boolean;
}

export const defaultIngestOptions: IngestOptions = { rows: 200_000, rowsPerStatement: 500, concurrency: 5, fsync: true };

export interface SyncBenchOptions {
  /** Rows of each saturation part (a, w, p) and of the snapshot (d). */
  readonly rows: number;
  /** Connections writing at once in part w (and writing the backlogs of c and d). */
  readonly writers: number;
  readonly liveRatePerSec: number;
  readonly liveSeconds: number;
  /** Rows written while the sync is stopped, in part c. */
  readonly backlogRows: number;
  /** Both clusters fsync each group commit (the default, as a production setup would). */
  readonly fsync: boolean;
  /**
   * Which parts to run: a (1 writer, sync off and on), w (4 writers), b (live lag), c (catch-up),
   * d (snapshot), p (1 writer, processes pinned to cores).
   */
  readonly parts: string;
  /** Internal links: plaintext (off), mutual TLS (on), or each part both ways. */
  readonly tls: 'off' | 'on' | 'both';
  /** Runs of every part; the summary gives each figure's median. */
  readonly runs: number;
}

export const defaultSyncBenchOptions: SyncBenchOptions = {
  rows: 200_000,
  writers: 4,
  liveRatePerSec: 2_000,
  liveSeconds: 20,
  backlogRows: 200_000,
  fsync: true,
  parts: 'awbcdp',
  tls: 'off',
  runs: 1,
};

export interface VerifyBenchOptions {
  readonly rows: number;
  readonly fsync: boolean;
  /** Statements per second the concurrent write load offers (each 20 vertices). */
  readonly loadStatementsPerSec: number;
}

export const defaultVerifyBenchOptions: VerifyBenchOptions = { rows: 1_000_000, fsync: false, loadStatementsPerSec: 100 };

export interface StartupBenchOptions {
  /** `--help` runs and starts of each process kind; the median is printed. */
  readonly runs: number;
}

export const defaultStartupOptions: StartupBenchOptions = { runs: 5 };
