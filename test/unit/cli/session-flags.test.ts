// Pins the cluster's session and connection flags: NebulaGraph's defaults, values from the command
// line, and a clear error naming the flag for anything but a positive integer in range.
import { spawnSync } from 'node:child_process';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { BIN } from '../../../src/cli/children.ts';
import { addFlags, resolveFlags } from '../../../src/cli/flags.ts';
import { sessionFlags, sessionLimitsFromFlags } from '../../../src/cli/session-flags.ts';
import { silentLogger } from '../../../src/log.ts';

function limitsFrom(argv: string[]) {
  const cmd = addFlags(new Command('x').exitOverride(), sessionFlags);
  cmd.parse(argv, { from: 'user' });
  const flags = resolveFlags(cmd, sessionFlags, silentLogger);
  if (flags instanceof Error) return flags;
  return sessionLimitsFromFlags(flags);
}

describe('session flags', () => {
  it("defaults to NebulaGraph's values and a 10 s handshake", () => {
    expect(limitsFrom([])).toEqual({
      sessionIdleTimeoutSecs: 28800,
      clientIdleTimeoutSecs: 28800,
      maxSessionsPerIpPerUser: 300,
      handshakeTimeoutSecs: 10,
    });
  });

  it('takes values from the command line', () => {
    expect(limitsFrom(['--session_idle_timeout_secs=2', '--max_sessions_per_ip_per_user=20', '--handshake_timeout_secs=3'])).toMatchObject({
      sessionIdleTimeoutSecs: 2,
      maxSessionsPerIpPerUser: 20,
      handshakeTimeoutSecs: 3,
    });
  });

  it('refuses zero, negative and too large values, naming the flag', () => {
    expect(String(limitsFrom(['--session_idle_timeout_secs=0']))).toBe(
      'Error: flag --session_idle_timeout_secs expects an integer from 1 to 604800, got 0',
    );
    expect(String(limitsFrom(['--max_sessions_per_ip_per_user=-1']))).toMatch(/--max_sessions_per_ip_per_user expects an integer from 1/);
    expect(String(limitsFrom(['--client_idle_timeout_secs=604801']))).toMatch(/--client_idle_timeout_secs expects an integer from 1 to 604800/);
    expect(String(limitsFrom(['--handshake_timeout_secs=1.5']))).toMatch(/--handshake_timeout_secs expects an integer/);
  });

  it('stops `nebula-sync cluster` with the error before it starts', () => {
    const run = spawnSync(process.execPath, [BIN, 'cluster', '--port=0', '--session_idle_timeout_secs=0'], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/--session_idle_timeout_secs expects an integer from 1 to 604800, got 0/);
  });
});
