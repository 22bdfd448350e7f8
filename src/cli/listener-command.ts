/**
 * `nebula-sync listener`. PLACEHOLDER: being built (src/engine/sync/DESIGN.md).
 */
import { Command } from 'commander';

export function listenerCommand(): Command {
  return new Command('listener').description('run a meta or storage listener (not built yet)').action(() => {
    process.stderr.write('nebula-sync listener is not built yet\n');
    process.exit(2);
  });
}
