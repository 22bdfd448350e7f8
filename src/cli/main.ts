/**
 * The `nebula-sync` command line: one program, one subcommand per process kind (DESIGN section 1).
 *
 * Only the subcommand being run is loaded: a listener or a drainer never loads the cluster, the
 * parser or the console, which keeps each process's memory to what it needs (the listener and
 * drainer RSS targets). `nebula-sync --help` loads every command's definition to list them; a
 * command loads its server only in its action, so that stays fast (`npm run bench -- startup`).
 */
import { Command } from 'commander';

// gRPC's own logger writes raw lines (`E No address added ...`) to stderr, where every process
// writes one JSON object per line; our code logs what matters. GRPC_VERBOSITY=ERROR brings it back.
process.env['GRPC_VERBOSITY'] ??= 'NONE';

type CommandFactory = () => Promise<Command>;

const COMMANDS: Readonly<Record<string, CommandFactory>> = {
  cluster: async () => (await import('./cluster-command.ts')).clusterCommand(),
  listener: async () => (await import('./listener-command.ts')).listenerCommand(),
  drainer: async () => (await import('./drainer-command.ts')).drainerCommand(),
  console: async () => (await import('./console.ts')).consoleCommand(),
  playground: async () => (await import('./playground-command.ts')).playgroundCommand(),
  bench: async () => (await import('./bench-command.ts')).benchCommand(),
  verify: async () => (await import('./verify-command.ts')).verifyCommand(),
  switchover: async () => (await import('./switchover-command.ts')).switchoverCommand(),
};

export async function program(argv: readonly string[]): Promise<Command> {
  const root = new Command('nebula-sync')
    .description('A NebulaGraph-compatible cluster and its cross-cluster synchronization.')
    .version('0.1.0');
  const wanted = argv[2];
  const names = wanted !== undefined && wanted in COMMANDS ? [wanted] : Object.keys(COMMANDS);
  for (const name of names) root.addCommand(await COMMANDS[name]!());
  return root;
}

await (await program(process.argv)).parseAsync(process.argv);
