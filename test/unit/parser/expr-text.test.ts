// Pins the column headers NebulaGraph prints for un-aliased YIELD columns, built from the parsed expression.
import { describe, expect, it } from 'vitest';
import { exprText } from '../../../src/parser/expr-text.ts';
import { one } from './parse-helpers.ts';

/** The header of the single column of `YIELD <text>`, as the parser stores it. */
function header(text: string): string {
  const statement = one(`YIELD ${text}`);
  if (statement.kind !== 'Yield') throw new Error('not a YIELD');
  return statement.yield.columns[0]!.text;
}

describe('column header text', () => {
  it.each([
    ['properties(vertex)', 'properties(VERTEX)'],
    ['PROPERTIES(Vertex)', 'properties(VERTEX)'],
    ['dst(edge)', 'dst(EDGE)'],
    ['id(vertex)', 'id(VERTEX)'],
    ['src(EDGE)', 'src(EDGE)'],
    ['rank(edge)', 'rank(EDGE)'],
    ['properties($^)', 'properties($^)'],
    ['$^.player.name', '$^.player.name'],
    ['$$.player.name', '$$.player.name'],
    ['follow.degree', 'follow.degree'],
    ['follow._dst', 'follow._dst'],
    ['$-.id', '$-.id'],
    ['$var.id', '$var.id'],
    ['"abc"', '"abc"'],
    ["'abc'", '"abc"'],
    ['1', '1'],
    ['1.5', '1.5'],
    ['2.0', '2.0'],
    ['true', 'true'],
    ['null', 'NULL'],
    ['1 + 2', '(1+2)'],
    ['1+2*3', '(1+(2*3))'],
    ['follow.degree > 90', '(follow.degree>90)'],
    ['a <> b', '(a!=b)'],
    ['a AND b', '(a AND b)'],
    ['a OR b', '(a OR b)'],
    ['a XOR b', '(a XOR b)'],
    ['a IN [1, 2]', '(a IN [1,2])'],
    ['a NOT IN [1]', '(a NOT IN [1])'],
    ['a STARTS WITH "x"', '(a STARTS WITH "x")'],
    ['-x', '-(x)'],
    ['NOT a', '!(a)'],
    ['!a', '!(a)'],
    ['a IS NULL', 'a IS NULL'],
    ['a IS NOT NULL', 'a IS NOT NULL'],
    ['[1, 2]', '[1,2]'],
    ['{a: 1, b: "x"}', '{a:1,b:"x"}'],
    ['concat("a", "b", "c")', 'concat("a","b","c")'],
    ['abs(-1)', 'abs(-(1))'],
  ])('YIELD %s is headed %s', (text, expected) => {
    expect(header(text)).toBe(expected);
  });

  it('is kept next to an alias, which the executor prefers', () => {
    const statement = one('YIELD dst(edge) AS d');
    expect(statement).toMatchObject({ yield: { columns: [{ alias: 'd', text: 'dst(EDGE)' }] } });
  });

  it('is the same function the parser uses, callable on any expression', () => {
    expect(exprText({ kind: 'entity', entity: '$$' })).toBe('$$');
    expect(exprText({ kind: 'literal', value: -9223372036854775808n })).toBe('-9223372036854775808');
    expect(exprText({ kind: 'literal', value: 0.1 })).toBe('0.1');
  });
});
