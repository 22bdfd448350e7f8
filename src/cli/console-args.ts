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

/** The long names a command accepts (without dashes), each with whether it takes a value. */
export function longOptionsOf(cmd: Command): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const o of cmd.options) {
    if (o.long !== undefined) out.set(o.long.slice(2), o.required || o.optional);
  }
  return out;
}

/** Short options (`-e`) of `cmd` that take a value. */
function shortsWithValue(cmd: Command): Set<string> {
  const out = new Set<string>();
  for (const o of cmd.options) if (o.short !== undefined && (o.required || o.optional)) out.add(o.short);
  return out;
}

/** `args` with Go-style single-dash long flags written with two dashes; see the opening comment. */
export function goStyleArgs(args: readonly string[], cmd: Command): string[] {
  const longs = longOptionsOf(cmd);
  const shorts = shortsWithValue(cmd);
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const m = /^-([A-Za-z][\w-]+)(=.*)?$/.exec(arg);
    const name = m === null ? undefined : (CONSOLE_ALIASES[m[1]!] ?? m[1]!);
    if (name !== undefined && longs.has(name)) {
      out.push(`--${name}${m![2] ?? ''}`);
      // Its value, if it takes one and it was not given with '=', is the next word, as it is.
      if (longs.get(name) === true && m![2] === undefined && i + 1 < args.length) out.push(args[++i]!);
      continue;
    }
    out.push(arg);
    const long = /^--([\w-]+)$/.exec(arg);
    if ((shorts.has(arg) || (long !== null && longs.get(long[1]!) === true)) && i + 1 < args.length) out.push(args[++i]!);
  }
  return out;
}
