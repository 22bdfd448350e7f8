/**
 * The interactive console, as nebula-console's: a welcome line, a readline prompt
 * `(<user>@nebula) [<space>]> `, history kept in ~/.nebula_history, `\` to continue a statement on
 * the next line, console commands (`:sleep`, `:repeat`, ...), `exit` / `quit` / `:exit` / `:quit` /
 * Ctrl-D to leave with `Bye <user>!` and the date. Errors are printed and the session goes on.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ConsoleSession } from './console-session.ts';
import { parseLocalCommand } from './local-commands.ts';
import { splitStatements } from './statements.ts';

/** Lines of history loaded at start and kept in memory. */
const HISTORY_LINES_MAX = 1000;
const CONTINUATION_PROMPT = '> ';
/** nebula-console's greeting on an interactive start. */
const WELCOME = '\nWelcome to Nebula Graph!\n\n';

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
  output.write(WELCOME);
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
      if (text !== '') {
        // Leaving is not worth recalling.
        if (parseLocalCommand(text)?.kind !== 'quit') saveHistoryLine(path, text);
        if (await runLine(session, text)) break;
      }
      rl.setPrompt(session.prompt());
      rl.prompt();
    }
  } finally {
    rl.close();
  }
  output.write(`\nBye ${session.user}!\n${session.dateLine()}`);
}

/** Runs one line's statements; answers true when one of them ends the session. */
async function runLine(session: ConsoleSession, text: string): Promise<boolean> {
  for (const stmt of splitStatements(text)) {
    if ((await session.execute(stmt)) === 'quit') return true;
  }
  return false;
}
