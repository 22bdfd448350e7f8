// Pins the evaluator's NebulaGraph semantics: int64 arithmetic with overflow and division by zero
// as NULL values, int/float mixing, string concatenation, null-propagating comparisons and
// three-valued logic, and the predicates IN / CONTAINS / STARTS WITH / ENDS WITH / IS NULL.
import { describe, expect, it } from 'vitest';
import { evaluate, EMPTY_ROW, evalConstant } from '../../../../src/executor/expr/evaluate.ts';
import { NullType, nullOf, type Value } from '../../../../src/value/types.ts';
import type { Expr } from '../../../../src/parser/ast.ts';
import { bin, isNullE, list, lit, neg, not } from './ast-builders.ts';

const ev = (e: Expr): Value => evaluate(e, EMPTY_ROW);
const MAX = 2n ** 63n - 1n;
const MIN = -(2n ** 63n);

describe('arithmetic', () => {
  it('keeps ints as int64 and truncates division toward zero', () => {
    expect(ev(bin('+', lit(1n), lit(2n)))).toBe(3n);
    expect(ev(bin('/', lit(7n), lit(2n)))).toBe(3n);
    expect(ev(bin('/', lit(-7n), lit(2n)))).toBe(-3n);
    expect(ev(bin('%', lit(7n), lit(3n)))).toBe(1n);
    expect(ev(bin('*', lit(6n), lit(7n)))).toBe(42n);
  });
  it('mixes an int with a float into a float', () => {
    expect(ev(bin('+', lit(1n), lit(2.5)))).toBe(3.5);
    expect(ev(bin('/', lit(1n), lit(4.0)))).toBe(0.25);
  });
  it('answers ERR_OVERFLOW outside int64', () => {
    expect(ev(bin('+', lit(MAX), lit(1n)))).toEqual(nullOf(NullType.ERR_OVERFLOW));
    expect(ev(bin('*', lit(MAX), lit(2n)))).toEqual(nullOf(NullType.ERR_OVERFLOW));
    expect(ev(neg(lit(MIN)))).toEqual(nullOf(NullType.ERR_OVERFLOW));
    expect(ev(bin('/', lit(MIN), lit(-1n)))).toEqual(nullOf(NullType.ERR_OVERFLOW));
  });
  it('answers DIV_BY_ZERO for a zero divisor', () => {
    expect(ev(bin('/', lit(1n), lit(0n)))).toEqual(nullOf(NullType.DIV_BY_ZERO));
    expect(ev(bin('%', lit(1n), lit(0n)))).toEqual(nullOf(NullType.DIV_BY_ZERO));
    expect(ev(bin('/', lit(1.5), lit(0.0)))).toEqual(nullOf(NullType.DIV_BY_ZERO));
  });
  it('concatenates strings with +', () => {
    expect(ev(bin('+', lit('ab'), lit('cd')))).toBe('abcd');
    expect(ev(bin('+', lit('n'), lit(1n)))).toBe('n1');
    expect(ev(bin('+', lit('x'), lit(true)))).toEqual(nullOf(NullType.BAD_TYPE));
  });
  it('propagates NULL and refuses wrong types with BAD_TYPE', () => {
    expect(ev(bin('+', lit(null), lit(1n)))).toBe(null);
    expect(ev(bin('-', lit('a'), lit(1n)))).toEqual(nullOf(NullType.BAD_TYPE));
  });
});

describe('comparisons', () => {
  it('compares numbers across int and float, and strings by order', () => {
    expect(ev(bin('==', lit(1n), lit(1.0)))).toBe(true);
    expect(ev(bin('<', lit(1n), lit(2n)))).toBe(true);
    expect(ev(bin('>=', lit(2.5), lit(3n)))).toBe(false);
    expect(ev(bin('<', lit('a'), lit('b')))).toBe(true);
    expect(ev(bin('!=', lit('a'), lit(1n)))).toBe(true);
  });
  it('is NULL when either side is NULL, BAD_TYPE for unordered types', () => {
    expect(ev(bin('==', lit(null), lit(1n)))).toBe(null);
    expect(ev(bin('<', lit(1n), lit(null)))).toBe(null);
    expect(ev(bin('<', lit(1n), lit('a')))).toEqual(nullOf(NullType.BAD_TYPE));
  });
});

