/**
 * The interactive console: a readline prompt `(<user>@nebula) [<space>]> `, history kept in
 * ~/.nebula_history, `\` to continue a statement on the next line, `exit` / `quit` / Ctrl-D to
 * leave. Errors are printed and the session goes on.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ConsoleSession } from './console-session.ts';
import { splitStatements } from './statements.ts';

/** Lines of history loaded at start and kept in memory. */
const HISTORY_LINES_MAX = 1000;
const CONTINUATION_PROMPT = '> ';

export const historyPath = (): string => join(homedir(), '.nebula_history');

function loadHistory(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').slice(-HISTORY_LINES_MAX).reverse();
  } catch {
    return [];
  }
}

function saveHistoryLine(path: string, line: string): void {
  try {
    appendFileSync(path, `${line}\n`);
  } catch {
    // History is a convenience; an unwritable home must not stop the console.
  }
}

export async function runRepl(
  session: ConsoleSession,
  input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const path = historyPath();
  const rl = createInterface({ input, output, terminal: input.isTTY === true, history: loadHistory(path), historySize: HISTORY_LINES_MAX });
  let pending = '';
  rl.setPrompt(session.prompt());
  rl.prompt();
  try {
    for await (const line of rl) {
      const continues = /\\\s*$/.test(line);
      const part = (continues ? line.replace(/\\\s*$/, '') : line).trim();
      pending = pending === '' ? part : `${pending} ${part}`;
      if (continues) {
        rl.setPrompt(CONTINUATION_PROMPT);
        rl.prompt();
        continue;
      }
      const text = pending.trim();
      pending = '';
      if (/^(exit|quit)\s*;?$/i.test(text)) break;
      if (text !== '') {
        saveHistoryLine(path, text);
        for (const stmt of splitStatements(text)) await session.run(stmt);
      }
      rl.setPrompt(session.prompt());
      rl.prompt();
    }
  } finally {
    rl.close();
  }
  output.write('\nBye!\n');
}
