/**
 * Statements that define things: spaces, tags and edges (create, alter, drop, describe), users
 * and roles, hosts, and the statements that start with CREATE / DROP / ALTER / DESCRIBE.
 */
import type { IToken } from 'chevrotain';
import type { ColumnDef, Expr, PropType, SchemaKind, Statement } from '../src/parser/ast.ts';
import { ParseAbort } from '../src/parser/parse-abort.ts';
import {
  applySpaceOption,
  propTypeOf,
  type SpaceOptions,
  type SpaceOptionValue,
} from '../src/parser/schema-words.ts';
import { limits } from '../src/limits.ts';
import { ExprParser } from './expr-rules.ts';
import * as T from './tokens.ts';

type AlterChange = Extract<Statement, { kind: 'AlterSchema' }>['changes'][number];

export class DdlParser extends ExprParser {
  schemaKind = this.RULE('schemaKind', (): SchemaKind =>
    this.OR([
      { ALT: () => (this.CONSUME(T.TAG), 'TAG' as const) },
      { ALT: () => (this.CONSUME(T.EDGE), 'EDGE' as const) },
    ]),
  );

  createStatement = this.RULE('createStatement', (): Statement => {
    this.CONSUME(T.CREATE);
    return this.OR([
      { ALT: () => this.SUBRULE(this.createSpace) },
      { ALT: () => this.SUBRULE(this.createSchema) },
      { ALT: () => this.SUBRULE(this.createUser) },
    ]);
  });

