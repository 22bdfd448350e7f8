/**
 * nebula-console's way of writing flags, for `nebula-sync console`: nebula-console parses its
 * command line with Go's `flag` package, where a long flag takes one dash as well as two
 * (`-addr 127.0.0.1 -port 9669 -enable_ssl`, `-timeout=500`). Commander reads a single dash as
 * short options, so `-enable_ssl` would have been `-e nable_ssl`: the statement "nable_ssl", run
 * over a plaintext connection. `goStyleArgs` rewrites every `-name` and `-name=value` whose name
 * is one of the command's long options (or one of nebula-console's longer spellings of them,
 * CONSOLE_ALIASES) to `--name`, and leaves everything else alone: short options, the value that
 * follows an option taking one (`-e -addr` runs the statement "-addr"), and all after `--`.
 */
import type { Command } from 'commander';

/** nebula-console's own long names for our options: nebula-console -> ours. */
export const CONSOLE_ALIASES: Readonly<Record<string, string>> = { address: 'addr' };

/** `args` with Go-style single-dash long flags written with two dashes; see the opening comment. */
export function goStyleArgs(args: readonly string[], cmd: Command): string[] {
  const longs = new Set<string>();
  /** The words of the options that take a value (`-e`, `--eval`). */
  const withValue = new Set<string>();
  for (const o of cmd.options) {
    if (o.long !== undefined) longs.add(o.long.slice(2));
    if (o.required || o.optional) for (const word of [o.short, o.long]) if (word !== undefined) withValue.add(word);
  }
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    let arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const m = /^-([A-Za-z][\w-]+)(=.*)?$/.exec(arg);
    const name = m === null ? undefined : (CONSOLE_ALIASES[m[1]!] ?? m[1]!);
    if (name !== undefined && longs.has(name)) arg = `--${name}${m![2] ?? ''}`;
    out.push(arg);
    // An option's value, when not given with '=', is the next word, as it is.
    if (withValue.has(arg) && i + 1 < args.length) out.push(args[++i]!);
  }
  return out;
}
