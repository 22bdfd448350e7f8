/**
 * nGQL expressions: a flat chain of operands and operators folded by precedence
 * (src/parser/precedence.ts), with literals, lists, maps, calls and property references as
 * primaries. Nesting deeper than `limits.exprDepthMax` is a syntax error, never a stack overflow.
 */
import { tokenMatcher, type IOrAlt, type IToken, type TokenType } from 'chevrotain';
import type { BinaryOp, Expr } from '../src/parser/ast.ts';
import { fitsInt64, INT64_MIN_MAGNITUDE, integerValue } from '../src/parser/literals.ts';
import { ParseAbort } from '../src/parser/parse-abort.ts';
import { ExprChain } from '../src/parser/precedence.ts';
import { limits } from '../src/limits.ts';
import { BaseParser, nameOf } from './base-rules.ts';
import * as T from './tokens.ts';

const infixOps = new Map<TokenType, BinaryOp>([
  [T.Plus, '+'],
  [T.Minus, '-'],
  [T.Star, '*'],
  [T.Slash, '/'],
  [T.Percent, '%'],
  [T.EqEq, '=='],
  [T.NotEq, '!='],
  [T.Lt, '<'],
  [T.LtEq, '<='],
  [T.Gt, '>'],
  [T.GtEq, '>='],
  [T.AND, 'AND'],
  [T.AndAnd, 'AND'],
  [T.OR, 'OR'],
  [T.OrOr, 'OR'],
  [T.XOR, 'XOR'],
  [T.IN, 'IN'],
  [T.CONTAINS, 'CONTAINS'],
]);

const literal = (value: bigint | number | string | boolean | null): Expr => ({ kind: 'literal', value });

export class ExprParser extends BaseParser {
  /** Expressions open on the parse stack right now; `parse` resets it before every run. */
  nest = 0;
  /** Depth in nodes of the expression the last `unit`/`primary`/`expression` returned. */
  protected outDepth = 0;
  /** True while the operand being read directly follows a unary minus (so int64 min is legal). */
  private negPending = false;

  private readonly infixAhead = (): boolean => {
    const next = this.LA(1);
    if (tokenMatcher(next, T.InfixOp)) return true;
    const type = next.tokenType;
    if (type === T.STARTS || type === T.ENDS) return true;
    return type === T.NOT && this.LA(2).tokenType === T.IN;
  };


  /**
   * One chain per open nesting level, reused from statement to statement: the INSERT hot path
   * reads thousands of one-operand expressions and should not allocate a folder for each.
   */
  private readonly chains: ExprChain[] = [];

  /** The chain of the expression being read at the current nesting level. */
  private chainHere(): ExprChain {
    return this.chains[this.nest]!;
  }

  // Hot-path alternatives are built once: closures created per call (and named by the TypeScript
  // loader's keep-names pass) were most of the parse time of a large INSERT.
  private readonly chainTail = {
    GATE: this.infixAhead,
    DEF: (): void => {
      const op = this.SUBRULE(this.infixOp);
      this.ACTION(() => this.chainHere().binary(op));
      this.SUBRULE2(this.operand);
    },
  };

  expression = this.RULE('expression', (): Expr => {
    this.ACTION(() => {
      if (++this.nest > limits.exprDepthMax) throw new ParseAbort(this.LA(1), 'expression nested too deeply');
      (this.chains[this.nest] ??= new ExprChain()).reset();
    });
    this.SUBRULE(this.operand);
    this.MANY(this.chainTail);
    return this.ACTION(() => {
      const chain = this.chainHere();
      const expr = chain.finish();
      this.nest--;
      if (chain.depth > limits.exprDepthMax) throw new ParseAbort(this.LA(0), 'expression nested too deeply');
      this.outDepth = chain.depth;
      return expr;
    });
  });