  createSpace = this.RULE('createSpace', (): Statement => {
    const options: SpaceOptions = {};
    this.CONSUME(T.SPACE);
    const ifNotExists = this.SUBRULE(this.ifNotExists);
    const name = this.SUBRULE(this.name);
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.spaceOption, { ARGS: [options] }) });
      this.CONSUME(T.RParen);
    });
    this.OPTION2(() => {
      const comment = this.SUBRULE(this.commentClause);
      options.comment = comment;
    });
    return { kind: 'CreateSpace', ifNotExists, name, ...options };
  });

  /** `key = value`; the key and the value's shape are checked against the known options. */
  spaceOption = this.RULE('spaceOption', (into: SpaceOptions): void => {
    const keyToken = this.CONSUME(T.Name);
    this.CONSUME(T.Assign);
    const value = this.OR([
      {
        ALT: (): SpaceOptionValue => {
          const token = this.CONSUME(T.Integer);
          return this.ACTION(() => ({ kind: 'int', value: this.smallInt(token, Number.MAX_SAFE_INTEGER) }));
        },
      },
      { ALT: (): SpaceOptionValue => ({ kind: 'string', value: this.SUBRULE(this.str) }) },
      {
        ALT: (): SpaceOptionValue => {
          const word = this.CONSUME2(T.Name).image;
          const length = this.SUBRULE(this.typeLength);
          return length === undefined ? { kind: 'word', value: word } : { kind: 'word', value: word, length };
        },
      },
    ]);
    this.ACTION(() => {
      if (!applySpaceOption(into, keyToken.image, value)) throw new ParseAbort(keyToken, 'bad space option');
    });
  });

  /** An optional `(N)` after a type word. */
  typeLength = this.RULE('typeLength', (): number | undefined => {
    let length: number | undefined;
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      const token = this.CONSUME(T.Integer);
      this.CONSUME(T.RParen);
      length = this.ACTION(() => this.smallInt(token, limits.fixedStringLengthMax));
    });
    return length;
  });

  createSchema = this.RULE('createSchema', (): Statement => {
    const schema = this.SUBRULE(this.schemaKind);
    const ifNotExists = this.SUBRULE(this.ifNotExists);
    const name = this.SUBRULE(this.name);
    const columns = this.SUBRULE(this.columnDefs);
    let comment: string | undefined;
    this.OPTION(() => (comment = this.SUBRULE(this.commentClause)));
    const statement = { kind: 'CreateSchema', schema, ifNotExists, name, columns } as const;
    return comment === undefined ? statement : { ...statement, comment };
  });

  /** `( colDef, ... )`, possibly empty. */
  columnDefs = this.RULE('columnDefs', (): ColumnDef[] => {
    const columns: ColumnDef[] = [];
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => columns.push(this.SUBRULE(this.columnDef)) });
    this.CONSUME(T.RParen);
    return columns;
  });

  /** `p type [NULL | NOT NULL] [DEFAULT expr] [COMMENT 'c']`, options in any order. */
  columnDef = this.RULE('columnDef', (): ColumnDef => {
    const name = this.SUBRULE(this.name);
    const type = this.SUBRULE(this.propType);
    let nullable = true;
    let defaultValue: Expr | undefined;
    let comment: string | undefined;
    this.MANY(() =>
      this.OR([
        { ALT: () => (this.CONSUME(T.NULL), (nullable = true)) },
        { ALT: () => (this.CONSUME(T.NOT), this.CONSUME2(T.NULL), (nullable = false)) },
        { ALT: () => (this.CONSUME(T.DEFAULT), (defaultValue = this.SUBRULE(this.expression))) },
        { ALT: () => (this.CONSUME(T.COMMENT), (comment = this.SUBRULE(this.str))) },
      ]),
    );
    return {
      name,
      type,
      nullable,
      ...(defaultValue === undefined ? {} : { defaultValue }),
      ...(comment === undefined ? {} : { comment }),
    };
  });

  propType = this.RULE('propType', (): PropType => {
    const word: IToken = this.CONSUME(T.Name);
    const length = this.SUBRULE(this.typeLength);
    return this.ACTION(() => {
      const type = propTypeOf(word.image, length);
      if (type === undefined) throw new ParseAbort(word, 'unknown property type');
      return type;
    });
  });

  alterStatement = this.RULE('alterStatement', (): Statement => {
    this.CONSUME(T.ALTER);
    return this.OR([
      { ALT: () => this.SUBRULE(this.alterSchema) },
      {
        ALT: () => {
          this.CONSUME(T.USER);
          const user = this.SUBRULE(this.name);
          this.CONSUME(T.WITH);
          this.CONSUME(T.PASSWORD);
          return { kind: 'AlterUser', user, password: this.SUBRULE(this.str) } as const;
        },
      },
    ]);
  });

  alterSchema = this.RULE('alterSchema', (): Statement => {
    const schema = this.SUBRULE(this.schemaKind);
    const name = this.SUBRULE(this.name);
    const changes: AlterChange[] = [];
    let comment: string | undefined;
    this.OR([
      {
        ALT: () => {
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => changes.push(this.SUBRULE(this.alterClause)) });
          this.OPTION(() => (comment = this.SUBRULE(this.commentClause)));
        },
      },
      { ALT: () => (comment = this.SUBRULE2(this.commentClause)) },
    ]);
    const statement = { kind: 'AlterSchema', schema, name, changes } as const;
    return comment === undefined ? statement : { ...statement, comment };
  });

  alterClause = this.RULE('alterClause', (): AlterChange =>
    this.OR([
      { ALT: () => (this.CONSUME(T.ADD), { op: 'ADD', columns: this.SUBRULE(this.columnDefs) } as const) },
      { ALT: () => (this.CONSUME(T.CHANGE), { op: 'CHANGE', columns: this.SUBRULE2(this.columnDefs) } as const) },
      {
        ALT: () => {
          this.CONSUME(T.DROP);
          this.CONSUME(T.LParen);
          const names = this.SUBRULE(this.nameList);
          this.CONSUME(T.RParen);
          return { op: 'DROP', names } as const;
        },
      },
    ]),
  );

  dropStatement = this.RULE('dropStatement', (): Statement => {
    this.CONSUME(T.DROP);
    return this.OR([
      { ALT: () => (this.CONSUME(T.HOSTS), { kind: 'DropHosts', hosts: this.SUBRULE(this.hostList) } as const) },
      {
        ALT: () => {
          this.CONSUME(T.SPACE);
          const ifExists = this.SUBRULE(this.ifExists);
          return { kind: 'DropSpace', ifExists, name: this.SUBRULE(this.name) } as const;
        },
      },
      {
        ALT: () => {
          const schema = this.SUBRULE(this.schemaKind);
          const ifExists = this.SUBRULE2(this.ifExists);
          return { kind: 'DropSchema', schema, ifExists, name: this.SUBRULE2(this.name) } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.USER);
          const ifExists = this.SUBRULE3(this.ifExists);
          return { kind: 'DropUser', ifExists, user: this.SUBRULE3(this.name) } as const;
        },
      },
    ]);
  });

  describeStatement = this.RULE('describeStatement', (): Statement => {
    this.OR([{ ALT: () => this.CONSUME(T.DESCRIBE) }, { ALT: () => this.CONSUME(T.DESC) }]);
    return this.OR2([
      {
        ALT: () => (this.CONSUME(T.SPACE), { kind: 'DescribeSpace', name: this.SUBRULE(this.name) } as const),
      },
      {
        ALT: () => {
          const schema = this.SUBRULE(this.schemaKind);
          return { kind: 'DescribeSchema', schema, name: this.SUBRULE2(this.name) } as const;
        },
      },
    ]);
  });

  createUser = this.RULE('createUser', (): Statement => {
    this.CONSUME(T.USER);
    const ifNotExists = this.SUBRULE(this.ifNotExists);
    const user = this.SUBRULE(this.name);
    let password = '';
    this.OPTION(() => {
      this.CONSUME(T.WITH);
      this.CONSUME(T.PASSWORD);
      password = this.SUBRULE(this.str);
    });
    return { kind: 'CreateUser', ifNotExists, user, password };
  });
}
