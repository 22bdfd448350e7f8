// Pins the conf/ templates as a user runs the seed on one machine: each loads with its command's
// own flag parser with no unknown flag and no bad value, the listeners point at the primary's meta
// and the drainer at the secondary's, and each binds the ports the README's table says.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { clusterFlags } from '../../../src/cli/cluster-command.ts';
import { drainerFlags } from '../../../src/cli/drainer-command.ts';
import { addFlags, resolveFlags, type FlagSpec, type FlagValues } from '../../../src/cli/flags.ts';
import { listenerFlags, listenerSettings } from '../../../src/cli/listener-command.ts';
import type { Logger } from '../../../src/log.ts';
import { REPO } from '../../helpers/processes.ts';

const CONF = join(REPO, 'conf');

/** Each template, the command that reads it, and that command's flags. */
const TEMPLATES: Readonly<Record<string, { command: string; specs: readonly FlagSpec[] }>> = {
  'nebula-graphd.conf.default': { command: 'cluster', specs: clusterFlags },
  'nebula-graphd-secondary.conf.default': { command: 'cluster', specs: clusterFlags },
  'nebula-metad-listener.conf.default': { command: 'listener', specs: listenerFlags },
  'nebula-storaged-listener.conf.default': { command: 'listener', specs: listenerFlags },
  'nebula-drainerd.conf.default': { command: 'drainer', specs: drainerFlags },
};

/** The template's flags as its command resolves them, and every warning the parser logged. */
function load(file: string): { flags: FlagValues; warnings: string[] } {
  const warnings: string[] = [];
  const log: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (msg, fields) => warnings.push(`${msg} ${JSON.stringify(fields)}`),
    error: (msg) => warnings.push(msg),
    child: () => log,
  };
  const cmd = addFlags(new Command(TEMPLATES[file]!.command).exitOverride(), TEMPLATES[file]!.specs);
  cmd.parse(['--flagfile', join(CONF, file)], { from: 'user' });
  const flags = resolveFlags(cmd, TEMPLATES[file]!.specs, log);
  if (flags instanceof Error) throw flags;
  return { flags, warnings };
}

/** The ports a template makes its process bind, as the README's table names them. */
function boundPorts(file: string, flags: FlagValues): Record<string, number> {
  if (TEMPLATES[file]!.command === 'cluster') {
    return { graph: Number(flags['port']), meta: Number(flags['meta_port']), storage: Number(flags['storage_port']), http: Number(flags['ws_http_port']) };
  }
  if (TEMPLATES[file]!.command === 'listener') {
    const settings = listenerSettings(flags);
    if (settings instanceof Error) throw settings;
    return { [settings.role]: settings.port, http: settings.httpPort! };
  }
  return { drainer: Number(flags['port']), http: Number(flags['ws_http_port']) };
}

/** The README's "Configuration files" table: template -> ports, from `graph 9669, meta 9559, ...`. */
function readmePorts(): Map<string, Record<string, number>> {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const rows = new Map<string, Record<string, number>>();
  for (const m of readme.matchAll(/^\| `conf\/([\w.-]+)` \|.*\| ((?:\w+ \d+(?:, )?)+) \|$/gm)) {
    rows.set(m[1]!, Object.fromEntries([...m[2]!.matchAll(/(\w+) (\d+)/g)].map((p) => [p[1]!, Number(p[2])])));
  }
  return rows;
}

const metaAddr = (flags: FlagValues) => String(flags['meta_server_addrs']);

describe('conf/ templates', () => {
  it('has exactly one template per process kind of the seed', () => {
    expect(readdirSync(CONF).sort()).toEqual(Object.keys(TEMPLATES).sort());
  });

  it.each(Object.keys(TEMPLATES))('%s loads with its command, no unknown flag, and the ports the README says', (file) => {
    const { flags, warnings } = load(file);
    expect(warnings).toEqual([]);
    expect(readmePorts().get(file)).toEqual(boundPorts(file, flags));
  });

  it('points the listeners at the primary meta and the drainer at the secondary meta', () => {
    const primary = load('nebula-graphd.conf.default').flags;
    const secondary = load('nebula-graphd-secondary.conf.default').flags;
    expect(metaAddr(primary)).toBe(`127.0.0.1:${primary['meta_port']}`);
    expect(metaAddr(secondary)).toBe(`127.0.0.1:${secondary['meta_port']}`);
    expect(metaAddr(load('nebula-metad-listener.conf.default').flags)).toBe(metaAddr(primary));
    expect(metaAddr(load('nebula-storaged-listener.conf.default').flags)).toBe(metaAddr(primary));
    expect(metaAddr(load('nebula-drainerd.conf.default').flags)).toBe(metaAddr(secondary));
    expect(primary['data_path']).not.toBe(secondary['data_path']);
  });
});
