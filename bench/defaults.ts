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
  readonly rows: number;
  readonly liveRatePerSec: number;
  readonly liveSeconds: number;
  /** Both clusters fsync each group commit (the default, as a production setup would). */
  readonly fsync: boolean;
  /** Which parts to run: a (bulk), b (live lag, with c and e), d (snapshot). */
  readonly parts: string;
  /** Internal links: plaintext (off), mutual TLS (on), or each part both ways. */
  readonly tls: 'off' | 'on' | 'both';
}

export const defaultSyncBenchOptions: SyncBenchOptions = { rows: 200_000, liveRatePerSec: 2_000, liveSeconds: 20, fsync: true, parts: 'abd', tls: 'off' };

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
