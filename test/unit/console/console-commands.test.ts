// Pins the console's parity with nebula-console 3.x: :exit/:quit/exit/quit, :sleep, :repeat with its summary, unknown :commands, the RFC 1123 date line after each result, and the interactive welcome and bye lines.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphClient } from '../../../src/client/graph-client.ts';
import { runConsole } from '../../../src/cli/console.ts';
import { ConsoleSession } from '../../../src/console/console-session.ts';
import { formatDateLine } from '../../../src/console/date-line.ts';
import { parseLocalCommand, REPEAT_TIMES_MAX } from '../../../src/console/local-commands.ts';
import { runRepl } from '../../../src/console/repl.ts';
import { GraphServer } from '../../../src/server/graph-server.ts';
import { FakeGraphHandler } from '../server/fake-graph-handler.ts';

const NOW = new Date(Date.UTC(2026, 11, 1, 21, 40, 0));
const DATE_LINE = 'Tue, 01 Dec 2026 21:40:00 UTC';

describe('console-side commands', () => {
  it('knows nebula-console\'s quit, sleep and repeat forms and leaves statements alone', () => {
    for (const quit of ['exit', 'QUIT;', ':exit', ':quit', ' :Quit ; ']) expect(parseLocalCommand(quit)).toEqual({ kind: 'quit' });
    expect(parseLocalCommand(':sleep 3')).toEqual({ kind: 'sleep', seconds: 3 });
    expect(parseLocalCommand(':sleep')).toEqual({ kind: 'sleep', seconds: 0 });
    expect(parseLocalCommand(':repeat 5;')).toEqual({ kind: 'repeat', times: 5 });
    expect(parseLocalCommand('YIELD 1')).toBeUndefined();
    expect(parseLocalCommand('exit_code')).toBeUndefined();
  });

  it('refuses bad arguments and unknown commands with nebula-console\'s words', () => {
    expect(parseLocalCommand(':sleep x')).toEqual({ kind: 'error', message: "Error: invalid integer, 'x'" });
    expect(parseLocalCommand(':repeat 0')).toMatchObject({ kind: 'error', message: expect.stringMatching(/repeats should be at least 1/) });
    expect(parseLocalCommand(`:repeat ${REPEAT_TIMES_MAX + 1}`)).toMatchObject({ kind: 'error' });
    expect(parseLocalCommand(':play nba')).toMatchObject({ kind: 'error', message: expect.stringMatching(/^Error: this local command not exists!/) });
  });

  it('formats the date line as Go\'s time.RFC1123', () => {
    expect(formatDateLine(NOW, 'UTC')).toBe(DATE_LINE);
    expect(formatDateLine(NOW, 'America/Los_Angeles')).toBe('Tue, 01 Dec 2026 13:40:00 PST');
    expect(formatDateLine(new Date(Date.UTC(2026, 0, 4, 0, 5, 9)), 'UTC')).toBe('Sun, 04 Jan 2026 00:05:09 UTC');
  });
});

describe('the console against a graph service', () => {
  const server = new GraphServer({ host: '127.0.0.1', port: 0, handler: new FakeGraphHandler() });
  let port = 0;
  beforeAll(async () => {
    ({ port } = await server.start());
  });
  afterAll(() => server.close());

  async function session(opts: { timing: boolean; keepGoing?: boolean }, slept: number[] = []) {
    const client = await GraphClient.connect({ host: '127.0.0.1', port, timeoutMs: 5000 });
    await client.authenticate('root', 'nebula');
    const io = { printed: '', out: (t: string) => void (io.printed += t), err: () => undefined };
    const s = new ConsoleSession(client, io, {
      user: 'root',
      echo: false,
      now: () => NOW,
      timeZone: 'UTC',
      sleep: async (ms) => void slept.push(ms),
      ...opts,
    });
    return { s, io, client };
  }

  it('prints the date line after each result and error, as nebula-console does', async () => {
    const { s, io, client } = await session({ timing: true });
    expect(await s.runAll(['YIELD 1', 'SELEC 1'])).toBe(false);
    await client.close();
    expect(io.printed).toMatch(/^\+---\+\n\| 1 \|\n\+---\+\n\| 1 \|\n\+---\+\nGot 1 rows \(time spent 7µs\/[^)]+\)\n\nTue, 01 Dec 2026 21:40:00 UTC\n\n/);
    expect(io.printed).toMatch(/\[ERROR \(-1004\)\]: SyntaxError: syntax error near `SELEC'\n\nTue, 01 Dec 2026 21:40:00 UTC\n\n$/);
  });

  it('runs the statement after :repeat N that many times, then prints the summary', async () => {
    const { s, io, client } = await session({ timing: true });
    expect(await s.runAll([':repeat 3', 'YIELD 1', 'YIELD 1'])).toBe(true);
    await client.close();
    expect(io.printed.match(/Got 1 rows/g)).toHaveLength(4);
    expect(io.printed.match(new RegExp(DATE_LINE, 'g'))).toHaveLength(4);
    expect(io.printed).toMatch(/\nExecuted 3 times, \(total time spent 21\/\d+ us\), \(average time spent 7\/\d+ us\)\n\n\+---\+/);
  });

  it('sleeps for :sleep N seconds, and stops a script at :exit without failing', async () => {
    const slept: number[] = [];
    const { s, io, client } = await session({ timing: false }, slept);
    expect(await s.runAll([':sleep 2', 'ECHO before', ':exit', 'ECHO after'])).toBe(true);
    await client.close();
    expect(slept).toEqual([2000]);
    expect(io.printed).toContain('"before"');
    expect(io.printed).not.toContain('after');
  });

  it('ends -e at :quit with exit 0 and fails -e on an unknown console command', async () => {
    let out = '';
    const io = { out: (t: string) => void (out += t), err: () => undefined };
    const base = { addr: '127.0.0.1', port, user: 'root', password: 'nebula', timeoutMs: 5000, timing: false };
    expect(await runConsole({ ...base, eval: 'ECHO one; :quit; ECHO two' }, io)).toBe(0);
    expect(out).toContain('"one"');
    expect(out).not.toContain('"two"');
    out = '';
    expect(await runConsole({ ...base, eval: ':csv out.csv; ECHO never' }, io)).toBe(1);
    expect(out).toMatch(/^Error: this local command not exists!/);
    expect(out).not.toContain('never');
  });

  it('greets on an interactive start, keeps going after an error, and says bye with the date on :quit', async () => {
    const savedHome = process.env['HOME'];
    process.env['HOME'] = mkdtempSync(join(tmpdir(), 'console-home-'));
    try {
      const { s, io, client } = await session({ timing: true, keepGoing: true });
      const input = new PassThrough();
      const output = new PassThrough();
      let shown = '';
      output.on('data', (c: Buffer) => (shown += c.toString()));
      const done = runRepl(s, input, output);
      input.end('SELEC 1\nECHO still\n:quit\nECHO after\n');
      await done;
      await client.close();
      expect(shown.startsWith('\nWelcome to Nebula Graph!\n\n(root@nebula) [(none)]> ')).toBe(true);
      expect(shown.endsWith(`\nBye root!\n${DATE_LINE}\n\n`)).toBe(true);
      expect(io.printed).toContain('[ERROR (-1004)]');
      expect(io.printed).toContain('"still"');
      expect(io.printed).not.toContain('after');
    } finally {
      process.env['HOME'] = savedHome;
    }
  });
});