  private readonly infixAlts: IOrAlt<BinaryOp>[] = [
    {
      ALT: () => {
        const token = this.CONSUME(T.InfixOp);
        return this.ACTION(() => infixOps.get(token.tokenType)!);
      },
    },
    {
      ALT: () => {
        this.CONSUME(T.NOT);
        this.CONSUME(T.IN);
        return 'NOT IN' as const;
      },
    },
    {
      ALT: () => {
        this.CONSUME(T.STARTS);
        this.CONSUME(T.WITH);
        return 'STARTS WITH' as const;
      },
    },
    {
      ALT: () => {
        this.CONSUME(T.ENDS);
        this.CONSUME2(T.WITH);
        return 'ENDS WITH' as const;
      },
    },
  ];

  infixOp = this.RULE('infixOp', (): BinaryOp => this.OR(this.infixAlts));

  /** One operand of the chain with its low-precedence prefix NOTs and postfix IS [NOT] NULL. */
  operand = this.RULE('operand', (): void => {
    this.MANY(() => {
      this.CONSUME(T.NOT);
      this.ACTION(() => this.chainHere().not());
    });
    const expr = this.SUBRULE(this.unit);
    this.ACTION(() => this.chainHere().operand(expr, this.outDepth));
    this.MANY2(() => {
      this.CONSUME(T.IS);
      let negated = false;
      this.OPTION(() => {
        this.CONSUME2(T.NOT);
        negated = true;
      });
      this.CONSUME(T.NULL);
      this.ACTION(() => this.chainHere().isNull(negated));
    });
  });

