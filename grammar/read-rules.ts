/**
 * Statements that read the graph (FETCH, GO, YIELD) and the clauses they share with the writing
 * statements: YIELD columns, edge keys `src->dst@rank`, vid lists and `name, ...` or `*`.
 */
import type { IToken } from 'chevrotain';
import type { EdgeKey, Expr, Statement, VidExpr, YieldClause, YieldColumn } from '../src/parser/ast.ts';
import { exprText } from '../src/parser/expr-text.ts';
import { ParseAbort } from '../src/parser/parse-abort.ts';
import { AdminParser } from './admin-rules.ts';
import * as T from './tokens.ts';

interface FetchTarget {
  readonly start: IToken;
  readonly vid: VidExpr;
  readonly key?: EdgeKey;
}

export class ReadParser extends AdminParser {
  yieldClause = this.RULE('yieldClause', (): YieldClause => {
    const columns: YieldColumn[] = [];
    let distinct = false;
    this.CONSUME(T.YIELD);
    this.OPTION(() => {
      this.CONSUME(T.DISTINCT);
      distinct = true;
    });
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const expr = this.SUBRULE(this.expression);
        let alias: string | undefined;
        this.OPTION2(() => {
          this.CONSUME(T.AS);
          alias = this.SUBRULE(this.name);
        });
        this.ACTION(() => {
          const text = exprText(expr);
          columns.push(alias === undefined ? { expr, text } : { expr, alias, text });
        });
      },
    });
    return { distinct, columns };
  });

  /** `src->dst[@rank]` */
  edgeKey = this.RULE('edgeKey', (): EdgeKey => {
    const src = this.SUBRULE(this.expression);
    this.CONSUME(T.Arrow);
    const dst = this.SUBRULE2(this.expression);
    let rank: Expr | undefined;
    this.OPTION(() => {
      this.CONSUME(T.At);
      rank = this.SUBRULE3(this.expression);
    });
    return rank === undefined ? { src, dst } : { src, dst, rank };
  });

  exprList = this.RULE('exprList', (): Expr[] => {
    const items: Expr[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => items.push(this.SUBRULE(this.expression)) });
    return items;
  });

  namesOrStar = this.RULE('namesOrStar', (): string[] | '*' =>
    this.OR([{ ALT: () => (this.CONSUME(T.Star), '*' as const) }, { ALT: () => this.SUBRULE(this.nameList) }]),
  );

  /** FETCH PROP ON; vertex or edge form is decided by whether the targets carry `->`. */
  fetchStatement = this.RULE('fetchStatement', (): Statement => {
    this.CONSUME(T.FETCH);
    this.CONSUME(T.PROP);
    this.CONSUME(T.ON);
    const names = this.SUBRULE(this.namesOrStar);
    const targets: FetchTarget[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => targets.push(this.SUBRULE(this.fetchTarget)) });
    let yieldClause: YieldClause | undefined;
    this.OPTION(() => (yieldClause = this.SUBRULE(this.yieldClause)));
    const withYield = yieldClause === undefined ? {} : { yield: yieldClause };
    return this.ACTION((): Statement => {
      const edgeForm = targets.some((t) => t.key !== undefined);
      if (!edgeForm) return { kind: 'FetchVertices', tags: names, vids: targets.map((t) => t.vid), ...withYield };
      const mixed = targets.find((t) => t.key === undefined);
      if (mixed !== undefined) throw new ParseAbort(mixed.start, 'vertex among edge keys');
      if (names === '*' || names.length !== 1) throw new ParseAbort(targets[0]!.start, 'one edge type expected');
      return { kind: 'FetchEdges', edge: names[0]!, keys: targets.map((t) => t.key!), ...withYield };
    });
  });

  fetchTarget = this.RULE('fetchTarget', (): FetchTarget => {
    const start = this.LA(1);
    const vid = this.SUBRULE(this.expression);
    let key: EdgeKey | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Arrow);
      const dst = this.SUBRULE2(this.expression);
      key = { src: vid, dst };
      this.OPTION2(() => {
        this.CONSUME(T.At);
        key = { src: vid, dst, rank: this.SUBRULE3(this.expression) };
      });
    });
    return key === undefined ? { start, vid } : { start, vid, key };
  });

  goStatement = this.RULE('goStatement', (): Statement => {
    this.CONSUME(T.GO);
    let minSteps = 1;
    let maxSteps = 1;
    this.OPTION(() => {
      const first = this.SUBRULE(this.stepCount);
      minSteps = maxSteps = first;
      this.OPTION2(() => (this.CONSUME(T.TO), (maxSteps = this.SUBRULE2(this.stepCount))));
      this.CONSUME(T.STEPS);
    });
    this.CONSUME(T.FROM);
    const from = this.SUBRULE(this.exprList);
    this.CONSUME(T.OVER);
    const over = this.SUBRULE(this.namesOrStar);
    let direction: 'OUT' | 'REVERSELY' | 'BIDIRECT' = 'OUT';
    this.OPTION3(() =>
      this.OR([
        { ALT: () => (this.CONSUME(T.REVERSELY), (direction = 'REVERSELY')) },
        { ALT: () => (this.CONSUME(T.BIDIRECT), (direction = 'BIDIRECT')) },
      ]),
    );
    let where: Expr | undefined;
    let yieldClause: YieldClause | undefined;
    let limit: number | undefined;
    this.OPTION4(() => (this.CONSUME(T.WHERE), (where = this.SUBRULE(this.expression))));
    this.OPTION5(() => (yieldClause = this.SUBRULE(this.yieldClause)));
    this.OPTION6(() => {
      this.CONSUME(T.Pipe);
      this.CONSUME(T.LIMIT);
      const token = this.CONSUME(T.Integer);
      limit = this.ACTION(() => this.smallInt(token, Number.MAX_SAFE_INTEGER));
    });
    return {
      kind: 'Go',
      minSteps,
      maxSteps,
      from,
      over,
      direction,
      ...(where === undefined ? {} : { where }),
      ...(yieldClause === undefined ? {} : { yield: yieldClause }),
      ...(limit === undefined ? {} : { limit }),
    };
  });

  stepCount = this.RULE('stepCount', (): number => {
    const token = this.CONSUME(T.Integer);
    return this.ACTION(() => this.smallInt(token, Number.MAX_SAFE_INTEGER));
  });

  yieldStatement = this.RULE('yieldStatement', (): Statement => {
    const yieldClause = this.SUBRULE(this.yieldClause);
    let where: Expr | undefined;
    this.OPTION(() => (this.CONSUME(T.WHERE), (where = this.SUBRULE(this.expression))));
    return where === undefined ? { kind: 'Yield', yield: yieldClause } : { kind: 'Yield', yield: yieldClause, where };
  });
}
