/**
 * The bottom layer of the nGQL grammar: names, strings, host addresses and the small optional
 * phrases (IF [NOT] EXISTS, COMMENT) that many statements share. The layers above it subclass it
 * (Chevrotain grammar inheritance); only the final class calls `performSelfAnalysis`.
 *
 * Every semantic action that could fail on the recording phase's placeholder tokens sits inside
 * `ACTION`. A token that parses but is not acceptable throws `ParseAbort`, which `parse` reports
 * as a syntax error near that token.
 */
import { EmbeddedActionsParser, type IToken } from 'chevrotain';
import type { HostAddr } from '../src/parser/ast.ts';
import { unquoteIdent, unquoteString } from '../src/parser/literals.ts';
import { ParseAbort } from '../src/parser/parse-abort.ts';
import * as T from './tokens.ts';

/** Largest TCP port; a host address beyond it is a syntax error. */
const portMax = 65535;

/** A name as the user meant it: identifiers as written, back-quotes removed, keywords lower-cased. */
export function nameOf(token: IToken): string {
  if (token.tokenType === T.Identifier) return token.image;
  if (token.tokenType === T.QuotedIdent) return unquoteIdent(token.image);
  return token.image.toLowerCase();
}

export class BaseParser extends EmbeddedActionsParser {
  /** The value of an Integer token as a JavaScript number in [0, max], or a syntax error. */
  protected smallInt(token: IToken, max: number): number {
    const value = Number(token.image);
    if (!Number.isSafeInteger(value) || value > max) throw new ParseAbort(token, 'integer out of range');
    return value;
  }

  name = this.RULE('name', (): string => {
    const token = this.CONSUME(T.Name);
    return this.ACTION(() => nameOf(token));
  });

  nameList = this.RULE('nameList', (): string[] => {
    const names: string[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => names.push(this.SUBRULE(this.name)) });
    return names;
  });

  str = this.RULE('str', (): string => {
    const token = this.CONSUME(T.StringLit);
    return this.ACTION(() => unquoteString(token.image));
  });

  /** `COMMENT [=] 'text'` after a space or schema definition. */
  commentClause = this.RULE('commentClause', (): string => {
    this.CONSUME(T.COMMENT);
    this.OPTION(() => this.CONSUME(T.Assign));
    return this.SUBRULE(this.str);
  });

  ifNotExists = this.RULE('ifNotExists', (): boolean => {
    let present = false;
    this.OPTION(() => {
      this.CONSUME(T.IF);
      this.CONSUME(T.NOT);
      this.CONSUME(T.EXISTS);
      present = true;
    });
    return present;
  });

  ifExists = this.RULE('ifExists', (): boolean => {
    let present = false;
    this.OPTION(() => {
      this.CONSUME(T.IF);
      this.CONSUME(T.EXISTS);
      present = true;
    });
    return present;
  });

  /** `h:p` where h is an IPv4 literal, a quoted string, or a host name such as `graphd-0.local`. */
  hostAddr = this.RULE('hostAddr', (): HostAddr => {
    let host = '';
    this.OR([
      { ALT: () => (host = this.CONSUME(T.IPv4).image) },
      { ALT: () => (host = this.SUBRULE(this.str)) },
      {
        ALT: () => {
          host = this.CONSUME(T.Name).image;
          this.MANY(() => {
            const sep = this.OR2([{ ALT: () => this.CONSUME(T.Dot) }, { ALT: () => this.CONSUME(T.Minus) }]);
            const part = this.OR3([{ ALT: () => this.CONSUME2(T.Name) }, { ALT: () => this.CONSUME(T.Integer) }]);
            host += sep.image + part.image;
          });
        },
      },
    ]);
    this.CONSUME(T.Colon);
    const portToken = this.CONSUME2(T.Integer);
    return this.ACTION(() => ({ host, port: this.smallInt(portToken, portMax) }));
  });

  hostList = this.RULE('hostList', (): HostAddr[] => {
    const hosts: HostAddr[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => hosts.push(this.SUBRULE(this.hostAddr)) });
    return hosts;
  });
}
