/**
 * The one exception the grammar throws on purpose: a token that lexes and parses but is not
 * acceptable (an int64 overflow, an unknown type name, nesting beyond the limit). Chevrotain
 * rethrows anything that is not its own recognition error, so `parse` catches this and answers a
 * syntax error near the token; it never escapes `parse`.
 */
import type { IToken } from 'chevrotain';

export class ParseAbort extends Error {
  readonly token: IToken;

  constructor(token: IToken, reason: string) {
    super(reason);
    this.name = 'ParseAbort';
    this.token = token;
  }
}
