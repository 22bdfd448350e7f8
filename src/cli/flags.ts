/**
 * NebulaGraph-style flags: every process takes `--name=value` flags on the command line and in a
 * gflags flagfile (`--flagfile FILE`: one `--name=value` or `-name=value` per line, `#` comment
 * lines, no inline comments, the value runs to the end of the line). The command line wins over the
 * file. An unknown flag on the command line is an error that names it (commander reports it); in a
 * flagfile it is a warning, so NebulaGraph's own conf files load.
 *
 * Values are checked against their spec before a process starts anything: the type, an int's
 * `min`/`max`, a port's range (0..65535, 0 = any free port), and that a `path` can be a folder.
 * An error names the flag, what it expects and what it got.
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Logger } from '../log.ts';

/** `port`: an int 0..65535. `path`: a folder the process creates or uses (checked, not created). */
export type FlagKind = 'string' | 'int' | 'bool' | 'port' | 'path';
export type FlagValue = string | number | boolean;

export interface FlagSpec {
  readonly name: string;
  readonly kind: FlagKind;
  /** '' for a string or path flag that has none: `--help` then shows no default. */
  readonly default: FlagValue;
  readonly help: string;
  /** Smallest value an int flag takes (inclusive). */
  readonly min?: number;
  /** Largest value an int flag takes (inclusive). */
  readonly max?: number;
}

export const PORT_MAX = 65535;

export type FlagValues = Readonly<Record<string, FlagValue>>;

/** What `--help` adds after a flag's own help: its range and its default, when it has them. */
export function flagHelpSuffix(spec: FlagSpec): string {
  const notes: string[] = [];
  if (spec.min !== undefined && spec.max !== undefined) notes.push(`${spec.min}..${spec.max}`);
  else if (spec.min !== undefined) notes.push(`at least ${spec.min}`);
  else if (spec.max !== undefined) notes.push(`at most ${spec.max}`);
  if (spec.default !== '') notes.push(`default: ${String(spec.default)}`);
  return notes.length === 0 ? '' : ` (${notes.join('; ')})`;
}

/** Adds `--flagfile` and one option per spec, with its range and default shown in `--help`. */
export function addFlags(cmd: Command, specs: readonly FlagSpec[]): Command {
  cmd.option('--flagfile <file>', 'read flags from a gflags flagfile (command-line flags win)');
  for (const spec of specs) {
    const placeholder = spec.kind === 'bool' ? '[bool]' : '<value>';
    cmd.option(`--${spec.name} ${placeholder}`, `${spec.help}${flagHelpSuffix(spec)}`);
  }
  return cmd;
}

export interface FlagfileLine {
  readonly name: string;
  readonly value: string | undefined;
  readonly line: number;
}

/** Parse a gflags flagfile's text. Lines that are not flags are reported, not fatal. */
export function parseFlagfile(text: string): { flags: FlagfileLine[]; bad: number[] } {
  const flags: FlagfileLine[] = [];
  const bad: number[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^--?([A-Za-z0-9_]+)(?:=(.*))?$/.exec(line);
    if (match === null) {
      bad.push(index + 1);
      return;
    }
    flags.push({ name: match[1]!, value: match[2], line: index + 1 });
  });
  return { flags, bad };
}

/** Why `path` cannot be a folder this process creates or writes, or undefined when it can. */
export function unusableFolder(path: string): string | undefined {
  let at = resolve(path);
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(at).isDirectory();
    } catch {
      const parent = dirname(at);
      if (parent === at) return 'has no existing parent folder';
      at = parent;
      continue;
    }
    if (!isDir) return at === resolve(path) ? 'is a file, not a folder' : `cannot be created: ${at} is a file`;
    try {
      accessSync(at, constants.W_OK | constants.X_OK);
    } catch {
      return at === resolve(path) ? 'cannot be written' : `cannot be created: ${at} cannot be written`;
    }
    return undefined;
  }
}

