// Pins `nebula-sync console` reading nebula-console's command lines as nebula-console's docs write
// them (one-dash long flags, Go style): they set the same options as the two-dash spelling, and
// `-enable_ssl` asks for TLS instead of running the statement "nable_ssl".
import { describe, expect, it } from 'vitest';
import { goStyleArgs } from '../../../src/cli/console-args.ts';
import { consoleCommand } from '../../../src/cli/console.ts';

/** The options `nebula-sync console <args>` would run with (nothing is run). */
function optionsOf(args: string[]): Record<string, unknown> {
  const cmd = consoleCommand();
  const parsed = cmd.parseOptions(args);
  expect(parsed.unknown).toEqual([]);
  return cmd.opts();
}

describe('nebula-sync console flags, nebula-console style', () => {
  it("reads nebula-console's documented command line as its two-dash spelling", () => {
    const go = optionsOf(['-addr', '192.168.10.101', '-port', '9669', '-u', 'root', '-p', 'nebula', '-enable_ssl', '-ssl_root_ca_path', '/tmp/ca.pem', '-e', 'SHOW HOSTS']);
    const ours = optionsOf(['--addr', '192.168.10.101', '--port', '9669', '-u', 'root', '-p', 'nebula', '--enable_ssl', '--ssl_root_ca_path', '/tmp/ca.pem', '-e', 'SHOW HOSTS']);
    expect(go).toEqual(ours);
    expect(go).toMatchObject({ addr: '192.168.10.101', port: 9669, enable_ssl: true, ssl_root_ca_path: '/tmp/ca.pem', eval: 'SHOW HOSTS' });
  });

  it('takes -enable_ssl as TLS, not as -e with the statement "nable_ssl"', () => {
    const o = optionsOf(['-enable_ssl']);
    expect(o.enable_ssl).toBe(true);
    expect(o.eval).toBeUndefined();
  });

  it("takes nebula-console's other spellings: -address, -P, -t, -timeout=, -user, -password", () => {
    expect(optionsOf(['-address', '10.0.0.1', '-P', '9700', '-t', '500'])).toMatchObject({ addr: '10.0.0.1', port: 9700, timeout: 500 });
    expect(optionsOf(['-timeout=750', '-user', 'u1', '-password', 'pw'])).toMatchObject({ timeout: 750, user: 'u1', password: 'pw' });
  });

  it('leaves values alone: a statement or password that looks like a flag stays what it is', () => {
    expect(optionsOf(['-e', '-addr', '-p', '-port'])).toMatchObject({ eval: '-addr', password: '-port', addr: '127.0.0.1', port: 9669 });
    expect(optionsOf(['--eval', '-enable_ssl'])).toMatchObject({ eval: '-enable_ssl' });
    expect(optionsOf(['-enable_ssl'])).not.toHaveProperty('eval');
  });

  it('rewrites nothing after -- and no word that is not one of its options', () => {
    const cmd = consoleCommand();
    expect(goStyleArgs(['-addr', 'h', '--', '-port', '1'], cmd)).toEqual(['--addr', 'h', '--', '-port', '1']);
    expect(goStyleArgs(['-nosuchflag', '-pnebula'], cmd)).toEqual(['-nosuchflag', '-pnebula']);
  });
});
