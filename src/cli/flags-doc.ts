/**
 * docs/flags.md, written from the commands themselves: every command's options with the words and
 * defaults its `--help` prints, so the page cannot drift from the code. A test compares the page
 * with this output (test/unit/cli/flags-doc.test.ts; UPDATE_DOCS=1 rewrites it).
 *
 * @example
 *   writeFileSync('docs/flags.md', await flagsMarkdown());
 */
import type { Command } from 'commander';
import { benchCommand } from './bench-command.ts';
import { clusterCommand } from './cluster-command.ts';
import { consoleCommand } from './console.ts';
import { drainerCommand } from './drainer-command.ts';
import { listenerCommand } from './listener-command.ts';
import { playgroundCommand } from './playground-command.ts';
import { verifyCommand } from './verify-command.ts';
import { switchoverCommand } from './switchover-command.ts';

/** Every `nebula-sync` command, in the order `nebula-sync --help` lists them. */
export const DOCUMENTED_COMMANDS: readonly (() => Command)[] = [
  clusterCommand,
  listenerCommand,
  drainerCommand,
  consoleCommand,
  playgroundCommand,
  benchCommand,
  verifyCommand,
  switchoverCommand,
];

const INTRO = `# Flags of every command

Generated from the commands' own definitions (\`src/cli/flags-doc.ts\`); \`nebula-sync <command>
--help\` prints the same. Server commands (cluster, listener, drainer, playground) also read a
NebulaGraph-style \`--flagfile FILE\` (one \`--name=value\` per line, \`#\` comments; the command line
wins; an unknown flag in a file is a warning, on the command line an error). Every value is
checked (type, range, port 0..65535 with 0 = any free port, folder) before anything listens.
\`conf/\` holds one template per process kind (README, "Configuration files").
`;

/** A table cell: pipes escaped, one line. */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

function section(cmd: Command, path: string): string[] {
  const help = cmd.createHelp();
  const options = help.visibleOptions(cmd).filter((o) => o.long !== '--help');
  const lines = [`## \`nebula-sync ${path}\``, '', cell(cmd.description()), ''];
  if (options.length > 0) {
    lines.push('| flag | meaning |', '|---|---|');
    for (const option of options) lines.push(`| \`${cell(help.optionTerm(option))}\` | ${cell(help.optionDescription(option))} |`);
    lines.push('');
  }
  for (const sub of cmd.commands) lines.push(...section(sub, `${path} ${sub.name()}`));
  return lines;
}

export function flagsMarkdown(): string {
  const lines = [INTRO];
  for (const make of DOCUMENTED_COMMANDS) {
    const cmd = make();
    lines.push(...section(cmd, cmd.name()));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
