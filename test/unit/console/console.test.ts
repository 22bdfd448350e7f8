// Pins the console's behaviour a user notices: how -e text and -f scripts become statements, the
// output and exit code of a run against a live graph service, connection and login failures,
// and the interactive prompt with its history file.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphClient } from '../../../src/client/graph-client.ts';
import { runConsole, type ConsoleOptions } from '../../../src/cli/console.ts';
import { ConsoleSession } from '../../../src/console/console-session.ts';
import { runRepl } from '../../../src/console/repl.ts';
import { scriptStatements, splitStatements } from '../../../src/console/statements.ts';
import { GraphServer } from '../../../src/server/graph-server.ts';
import { FakeGraphHandler } from '../server/fake-graph-handler.ts';

describe('statement splitting', () => {
  it('splits -e text on semicolons outside quotes', () => {
    expect(splitStatements('USE nba; YIELD "a;b";  ; ECHO \'x\\\';y\'')).toEqual(['USE nba', 'YIELD "a;b"', "ECHO 'x\\';y'"]);
  });

  it('reads scripts with continuations, comments and several statements per line', () => {
    const script = [
      '# a comment',
      '// another',
      'CREATE SPACE s(partition_num=15, \\',
      '    replica_factor=1);',
      'USE s; YIELD 1',
      '',
      'ECHO end',
    ].join('\n');
    expect(scriptStatements(script)).toEqual(['CREATE SPACE s(partition_num=15, replica_factor=1)', 'USE s', 'YIELD 1', 'ECHO end']);
  });
});

describe('runConsole against a graph service', () => {
  const server = new GraphServer({ host: '127.0.0.1', port: 0, handler: new FakeGraphHandler() });
  let port = 0;
  beforeAll(async () => {
    ({ port } = await server.start());
  });
  afterAll(() => server.close());

  const run = async (extra: Partial<ConsoleOptions>): Promise<{ code: number; out: string; err: string }> => {
    let out = '';
    let err = '';
    const code = await runConsole(
      { addr: '127.0.0.1', port, user: 'root', password: 'nebula', timeoutMs: 5000, timing: false, ...extra },
      { out: (t) => void (out += t), err: (t) => void (err += t) },
    );
    return { code, out, err };
  };

  it('runs -e statements one by one and prints nebula-console tables', async () => {
    const { code, out, err } = await run({ eval: 'USE nba; YIELD 1' });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe(['Execution succeeded', '', '+---+', '| 1 |', '+---+', '| 1 |', '+---+', 'Got 1 rows', '', ''].join('\n'));
  });

  it('stops at the first error with exit code 1', async () => {
    const { code, out } = await run({ eval: 'YIELD 1; SELEC 2; ECHO never' });
    expect(code).toBe(1);
    expect(out).toContain("[ERROR (-1004)]: SyntaxError: syntax error near `SELEC'");
    expect(out).not.toContain('never');
  });

  it('runs a -f script, echoing each statement after the prompt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-test-'));
    const file = join(dir, 'script.ngql');
    writeFileSync(file, '# setup\nUSE nba;\nECHO \\\n hi;\n');
    const { code, out } = await run({ file });
    expect(code).toBe(0);
    expect(out).toContain('(root@nebula) [(none)]> USE nba\nExecution succeeded\n');
    expect(out).toContain('(root@nebula) [nba]> ECHO hi\n+------+\n| echo |\n');
  });

  it('reports a refused login on stderr with exit code 1', async () => {
    const { code, err } = await run({ password: 'wrong', eval: 'YIELD 1' });
    expect(code).toBe(1);
    expect(err).toBe('[ERROR (-1001)]: Invalid password\n');
  });

  it('reports a connection failure on stderr with exit code 1', async () => {
    const closed = new GraphServer({ host: '127.0.0.1', port: 0, handler: new FakeGraphHandler() });
    const { port: deadPort } = await closed.start();
    await closed.close();
    const { code, err } = await run({ port: deadPort, eval: 'YIELD 1' });
    expect(code).toBe(1);
    expect(err).toMatch(new RegExp(`^Error: cannot connect to 127.0.0.1:${deadPort}: `));
  });

  it('runs an interactive session with the nebula prompt and keeps history', async () => {
    const home = mkdtempSync(join(tmpdir(), 'console-home-'));
    const savedHome = process.env['HOME'];
    process.env['HOME'] = home;
    try {
      const client = await GraphClient.connect({ host: '127.0.0.1', port, timeoutMs: 5000 });
      await client.authenticate('root', 'nebula');
      let printed = '';
      const session = new ConsoleSession(client, { out: (t) => void (printed += t), err: () => undefined }, {
        user: 'root',
        timing: false,
        echo: false,
      });
      const input = new PassThrough();
      const output = new PassThrough();
      let shown = '';
      output.on('data', (c: Buffer) => (shown += c.toString()));
      const done = runRepl(session, input, output);
      input.end('USE nba\nECHO \\\nmulti\nexit\nECHO after\n');
      await done;
      await client.close();
      expect(shown).toContain('(root@nebula) [(none)]> ');
      expect(shown).toContain('(root@nebula) [nba]> ');
      expect(printed).toContain('| "multi" |');
      expect(printed).not.toContain('after');
      expect(readFileSync(join(home, '.nebula_history'), 'utf8')).toBe('USE nba\nECHO multi\n');
    } finally {
      process.env['HOME'] = savedHome;
    }
  });
});
