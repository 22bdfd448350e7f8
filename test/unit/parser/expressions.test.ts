// Pins expression structure: operator precedence, primaries, property references and the nesting limit.
import { describe, expect, it } from 'vitest';
import type { Expr } from '../../../src/parser/ast.ts';
import { limits } from '../../../src/limits.ts';
import { bin, expr, failure, int, lit, nm, str } from './parse-helpers.ts';

const not = (operand: Expr): Expr => ({ kind: 'unary', op: 'NOT', operand });
const a = nm('a');
const b = nm('b');
const c = nm('c');

describe('precedence', () => {
  it.each<[string, Expr]>([
    ['1 + 2 * 3', bin('+', int(1), bin('*', int(2), int(3)))],
    ['1 - 2 - 3', bin('-', bin('-', int(1), int(2)), int(3))],
    ['(1 + 2) * 3', bin('*', bin('+', int(1), int(2)), int(3))],
    ['10 / 2 % 3', bin('%', bin('/', int(10), int(2)), int(3))],
    ['a OR b AND c', bin('OR', a, bin('AND', b, c))],
    ['a AND b OR c', bin('OR', bin('AND', a, b), c)],
    ['a OR b XOR c', bin('OR', a, bin('XOR', b, c))],
    ['a XOR b AND c', bin('XOR', a, bin('AND', b, c))],
    ['NOT a == b', not(bin('==', a, b))],
    ['NOT a AND b', bin('AND', not(a), b)],
    ['a AND NOT b', bin('AND', a, not(b))],
    ['a == 1 + 2', bin('==', a, bin('+', int(1), int(2)))],
    ['a + 1 > b * 2', bin('>', bin('+', a, int(1)), bin('*', b, int(2)))],
    ['a < 1 AND b >= 2', bin('AND', bin('<', a, int(1)), bin('>=', b, int(2)))],
    ['a <> b', bin('!=', a, b)],
    ['a != b', bin('!=', a, b)],
    ['a <= b', bin('<=', a, b)],
    ['a && b || c', bin('OR', bin('AND', a, b), c)],
    ['-a * b', bin('*', { kind: 'unary', op: '-', operand: a }, b)],
    ['!a == b', bin('==', not(a), b)],
    ['+a', { kind: 'unary', op: '+', operand: a }],
  ])('%s', (text, expected) => {
    expect(expr(text)).toEqual(expected);
  });

  it('reads IN, NOT IN, CONTAINS, STARTS WITH and ENDS WITH as comparisons', () => {
    expect(expr('a IN [1, 2] AND b NOT IN [3]')).toEqual(
      bin('AND', bin('IN', a, { kind: 'list', items: [int(1), int(2)] }), bin('NOT IN', b, { kind: 'list', items: [int(3)] })),
    );
    expect(expr('a CONTAINS "x" OR a STARTS WITH "y" OR a ENDS WITH "z"')).toEqual(
      bin('OR', bin('OR', bin('CONTAINS', a, str('x')), bin('STARTS WITH', a, str('y'))), bin('ENDS WITH', a, str('z'))),
    );
  });

  it('reads IS [NOT] NULL after arithmetic and under NOT', () => {
    expect(expr('a + 1 IS NULL')).toEqual({ kind: 'isNull', operand: bin('+', a, int(1)), negated: false });
    expect(expr('a IS NOT NULL AND b')).toEqual(bin('AND', { kind: 'isNull', operand: a, negated: true }, b));
    expect(expr('NOT a IS NULL')).toEqual(not({ kind: 'isNull', operand: a, negated: false }));
  });
});

describe('primaries', () => {
  it('reads lists and maps', () => {
    expect(expr('[]')).toEqual({ kind: 'list', items: [] });
    expect(expr('{a: 1, "b c": [2]}')).toEqual({
      kind: 'map',
      entries: [
        ['a', int(1)],
        ['b c', { kind: 'list', items: [int(2)] }],
      ],
    });
  });

  it('reads calls with lower-cased names and entity arguments', () => {
    expect(expr('PROPERTIES(VERTEX)')).toEqual({ kind: 'call', name: 'properties', args: [{ kind: 'entity', entity: 'vertex' }] });
    expect(expr('src(edge)')).toEqual({ kind: 'call', name: 'src', args: [{ kind: 'entity', entity: 'edge' }] });
    expect(expr('properties($^)')).toEqual({ kind: 'call', name: 'properties', args: [{ kind: 'entity', entity: '$^' }] });
    expect(expr('properties($$)')).toEqual({ kind: 'call', name: 'properties', args: [{ kind: 'entity', entity: '$$' }] });
    expect(expr('now()')).toEqual({ kind: 'call', name: 'now', args: [] });
    expect(expr('type(edge)')).toEqual({ kind: 'call', name: 'type', args: [{ kind: 'entity', entity: 'edge' }] });
    expect(expr('date("2020-01-01")')).toEqual({ kind: 'call', name: 'date', args: [str('2020-01-01')] });
  });

  it('reads property references of every shape', () => {
    expect(expr('$^.player.name')).toEqual({ kind: 'srcProp', tag: 'player', prop: 'name' });
    expect(expr('$$.player.age')).toEqual({ kind: 'dstProp', tag: 'player', prop: 'age' });
    expect(expr('follow.degree')).toEqual({ kind: 'labelProp', label: 'follow', prop: 'degree' });
    expect(expr('e._src')).toEqual({ kind: 'labelProp', label: 'e', prop: '_src' });
    expect(expr('e._rank')).toEqual({ kind: 'labelProp', label: 'e', prop: '_rank' });
    expect(expr('$-.id')).toEqual({ kind: 'varProp', variable: '-', prop: 'id' });
    expect(expr('$v.id')).toEqual({ kind: 'varProp', variable: 'v', prop: 'id' });
    expect(expr('age')).toEqual(nm('age'));
  });

  it('reads the float forms', () => {
    expect(expr('.5')).toEqual(lit(0.5));
    expect(expr('2.5e-1')).toEqual(lit(0.25));
  });
});

describe('nesting limit', () => {
  const depth = limits.exprDepthMax;

  it(`accepts ${depth} nested parentheses`, () => {
    expect(expr(`${'('.repeat(depth - 1)}1${')'.repeat(depth - 1)}`)).toEqual(int(1));
  });

  it('answers a syntax error, not a stack overflow, for deeper nesting of every kind', () => {
    for (const [open, close] of [['(', ')'], ['[', ']'], ['abs(', ')'], ['{k: ', '}']] as const) {
      const text = `YIELD ${open.repeat(depth * 40)}1${close.repeat(depth * 40)}`;
      expect(failure(text).error.code).toBe(-1004);
    }
    expect(failure(`YIELD ${'-'.repeat(depth * 40)}1`).error.code).toBe(-1004);
    expect(failure(`YIELD ${'NOT '.repeat(depth * 40)}1`).error.code).toBe(-1004);
    expect(failure(`YIELD ${Array(depth * 40).fill('1').join(' + ')}`).error.code).toBe(-1004);
  });

  it('points at the token where the limit is crossed', () => {
    const result = failure(`YIELD ${'('.repeat(depth + 5)}1${')'.repeat(depth + 5)}`);
    expect(result.error.message).toBe("SyntaxError: syntax error near `('");
    expect(result.column).toBe('YIELD '.length + depth + 1);
  });
});
