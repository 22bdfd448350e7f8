/**
 * `nebula-sync bench <name>`: the benchmarks (`npm run bench -- ingest`). They print figures;
 * nothing else in the project decides speed. Each benchmark's module is loaded only when it runs.
 */
import { Command, Option } from 'commander';
import {
  defaultIngestOptions as INGEST,
  defaultStartupOptions as STARTUP,
  defaultSyncBenchOptions as SYNC,
  defaultVerifyBenchOptions as VERIFY,
} from '../../bench/defaults.ts';

export function benchCommand(): Command {
  const cmd = new Command('bench').description('run a benchmark and print its figures');
  cmd
    .command('ingest')
    .description('200,000 vertices as 500-row INSERTs through the NebulaGraph Node client: rows/s, p50/p99, peak RSS')
    .option('--rows <n>', 'vertices to insert', String(INGEST.rows))
    .option('--batch <n>', 'rows per INSERT statement', String(INGEST.rowsPerStatement))
    .option('--concurrency <n>', 'client connections writing at once', String(INGEST.concurrency))
    .option('--wal_fsync <bool>', 'server fsyncs each group commit', 'true')
    .action(async (opts: { rows: string; batch: string; concurrency: string; wal_fsync: string }) => {
      const { runIngestBench } = await import('../../bench/ingest.ts');
      await runIngestBench({
        rows: Number(opts.rows),
        rowsPerStatement: Number(opts.batch),
        concurrency: Number(opts.concurrency),
        fsync: opts.wal_fsync !== 'false',
      });
    });
  cmd
    .command('sync')
    .description("issue 8's method on the seed topology: ingest with sync off/on, end-to-end (1 and 4 writers), lag, commit latency, reads on the secondary, catch-up, snapshot, RSS")
    .option('--rows <n>', 'rows of each saturation part and of the snapshot', String(SYNC.rows))
    .option('--writers <n>', 'connections writing at once in part w (and the backlogs of c, d)', String(SYNC.writers))
    .option('--rate <n>', 'rows/s offered in the live-lag part', String(SYNC.liveRatePerSec))
    .option('--seconds <n>', 'length of the live-lag part', String(SYNC.liveSeconds))
    .option('--backlog <n>', 'rows written while the sync is stopped (part c)', String(SYNC.backlogRows))
    .option('--wal_fsync <bool>', 'both clusters fsync each group commit', String(SYNC.fsync))
    .option('--parts <letters>', 'a = 1 writer, sync off/on; w = 4 writers; p = pinned to cores; b = live lag; c = catch-up; d = snapshot', SYNC.parts)
    .option('--runs <n>', 'runs of every part; the summary prints medians', String(SYNC.runs))
    .addOption(
      new Option('--tls <mode>', 'internal links: off (plaintext), on (mutual TLS), both (each part both ways)')
        .choices(['off', 'on', 'both'])
        .default(SYNC.tls),
    )
    .action(async (opts: { rows: string; writers: string; rate: string; seconds: string; backlog: string; wal_fsync: string; parts: string; runs: string; tls: 'off' | 'on' | 'both' }) => {
      const { runSyncBench } = await import('../../bench/sync.ts');
      await runSyncBench({
        rows: Number(opts.rows),
        writers: Math.max(1, Number(opts.writers)),
        liveRatePerSec: Number(opts.rate),
        liveSeconds: Number(opts.seconds),
        backlogRows: Number(opts.backlog),
        fsync: opts.wal_fsync !== 'false',
        parts: opts.parts,
        runs: Math.max(1, Number(opts.runs)),
        tls: opts.tls,
      });
    });
  cmd
    .command('verify')
    .description('VERIFY SYNC after 1,000,000 rows went through the sync, quiet and under a write load: rows/s per side')
    .option('--rows <n>', 'rows to load (half vertices, half edges)', String(VERIFY.rows))
    .option('--wal_fsync <bool>', 'both clusters fsync each group commit', String(VERIFY.fsync))
    .option('--load <n>', '20-row INSERTs per second during the second verify', String(VERIFY.loadStatementsPerSec))
    .action(async (opts: { rows: string; wal_fsync: string; load: string }) => {
      const { runVerifyBench } = await import('../../bench/verify.ts');
      await runVerifyBench({ rows: Number(opts.rows), fsync: opts.wal_fsync === 'true', loadStatementsPerSec: Number(opts.load) });
    });
  cmd
    .command('startup')
    .description('--help wall time, spawn-to-ready time of each process kind, and their idle RSS')
    .option('--runs <n>', 'runs of each measurement (the median is printed)', String(STARTUP.runs))
    .action(async (opts: { runs: string }) => {
      const { runStartupBench } = await import('../../bench/startup.ts');
      await runStartupBench({ runs: Math.max(1, Number(opts.runs)) });
    });
  return cmd;
}