function convertInt(spec: FlagSpec, raw: unknown): FlagValue | Error {
  const text = String(raw).trim();
  const port = spec.kind === 'port';
  const min = port ? 0 : spec.min;
  const max = port ? PORT_MAX : spec.max;
  const what = port ? `a port number 0..${PORT_MAX} (0 = any free port)` : 'an integer';
  if (!/^-?\d+$/.test(text)) return new Error(`flag --${spec.name} expects ${what}, got '${text}'`);
  const n = Number.parseInt(text, 10);
  if (port && (n < min! || n > max!)) return new Error(`flag --${spec.name} expects ${what}, got ${text}`);
  if (min !== undefined && n < min) return new Error(`flag --${spec.name} must be at least ${min}, got ${text}`);
  if (max !== undefined && n > max) return new Error(`flag --${spec.name} must be at most ${max}, got ${text}`);
  return n;
}

function convert(spec: FlagSpec, raw: unknown): FlagValue | Error {
  switch (spec.kind) {
    case 'bool': {
      if (raw === true || raw === undefined) return true;
      const text = String(raw).toLowerCase();
      if (text === 'true' || text === '1' || text === 'yes') return true;
      if (text === 'false' || text === '0' || text === 'no') return false;
      return new Error(`flag --${spec.name} expects true or false, got '${String(raw)}'`);
    }
    case 'int':
    case 'port':
      return convertInt(spec, raw);
    case 'path':
    case 'string':
      return String(raw);
  }
}

/**
 * The flags' final values: defaults, then the flagfile, then the command line. Answers an Error
 * naming the flag when a value has the wrong type or the flagfile cannot be read.
 */
export function resolveFlags(cmd: Command, specs: readonly FlagSpec[], log: Logger): FlagValues | Error {
  const opts = cmd.opts<Record<string, unknown>>();
  const values: Record<string, FlagValue> = {};
  for (const spec of specs) values[spec.name] = spec.default;
  const byName = new Map(specs.map((s) => [s.name, s]));

  const flagfile = opts['flagfile'];
  if (typeof flagfile === 'string') {
    let text: string;
    try {
      text = readFileSync(flagfile, 'utf8');
    } catch (cause) {
      return new Error(`cannot read flagfile ${flagfile}: ${(cause as Error).message}`);
    }
    const parsed = parseFlagfile(text);
    for (const line of parsed.bad) log.warn('flagfile line is not a flag; ignored', { flagfile, line });
    for (const flag of parsed.flags) {
      const spec = byName.get(flag.name);
      if (spec === undefined) {
        log.warn('unknown flag in flagfile; ignored', { flagfile, flag: flag.name, line: flag.line });
        continue;
      }
      const value = convert(spec, flag.value);
      if (value instanceof Error) return new Error(`${flagfile}:${flag.line}: ${value.message}`);
      values[spec.name] = value;
    }
  }
  for (const spec of specs) {
    if (cmd.getOptionValueSource(spec.name) !== 'cli') continue;
    const value = convert(spec, opts[spec.name]);
    if (value instanceof Error) return value;
    values[spec.name] = value;
  }
  // Paths last, whichever source set them: a default is used like a given value.
  for (const spec of specs) {
    const path = String(values[spec.name]);
    const why = spec.kind === 'path' && path !== '' ? unusableFolder(path) : undefined;
    if (why !== undefined) return new Error(`flag --${spec.name}: ${path} ${why}`);
  }
  return values;
}

/** Parse `ip:port[,ip:port]` (meta_server_addrs, SIGN IN lists). */
export function parseAddrs(text: string): { host: string; port: number }[] | Error {
  const out: { host: string; port: number }[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const match = /^(.+):(\d{1,5})$/.exec(part);
    const port = match ? Number(match[2]) : NaN;
    if (match === null || port < 1 || port > 65535) return new Error(`'${part}' is not an address of the form ip:port`);
    out.push({ host: match[1]!, port });
  }
  return out;
}