describe('three-valued logic', () => {
  it('AND, OR, XOR and NOT follow Kleene logic', () => {
    expect(ev(bin('AND', lit(false), lit(null)))).toBe(false);
    expect(ev(bin('AND', lit(true), lit(null)))).toBe(null);
    expect(ev(bin('AND', lit(null), lit(false)))).toBe(false);
    expect(ev(bin('OR', lit(true), lit(null)))).toBe(true);
    expect(ev(bin('OR', lit(null), lit(false)))).toBe(null);
    expect(ev(bin('XOR', lit(true), lit(false)))).toBe(true);
    expect(ev(bin('XOR', lit(true), lit(null)))).toBe(null);
    expect(ev(not(lit(null)))).toBe(null);
    expect(ev(not(lit(false)))).toBe(true);
  });
  it('gives BAD_TYPE for non-boolean operands', () => {
    expect(ev(bin('AND', lit(true), lit(1n)))).toEqual(nullOf(NullType.BAD_TYPE));
  });
});

describe('predicates', () => {
  it('IN and NOT IN look in a list', () => {
    expect(ev(bin('IN', lit(2n), list(lit(1n), lit(2n))))).toBe(true);
    expect(ev(bin('IN', lit(3n), list(lit(1n), lit(2n))))).toBe(false);
    expect(ev(bin('IN', lit(3n), list(lit(1n), lit(null))))).toBe(null);
    expect(ev(bin('NOT IN', lit(3n), list(lit(1n))))).toBe(true);
    expect(ev(bin('IN', lit(null), list(lit(1n))))).toBe(null);
  });
  it('string predicates answer booleans, NULL for NULL', () => {
    expect(ev(bin('CONTAINS', lit('basketball'), lit('ket')))).toBe(true);
    expect(ev(bin('STARTS WITH', lit('player100'), lit('player')))).toBe(true);
    expect(ev(bin('ENDS WITH', lit('player100'), lit('99')))).toBe(false);
    expect(ev(bin('CONTAINS', lit(null), lit('a')))).toBe(null);
    expect(ev(bin('CONTAINS', lit(1n), lit('a')))).toEqual(nullOf(NullType.BAD_TYPE));
  });
  it('IS NULL is true for every kind of NULL, never NULL itself', () => {
    expect(ev(isNullE(lit(null)))).toBe(true);
    expect(ev(isNullE(bin('/', lit(1n), lit(0n))))).toBe(true);
    expect(ev(isNullE(lit(0n), true))).toBe(true);
    expect(ev(isNullE(lit('x')))).toBe(false);
  });
  it('builds list and map literals', () => {
    const m = ev({ kind: 'map', entries: [['a', lit(1n)]] });
    expect(m).toEqual({ kind: 'map', entries: new Map([['a', 1n]]) });
    expect(ev(list(lit(1n), lit('x')))).toEqual({ kind: 'list', values: [1n, 'x'] });
  });
});

describe('evalConstant', () => {
  it('evaluates literals and constant expressions', () => {
    expect(evalConstant(lit(1n))).toEqual({ ok: true, value: 1n });
    expect(evalConstant(bin('+', lit(1n), lit(2n)))).toEqual({ ok: true, value: 3n });
  });
  it('refuses expressions that read a row or call an unknown function', () => {
    const prop = evalConstant({ kind: 'srcProp', tag: 't', prop: 'p' });
    expect(prop.ok).toBe(false);
    const fn = evalConstant({ kind: 'call', name: 'nosuch', args: [] });
    expect(fn).toEqual({ ok: false, error: { code: -1009, message: "SemanticError: Function `nosuch' not defined" } });
  });
});
