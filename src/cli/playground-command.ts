/**
 * `nebula-sync playground`. PLACEHOLDER: being built (src/engine/sync/DESIGN.md).
 */
import { Command } from 'commander';

export function playgroundCommand(): Command {
  return new Command('playground').description('start two synchronized clusters (not built yet)').action(() => {
    process.stderr.write('nebula-sync playground is not built yet\n');
    process.exit(2);
  });
}
