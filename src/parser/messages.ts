/**
 * Syntax error wording and positions, in one place. NebulaGraph answers every parse failure with
 * ``SyntaxError: syntax error near `<token>'``; we add the 1-based line and column of that token.
 */
import { Errors } from '../errors.ts';
import type { ParseResult } from './ast.ts';

/** Longest `near` text quoted back to the user, so a huge bad token does not flood the answer. */
export const nearTextCharsMax = 64;

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** The 1-based line and column of a character offset in `text`. */
export function positionOf(text: string, offset: number): Position {
  const at = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: at - lineStart + 1 };
}

/** A syntax error near `near`, located at `offset` of `text`. */
export function syntaxErrorAt(text: string, near: string, offset: number): ParseResult {
  const { line, column } = positionOf(text, offset);
  const shown = near.length > nearTextCharsMax ? near.slice(0, nearTextCharsMax) : near;
  return { ok: false, error: Errors.syntax(shown), line, column };
}

/**
 * The text to quote for characters the lexer could not read: from the bad character to the next
 * blank, which for an unterminated string is the opening quote and the word after it.
 */
export function lexerNear(text: string, offset: number, length: number): string {
  let end = offset + Math.max(1, length);
  while (end < text.length && !/\s/.test(text[end]!)) end++;
  return text.slice(offset, end);
}

/** The answer for text that holds no statement at all (blank, comments, or only `;`). */
export function statementEmpty(): ParseResult {
  return { ok: false, error: Errors.statementEmpty() };
}
