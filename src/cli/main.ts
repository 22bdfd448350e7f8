/**
 * The `nebula-sync` command line: one program, one subcommand per process kind (DESIGN section 1).
 */
import { Command } from 'commander';
import { benchCommand } from './bench-command.ts';
import { clusterCommand } from './cluster-command.ts';
import { consoleCommand } from './console.ts';

export function program(): Command {
  return new Command('nebula-sync')
    .description('A NebulaGraph-compatible cluster and its cross-cluster synchronization.')
    .version('0.1.0')
    .addCommand(clusterCommand())
    .addCommand(consoleCommand())
    .addCommand(benchCommand());
}

await program().parseAsync(process.argv);
