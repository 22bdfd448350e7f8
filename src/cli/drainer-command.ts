/**
 * `nebula-sync drainer`. PLACEHOLDER: being built (src/engine/sync/DESIGN.md).
 */
import { Command } from 'commander';

export function drainerCommand(): Command {
  return new Command('drainer').description('run a drainer (not built yet)').action(() => {
    process.stderr.write('nebula-sync drainer is not built yet\n');
    process.exit(2);
  });
}
