// Pins NebulaGraph-style flags: flagfile syntax, command line over file, unknown flags (an error on
// the command line, a warning in a flagfile), type, range, port and folder errors that name the
// flag before anything starts, and --help that shows a default only where there is one.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from '../../../src/cli/children.ts';
import { addFlags, flagHelpSuffix, parseAddrs, parseFlagfile, resolveFlags, type FlagSpec } from '../../../src/cli/flags.ts';
import type { Logger } from '../../../src/log.ts';
import { tempDir } from '../../helpers/processes.ts';

const specs: FlagSpec[] = [
  { name: 'port', kind: 'int', default: 9669, help: 'port' },
  { name: 'local_ip', kind: 'string', default: '127.0.0.1', help: 'ip' },
  { name: 'enable_authorize', kind: 'bool', default: false, help: 'auth' },
];

function recorder(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const log: Logger & { warnings: string[] } = {
    warnings,
    debug: () => undefined,
    info: () => undefined,
    warn: (msg, fields) => void warnings.push(`${msg} ${JSON.stringify(fields)}`),
    error: () => undefined,
    child: () => log,
  };
  return log;
}

function resolve(argv: string[], log = recorder(), flagSpecs: readonly FlagSpec[] = specs) {
  const cmd = addFlags(new Command('x').exitOverride(), flagSpecs);
  cmd.parse(argv, { from: 'user' });
  return { values: resolveFlags(cmd, flagSpecs, log), log };
}

const ranged: FlagSpec[] = [
  { name: 'port', kind: 'port', default: 9669, help: 'port' },
  { name: 'heartbeat_interval_secs', kind: 'int', default: 10, min: 1, help: 'secs' },
  { name: 'offset', kind: 'int', default: 0, min: 0, max: 100, help: 'offset' },
  { name: 'data_path', kind: 'path', default: '', help: 'folder' },
];
const message = (argv: string[]): string => String(resolve(argv, recorder(), ranged).values);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const scratch = (): string => {
  const dir = tempDir('flags');
  dirs.push(dir);
  return dir;
};

/** Runs the built command line; answers exit status and stderr. */
function cli(args: string[]): { status: number | null; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: run.status, stderr: run.stderr };
}

