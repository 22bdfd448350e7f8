/**
 * `parse(text)`: the only way into the nGQL grammar. It lexes, parses and answers either the
 * statements or the first syntax error with its position; it never throws, whatever the input.
 */
import { EOF, type IToken } from 'chevrotain';
import { ngqlLexer } from '../../grammar/tokens.ts';
import { ngqlParser } from '../../grammar/rules.ts';
import { limits } from '../limits.ts';
import type { ParseResult } from './ast.ts';
import { fastInsert } from './insert-fast-path.ts';
import { lexerNear, nearTextCharsMax, statementEmpty, syntaxErrorAt } from './messages.ts';
import { ParseAbort } from './parse-abort.ts';

/** The error for `token`, or for the last real token when the parser stopped at end of input. */
function errorAtToken(text: string, token: IToken | undefined, tokens: readonly IToken[]): ParseResult {
  const real = token !== undefined && token.tokenType !== EOF && Number.isFinite(token.startOffset);
  const at = real ? token : tokens[tokens.length - 1];
  if (at === undefined) return syntaxErrorAt(text, '', text.length);
  return syntaxErrorAt(text, at.image, at.startOffset);
}

/** A statement too long to accept: reported near where the limit is crossed. */
function tooLong(text: string): ParseResult | undefined {
  if (text.length <= limits.statementBytesMax / 3) return undefined;
  if (Buffer.byteLength(text, 'utf8') <= limits.statementBytesMax) return undefined;
  const at = Math.min(text.length, limits.statementBytesMax) - 1;
  return syntaxErrorAt(text, lexerNear(text, Math.max(0, at), 1), Math.max(0, at));
}

function parseUnchecked(text: string): ParseResult {
  const lexed = ngqlLexer.tokenize(text);
  const tokens = lexed.tokens;
  ngqlParser.nest = 0;
  ngqlParser.input = tokens;
  const statements = ngqlParser.statements();
  const parseError = ngqlParser.errors[0];
  const lexError = lexed.errors[0];
  // The first error in reading order wins, as in NebulaGraph's single-pass lexer and parser; a
  // parser error at end of input only means the lexer dropped the characters it reported.
  if (lexError !== undefined) {
    const parserFirst =
      parseError !== undefined &&
      parseError.token.tokenType !== EOF &&
      parseError.token.startOffset < lexError.offset;
    if (!parserFirst) return syntaxErrorAt(text, lexerNear(text, lexError.offset, lexError.length), lexError.offset);
  }
  if (parseError !== undefined) return errorAtToken(text, parseError.token, tokens);
  if (statements.length === 0) return statementEmpty();
  return { ok: true, statements };
}

/**
 * Parses nGQL text: one or more statements separated by `;`.
 *
 * @example
 * const r = parse('USE basketballplayer; GO FROM "player101" OVER follow YIELD dst(edge)');
 * if (r.ok) r.statements[1]!.kind; // 'Go'
 */
export function parse(text: string): ParseResult {
  try {
    return tooLong(text) ?? parsePlainInsert(text) ?? parseUnchecked(text);
  } catch (e) {
    return unexpected(text, e);
  } finally {
    // The parser instance outlives the call; do not let it pin the last statement's tokens.
    ngqlParser.input = [];
  }
}

/** A plain-literal INSERT through the fast path (insert-fast-path.ts), or undefined. */
function parsePlainInsert(text: string): ParseResult | undefined {
  const stmt = fastInsert(text, (head) => {
    const r = parseUnchecked(head);
    return r.ok ? r.statements : undefined;
  });
  return stmt === undefined ? undefined : { ok: true, statements: [stmt] };
}

/** `parse` without the INSERT fast path: the grammar alone (tests compare the two). */
export function parseWithGrammar(text: string): ParseResult {
  try {
    return tooLong(text) ?? parseUnchecked(text);
  } catch (e) {
    return unexpected(text, e);
  } finally {
    ngqlParser.input = [];
  }
}

/**
 * A throw out of the grammar: a deliberate `ParseAbort`, or else a bug or a stack exhausted by
 * hostile input. Either way the client gets a syntax error, never a crashed connection.
 */
function unexpected(text: string, e: unknown): ParseResult {
  try {
    const token = e instanceof ParseAbort ? e.token : ngqlParser.nextToken();
    return errorAtToken(text, token, ngqlParser.input);
  } catch {
    return syntaxErrorAt(text, text.slice(0, nearTextCharsMax), 0);
  }
}
