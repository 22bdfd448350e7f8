/**
 * Cutting console input into statements: on `;` outside quotes for `-e` text and REPL lines, and
 * for `-f` scripts also `\` line continuations and `#` / `//` comment lines.
 *
 * @example
 *   splitStatements('USE nba; YIELD "a;b"') // ['USE nba', 'YIELD "a;b"']
 */

/** Splits on `;` outside '...', "..." and `...` (backslash escapes honoured); drops empty pieces. */
export function splitStatements(text: string): string[] {
  const out: string[] = [];
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== undefined) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
    } else if (c === ';') {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/** True when a line is a console comment (`#` or `//` first). */
export const isCommentLine = (line: string): boolean => {
  const t = line.trimStart();
  return t.startsWith('#') || t.startsWith('//');
};

/**
 * The statements of a script file: a line ending in `\` continues on the next one; comment lines
 * are skipped; a statement ends with `;` or at the end of its (joined) line.
 */
export function scriptStatements(text: string): string[] {
  const out: string[] = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    if (pending === '' && isCommentLine(raw)) continue;
    const continues = /\\\s*$/.test(raw);
    const line = continues ? raw.replace(/\\\s*$/, '') : raw;
    pending = pending === '' ? line : `${pending.trimEnd()} ${line.trimStart()}`;
    if (continues) continue;
    out.push(...splitStatements(pending));
    pending = '';
  }
  if (pending !== '') out.push(...splitStatements(pending));
  return out;
}
