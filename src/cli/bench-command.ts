/**
 * `nebula-sync bench <name>`: the benchmarks (`npm run bench -- ingest`). They print figures;
 * nothing else in the project decides speed.
 */
import { Command } from 'commander';
import { defaultIngestOptions, runIngestBench } from '../../bench/ingest.ts';

export function benchCommand(): Command {
  const cmd = new Command('bench').description('run a benchmark and print its figures');
  cmd
    .command('ingest')
    .description('200,000 vertices as 500-row INSERTs through the NebulaGraph Node client: rows/s, p50/p99, peak RSS')
    .option('--rows <n>', 'vertices to insert', String(defaultIngestOptions.rows))
    .option('--batch <n>', 'rows per INSERT statement', String(defaultIngestOptions.rowsPerStatement))
    .option('--concurrency <n>', 'client connections writing at once', String(defaultIngestOptions.concurrency))
    .option('--wal_fsync <bool>', 'server fsyncs each group commit', 'true')
    .action(async (opts: { rows: string; batch: string; concurrency: string; wal_fsync: string }) => {
      await runIngestBench({
        rows: Number(opts.rows),
        rowsPerStatement: Number(opts.batch),
        concurrency: Number(opts.concurrency),
        fsync: opts.wal_fsync !== 'false',
      });
    });
  return cmd;
}
