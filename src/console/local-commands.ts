/**
 * nebula-console's console-side commands, which never reach the server: `exit`, `quit`,
 * `:exit`, `:quit`, `:sleep N` (seconds) and `:repeat N` (run the next statement N times and
 * print a summary). Any other `:word` is an error, as in nebula-console. Parsing only; the
 * session carries them out.
 *
 * @example
 *   parseLocalCommand(':repeat 3')  // { kind: 'repeat', times: 3 }
 *   parseLocalCommand('YIELD 1')    // undefined: a statement for the server
 */

/** Bounds on what a person may ask for; beyond them the command is refused. */
export const SLEEP_SECS_MAX = 86_400;
export const REPEAT_TIMES_MAX = 100_000;

export type LocalCommand =
  | { readonly kind: 'quit' }
  | { readonly kind: 'sleep'; readonly seconds: number }
  | { readonly kind: 'repeat'; readonly times: number }
  /** A console-side command that cannot run; `message` is what nebula-console prints. */
  | { readonly kind: 'error'; readonly message: string };

function count(word: string | undefined, max: number, what: string): number | string {
  if (word === undefined || !/^-?\d+$/.test(word)) return `Error: invalid integer, '${word ?? ''}'`;
  const n = Number(word);
  if (n < 1 && what === 'repeats') return 'Error: invalid integer, repeats should be at least 1';
  if (n < 0) return `Error: invalid integer, ${what} should not be negative`;
  if (n > max) return `Error: ${what} should be at most ${max}`;
  return n;
}

/** The console-side command `stmt` is, or undefined when it is a statement for the server. */
export function parseLocalCommand(stmt: string): LocalCommand | undefined {
  const text = stmt.trim().replace(/;$/, '').trim();
  if (/^(exit|quit)$/i.test(text)) return { kind: 'quit' };
  if (!text.startsWith(':')) return undefined;
  const [name = '', arg] = text.slice(1).trim().split(/\s+/);
  switch (name.toLowerCase()) {
    case 'exit':
    case 'quit':
      return { kind: 'quit' };
    case 'sleep': {
      const seconds = count(arg ?? '0', SLEEP_SECS_MAX, 'seconds');
      return typeof seconds === 'string' ? { kind: 'error', message: seconds } : { kind: 'sleep', seconds };
    }
    case 'repeat': {
      const times = count(arg, REPEAT_TIMES_MAX, 'repeats');
      return typeof times === 'string' ? { kind: 'error', message: times } : { kind: 'repeat', times };
    }
    default:
      return { kind: 'error', message: `Error: this local command not exists! (:${name}; this console knows :exit, :quit, :sleep, :repeat)` };
  }
}