  private readonly prefixAlts: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(T.Minus) },
    { ALT: () => this.CONSUME(T.Plus) },
    { ALT: () => this.CONSUME(T.Bang) },
  ];

  /** A primary under any number of tight prefixes: `-x`, `+x`, `!x`. */
  unit = this.RULE('unit', (): Expr => {
    let prefixes = '';
    this.MANY(() => {
      prefixes += this.OR(this.prefixAlts).image;
    });
    this.ACTION(() => (this.negPending = prefixes.endsWith('-')));
    let expr = this.SUBRULE(this.primary);
    if (prefixes === '') return expr;
    return this.ACTION(() => {
      let i = prefixes.length - 1;
      if (prefixes[i] === '-' && expr.kind === 'literal' && expr.value === INT64_MIN_MAGNITUDE) {
        expr = literal(-INT64_MIN_MAGNITUDE);
        i--;
      }
      for (; i >= 0; i--) {
        const op = prefixes[i] === '!' ? 'NOT' : (prefixes[i] as '-' | '+');
        expr = { kind: 'unary', op, operand: expr };
        this.outDepth++;
      }
      return expr;
    });
  });

  /** Whether the Integer being read may be |int64 min| (it follows a unary minus directly). */
  private minAllowed = false;

  private readonly primaryAlts: IOrAlt<Expr>[] = [
    {
      ALT: () => {
        const token = this.CONSUME(T.Integer);
        return this.ACTION(() => {
          const value = integerValue(token.image);
          if (!fitsInt64(value) && !(this.minAllowed && value === INT64_MIN_MAGNITUDE)) {
            throw new ParseAbort(token, 'integer out of range');
          }
          return literal(value);
        });
      },
    },
    { ALT: () => literal(Number(this.CONSUME(T.Float).image)) },
    { ALT: () => literal(this.SUBRULE(this.str)) },
    { ALT: () => this.SUBRULE(this.constant) },
    {
      ALT: () => {
        this.CONSUME(T.LParen);
        const inner = this.SUBRULE(this.expression);
        this.CONSUME(T.RParen);
        return inner;
      },
    },
    { ALT: () => this.SUBRULE(this.listLiteral) },
    { ALT: () => this.SUBRULE(this.mapLiteral) },
    { ALT: () => this.SUBRULE(this.reference) },
    { ALT: () => this.SUBRULE(this.nameExpr) },
  ];

  primary = this.RULE('primary', (): Expr => {
    this.ACTION(() => {
      this.minAllowed = this.negPending;
      this.negPending = false;
      this.outDepth = 1;
    });
    return this.OR(this.primaryAlts);
  });

  private readonly constantAlts: IOrAlt<Expr>[] = [
    { ALT: () => (this.CONSUME(T.TRUE), literal(true)) },
    { ALT: () => (this.CONSUME(T.FALSE), literal(false)) },
    { ALT: () => (this.CONSUME(T.NULL), literal(null)) },
    { ALT: () => (this.CONSUME(T.VERTEX), { kind: 'entity', entity: 'vertex' } as const) },
    { ALT: () => (this.CONSUME(T.EDGE), { kind: 'entity', entity: 'edge' } as const) },
  ];

  constant = this.RULE('constant', (): Expr => this.OR(this.constantAlts));

  /** Comma-separated expressions up to `close`; sets `outDepth` to one more than the deepest. */
  private readonly exprItems = (items: Expr[]): void => {
    let deepest = 0;
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => {
        items.push(this.SUBRULE(this.expression));
        this.ACTION(() => (deepest = Math.max(deepest, this.outDepth)));
      },
    });
    this.ACTION(() => (this.outDepth = deepest + 1));
  };

  listLiteral = this.RULE('listLiteral', (): Expr => {
    const items: Expr[] = [];
    this.CONSUME(T.LBracket);
    this.exprItems(items);
    this.CONSUME(T.RBracket);
    return { kind: 'list', items };
  });

  mapLiteral = this.RULE('mapLiteral', (): Expr => {
    const entries: [string, Expr][] = [];
    let deepest = 0;
    this.CONSUME(T.LCurly);
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => {
        const key = this.OR([{ ALT: () => this.SUBRULE(this.name) }, { ALT: () => this.SUBRULE(this.str) }]);
        this.CONSUME(T.Colon);
        const value = this.SUBRULE(this.expression);
        this.ACTION(() => {
          entries.push([key, value]);
          deepest = Math.max(deepest, this.outDepth);
        });
      },
    });
    this.CONSUME(T.RCurly);
    this.ACTION(() => (this.outDepth = deepest + 1));
    return { kind: 'map', entries };
  });

  /** `$^`, `$$` (alone: the entity), `$^.tag.prop`, `$$.tag.prop`, `$var.prop`, `$-.prop`. */
  reference = this.RULE('reference', (): Expr =>
    this.OR([
      { ALT: () => (this.CONSUME(T.SrcRef), this.SUBRULE(this.vertexPropTail, { ARGS: ['$^'] })) },
      { ALT: () => (this.CONSUME(T.DstRef), this.SUBRULE2(this.vertexPropTail, { ARGS: ['$$'] })) },
      {
        ALT: () => {
          const variable = this.CONSUME(T.VarRef).image.slice(1);
          this.CONSUME(T.Dot);
          return { kind: 'varProp', variable, prop: this.SUBRULE(this.name) } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.InputRef);
          this.CONSUME2(T.Dot);
          return { kind: 'varProp', variable: '-', prop: this.SUBRULE2(this.name) } as const;
        },
      },
    ]),
  );

  vertexPropTail = this.RULE('vertexPropTail', (entity: '$^' | '$$'): Expr => {
    let result: Expr = { kind: 'entity', entity };
    this.OPTION(() => {
      this.CONSUME(T.Dot);
      const tag = this.SUBRULE(this.name);
      this.CONSUME2(T.Dot);
      const prop = this.SUBRULE2(this.name);
      result = { kind: entity === '$^' ? 'srcProp' : 'dstProp', tag, prop };
    });
    return result;
  });

  /** A name, a function call `f(args)` (name lower-cased) or a property `label.prop`. */
  nameExpr = this.RULE('nameExpr', (): Expr => {
    const token = this.CONSUME(T.Name);
    let result: Expr | undefined;
    this.OPTION(() =>
      this.OR([
        {
          ALT: () => {
            const args: Expr[] = [];
            this.CONSUME(T.LParen);
            this.exprItems(args);
            this.CONSUME(T.RParen);
            result = this.ACTION(() => ({ kind: 'call', name: nameOf(token).toLowerCase(), args }));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Dot);
            const prop = this.SUBRULE(this.name);
            result = this.ACTION(() => ({ kind: 'labelProp', label: nameOf(token), prop }));
          },
        },
      ]),
    );
    return this.ACTION(() => result ?? { kind: 'name', name: nameOf(token) });
  });
}
