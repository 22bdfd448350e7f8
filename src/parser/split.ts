/**
 * `splitStatements(text)`: the source text of each statement, cut where the lexer sees a `;`
 * token, so that a `;` inside a string, a quoted name or a comment never cuts. A program that
 * routes statements one by one (the gateway example) forwards these texts unchanged.
 *
 * @example
 *   splitStatements('USE nba; # a comment; really\n YIELD "a;b";') // ['USE nba', 'YIELD "a;b"']
 */
import { ngqlLexer, Semi } from '../../grammar/tokens.ts';

/**
 * The statements of `text` in order, each from its first token to its last (comments and blanks
 * between statements dropped); empty statements (`;;`) are skipped as the parser skips them.
 * For text that `parse` accepts there is one piece per parsed statement.
 *
 * @example
 * ```ts
 * splitStatements('USE nba; # a comment; really\n YIELD "a;b";'); // ['USE nba', 'YIELD "a;b"']
 * ```
 */
export function splitStatements(text: string): string[] {
  const out: string[] = [];
  let first = -1;
  let last = -1;
  const flush = (): void => {
    if (first >= 0) out.push(text.slice(first, last + 1));
    first = -1;
  };
  for (const token of ngqlLexer.tokenize(text).tokens) {
    if (token.tokenType === Semi) {
      flush();
      continue;
    }
    if (first < 0) first = token.startOffset;
    last = token.endOffset ?? token.startOffset + token.image.length - 1;
  }
  flush();
  return out;
}
