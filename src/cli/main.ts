/**
 * The `nebula-sync` command line: one program, one subcommand per process kind (DESIGN section 1).
 */
import { Command } from 'commander';
import { benchCommand } from './bench-command.ts';
import { clusterCommand } from './cluster-command.ts';
import { consoleCommand } from './console.ts';
import { drainerCommand } from './drainer-command.ts';
import { listenerCommand } from './listener-command.ts';
import { playgroundCommand } from './playground-command.ts';

export function program(): Command {
  return new Command('nebula-sync')
    .description('A NebulaGraph-compatible cluster and its cross-cluster synchronization.')
    .version('0.1.0')
    .addCommand(clusterCommand())
    .addCommand(listenerCommand())
    .addCommand(drainerCommand())
    .addCommand(consoleCommand())
    .addCommand(playgroundCommand())
    .addCommand(benchCommand());
}

await program().parseAsync(process.argv);
