/**
 * The nGQL grammar's top: statements that write the graph (INSERT, DELETE, UPDATE, UPSERT), the
 * statement dispatch, and `;`-separated statement lists. The layers below, from the bottom:
 * tokens.ts, base-rules.ts, expr-rules.ts, ddl-rules.ts, admin-rules.ts, read-rules.ts.
 *
 * `ngqlParser` is the one instance, built once at import and reused by every `parse` call; it is
 * not re-entrant, which is fine because parsing is synchronous.
 */
import type { IToken } from 'chevrotain';
import type { EdgeKey, Expr, Statement, VidExpr, YieldClause } from '../src/parser/ast.ts';
import { ReadParser } from './read-rules.ts';
import * as T from './tokens.ts';

/** Every decision is made on at most two tokens (`NOT IN`, `SHOW DRAINER SYNC`); a small bound keeps lookahead cheap. */
const maxLookahead = 2;

type Sets = { prop: string; value: Expr }[];

export class NgqlParser extends ReadParser {
  constructor() {
    super(T.allTokens, { maxLookahead });
    this.performSelfAnalysis();
  }

  /** The token the parser would read next; where `parse` points when something unexpected threw. */
  nextToken(): IToken {
    return this.LA(1);
  }

  statements = this.RULE('statements', (): Statement[] => {
    const out: Statement[] = [];
    this.OPTION(() => out.push(this.SUBRULE(this.statement)));
    this.MANY(() => {
      this.CONSUME(T.Semi);
      this.OPTION2(() => out.push(this.SUBRULE2(this.statement)));
    });
    return out;
  });

  statement = this.RULE('statement', (): Statement =>
    this.OR([
      { ALT: () => this.SUBRULE(this.insertStatement) },
      { ALT: () => this.SUBRULE(this.goStatement) },
      { ALT: () => this.SUBRULE(this.fetchStatement) },
      { ALT: () => this.SUBRULE(this.yieldStatement) },
      { ALT: () => this.SUBRULE(this.updateStatement) },
      { ALT: () => this.SUBRULE(this.deleteStatement) },
      { ALT: () => this.SUBRULE(this.variableStatement) },
      { ALT: () => this.SUBRULE(this.showStatement) },
      { ALT: () => this.SUBRULE(this.createStatement) },
      { ALT: () => this.SUBRULE(this.alterStatement) },
      { ALT: () => this.SUBRULE(this.dropStatement) },
      { ALT: () => this.SUBRULE(this.describeStatement) },
      { ALT: () => this.SUBRULE(this.addStatement) },
      { ALT: () => this.SUBRULE(this.removeStatement) },
      { ALT: () => this.SUBRULE(this.signStatement) },
      { ALT: () => this.SUBRULE(this.jobStatement) },
      { ALT: () => this.SUBRULE(this.userStatement) },
      { ALT: () => this.SUBRULE(this.verifyStatement) },
    ]),
  );

  insertStatement = this.RULE('insertStatement', (): Statement => {
    this.CONSUME(T.INSERT);
    return this.OR([
      { ALT: () => (this.CONSUME(T.VERTEX), this.SUBRULE(this.insertVertex)) },
      { ALT: () => (this.CONSUME(T.EDGE), this.SUBRULE(this.insertEdge)) },
    ]);
  });