describe('flags', () => {
  it('parses gflags flagfile lines and reports lines that are not flags', () => {
    const parsed = parseFlagfile('# comment\n\n--port=1\n-local_ip=10.0.0.1\n--enable_authorize\nnot a flag\n--meta_server_addrs=a:1,b:2\n');
    expect(parsed.flags.map((f) => [f.name, f.value])).toEqual([
      ['port', '1'],
      ['local_ip', '10.0.0.1'],
      ['enable_authorize', undefined],
      ['meta_server_addrs', 'a:1,b:2'],
    ]);
    expect(parsed.bad).toEqual([6]);
  });

  it('takes defaults, then the flagfile, then the command line', () => {
    const dir = tempDir('flags');
    const file = join(dir, 'x.conf');
    writeFileSync(file, '--port=1234\n--local_ip=10.1.1.1\n--enable_authorize=true\n--some_nebula_flag=3\n');
    const { values, log } = resolve([`--flagfile=${file}`, '--port=4321']);
    expect(values).toEqual({ port: 4321, local_ip: '10.1.1.1', enable_authorize: true });
    expect(log.warnings.join('\n')).toMatch(/unknown flag in flagfile.*some_nebula_flag/);
    expect(resolve([]).values).toEqual({ port: 9669, local_ip: '127.0.0.1', enable_authorize: false });
  });

  it('names the flag whose value has the wrong type', () => {
    expect(String(resolve(['--port=abc']).values)).toMatch(/--port expects an integer/);
    expect(String(resolve(['--enable_authorize=maybe']).values)).toMatch(/--enable_authorize expects true or false/);
  });

  it('parses ip:port lists and refuses malformed ones', () => {
    expect(parseAddrs('192.168.10.101:9559, 127.0.0.1:1')).toEqual([
      { host: '192.168.10.101', port: 9559 },
      { host: '127.0.0.1', port: 1 },
    ]);
    expect(parseAddrs('nope')).toBeInstanceOf(Error);
    expect(parseAddrs('a:70000')).toBeInstanceOf(Error);
  });

  it('refuses values out of a flag\'s range, naming the flag, the range and the value', () => {
    expect(message(['--heartbeat_interval_secs=-1'])).toBe('Error: flag --heartbeat_interval_secs must be at least 1, got -1');
    expect(message(['--offset=101'])).toBe('Error: flag --offset must be at most 100, got 101');
    expect(message(['--port=99999'])).toBe('Error: flag --port expects a port number 0..65535 (0 = any free port), got 99999');
    expect(message(['--port=-1'])).toMatch(/--port expects a port number 0\.\.65535/);
    expect(message(['--port=http'])).toMatch(/--port expects a port number 0\.\.65535 \(0 = any free port\), got 'http'/);
    expect(resolve(['--port=0', '--heartbeat_interval_secs=1', '--offset=100'], recorder(), ranged).values).toMatchObject({ port: 0, heartbeat_interval_secs: 1, offset: 100 });
  });

  it('checks a range in a flagfile too', () => {
    const file = join(scratch(), 'x.conf');
    writeFileSync(file, '--heartbeat_interval_secs=0\n');
    expect(message([`--flagfile=${file}`])).toBe(`Error: ${file}:1: flag --heartbeat_interval_secs must be at least 1, got 0`);
  });

  it('refuses a folder flag that names a file or lies under one, and takes one that can be created', () => {
    const dir = scratch();
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    expect(message([`--data_path=${file}`])).toBe(`Error: flag --data_path: ${file} is a file, not a folder`);
    expect(message([`--data_path=${file}/sub`])).toBe(`Error: flag --data_path: ${file}/sub cannot be created: ${file} is a file`);
    mkdirSync(join(dir, 'exists'));
    expect(resolve([`--data_path=${join(dir, 'exists')}`], recorder(), ranged).values).toMatchObject({ data_path: join(dir, 'exists') });
    expect(resolve([`--data_path=${join(dir, 'new/deeper')}`], recorder(), ranged).values).toMatchObject({ data_path: join(dir, 'new/deeper') });
  });

  it('shows a range and a default in --help only where the flag has them', () => {
    expect(flagHelpSuffix(ranged[0]!)).toBe(' (default: 9669)');
    expect(flagHelpSuffix(ranged[1]!)).toBe(' (at least 1; default: 10)');
    expect(flagHelpSuffix(ranged[2]!)).toBe(' (0..100; default: 0)');
    expect(flagHelpSuffix(ranged[3]!)).toBe('');
    for (const command of ['cluster', 'listener', 'drainer', 'playground']) {
      const help = spawnSync(process.execPath, [BIN, command, '--help'], { encoding: 'utf8', timeout: 30_000 }).stdout;
      expect(help, command).toContain('--heartbeat_interval_secs');
      expect(help, command).not.toContain('(default: )');
    }
  });

  it('stops a process with one readable line, before it listens, on a bad port or range', () => {
    expect(cli(['cluster', '--port', '99999'])).toEqual({
      status: 1,
      stderr: 'error: flag --port expects a port number 0..65535 (0 = any free port), got 99999\n',
    });
    expect(cli(['cluster', '--heartbeat_interval_secs=-1'])).toEqual({
      status: 1,
      stderr: 'error: flag --heartbeat_interval_secs must be at least 1, got -1\n',
    });
    expect(cli(['drainer', '--port=70000', '--meta_server_addrs=127.0.0.1:9559']).stderr).toMatch(/^error: flag --port expects a port number/);
    expect(cli(['console', '--port', '99999', '-e', 'YIELD 1']).stderr).toMatch(/argument '99999' is invalid\. expected a port number 1\.\.65535/);
  });

  it('makes an unknown command-line flag an error that names it', () => {
    const run = spawnSync(process.execPath, [BIN, 'cluster', '--no_such_flag=1'], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/unknown option '--no_such_flag=1'/);
  });
});
