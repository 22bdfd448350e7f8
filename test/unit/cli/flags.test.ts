// Pins NebulaGraph-style flags: flagfile syntax, command line over file, unknown flags (an error on
// the command line, a warning in a flagfile) and type errors that name the flag.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { BIN } from '../../../src/cli/children.ts';
import { addFlags, parseAddrs, parseFlagfile, resolveFlags, type FlagSpec } from '../../../src/cli/flags.ts';
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

function resolve(argv: string[], log = recorder()) {
  const cmd = addFlags(new Command('x').exitOverride(), specs);
  cmd.parse(argv, { from: 'user' });
  return { values: resolveFlags(cmd, specs, log), log };
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

  it('makes an unknown command-line flag an error that names it', () => {
    const run = spawnSync(process.execPath, [BIN, 'cluster', '--no_such_flag=1'], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/unknown option '--no_such_flag=1'/);
  });
});