  insertVertex = this.RULE('insertVertex', (): Statement => {
    const ifNotExists = this.SUBRULE(this.ifNotExists);
    const tags: { tag: string; props: string[] }[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const tag = this.SUBRULE(this.name);
        tags.push({ tag, props: this.SUBRULE(this.propNames) });
      },
    });
    this.CONSUME(T.VALUES);
    const rows: { vid: VidExpr; values: Expr[] }[] = [];
    this.SUBRULE(this.vertexRow, { ARGS: [rows] });
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.vertexRow, { ARGS: [rows] });
    });
    return { kind: 'InsertVertex', ifNotExists, tags, rows };
  });

  insertEdge = this.RULE('insertEdge', (): Statement => {
    const ifNotExists = this.SUBRULE(this.ifNotExists);
    const edge = this.SUBRULE(this.name);
    const props = this.SUBRULE(this.propNames);
    this.CONSUME(T.VALUES);
    const rows: { key: EdgeKey; values: Expr[] }[] = [];
    this.SUBRULE(this.edgeRow, { ARGS: [rows] });
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.edgeRow, { ARGS: [rows] });
    });
    return { kind: 'InsertEdge', ifNotExists, edge, props, rows };
  });

  // Rows are separate rules appending to the caller's array: the INSERT hot path then creates no
  // closure per row (see `chainTail` in expr-rules.ts for why that matters).
  vertexRow = this.RULE('vertexRow', (rows: { vid: VidExpr; values: Expr[] }[]): void => {
    const vid = this.SUBRULE(this.expression);
    this.CONSUME(T.Colon);
    const values = this.SUBRULE(this.valueList);
    this.ACTION(() => rows.push({ vid, values }));
  });

  edgeRow = this.RULE('edgeRow', (rows: { key: EdgeKey; values: Expr[] }[]): void => {
    const key = this.SUBRULE(this.edgeKey);
    this.CONSUME(T.Colon);
    const values = this.SUBRULE(this.valueList);
    this.ACTION(() => rows.push({ key, values }));
  });

  /** `(p, ...)`, possibly empty. */
  propNames = this.RULE('propNames', (): string[] => {
    const names: string[] = [];
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => names.push(this.SUBRULE(this.name)) });
    this.CONSUME(T.RParen);
    return names;
  });

  /** `(expr, ...)`, possibly empty. */
  valueList = this.RULE('valueList', (): Expr[] => {
    const values: Expr[] = [];
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      values.push(this.SUBRULE(this.expression));
      this.MANY(() => {
        this.CONSUME(T.Comma);
        values.push(this.SUBRULE2(this.expression));
      });
    });
    this.CONSUME(T.RParen);
    return values;
  });

  deleteStatement = this.RULE('deleteStatement', (): Statement => {
    this.CONSUME(T.DELETE);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.VERTEX);
          const vids = this.SUBRULE(this.exprList);
          let withEdge = false;
          this.OPTION(() => (this.CONSUME(T.WITH), this.CONSUME(T.EDGE), (withEdge = true)));
          return { kind: 'DeleteVertex', vids, withEdge } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.TAG);
          const tags = this.SUBRULE(this.namesOrStar);
          this.CONSUME(T.FROM);
          return { kind: 'DeleteTag', tags, vids: this.SUBRULE2(this.exprList) } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME2(T.EDGE);
          const edge = this.SUBRULE(this.name);
          const keys: EdgeKey[] = [];
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => keys.push(this.SUBRULE(this.edgeKey)) });
          return { kind: 'DeleteEdge', edge, keys } as const;
        },
      },
    ]);
  });

  updateStatement = this.RULE('updateStatement', (): Statement => {
    const upsert = this.OR([
      { ALT: () => (this.CONSUME(T.UPDATE), false) },
      { ALT: () => (this.CONSUME(T.UPSERT), true) },
    ]);
    const target = this.OR2([
      {
        ALT: () => {
          this.CONSUME(T.VERTEX);
          this.CONSUME(T.ON);
          const tag = this.SUBRULE(this.name);
          return { kind: 'UpdateVertex', upsert, tag, vid: this.SUBRULE(this.expression) } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.EDGE);
          this.CONSUME2(T.ON);
          const edge = this.SUBRULE2(this.name);
          return { kind: 'UpdateEdge', upsert, edge, key: this.SUBRULE(this.edgeKey) } as const;
        },
      },
    ]);
    this.CONSUME(T.SET);
    const sets: Sets = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const prop = this.SUBRULE3(this.name);
        this.CONSUME(T.Assign);
        sets.push({ prop, value: this.SUBRULE2(this.expression) });
      },
    });
    let when: Expr | undefined;
    let yieldClause: YieldClause | undefined;
    this.OPTION(() => (this.CONSUME(T.WHEN), (when = this.SUBRULE3(this.expression))));
    this.OPTION2(() => (yieldClause = this.SUBRULE(this.yieldClause)));
    return {
      ...target,
      sets,
      ...(when === undefined ? {} : { when }),
      ...(yieldClause === undefined ? {} : { yield: yieldClause }),
    };
  });
}

/** The one parser instance. */
export const ngqlParser = new NgqlParser();
