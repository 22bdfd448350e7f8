// Pins that the INSERT fast path answers exactly what the grammar answers: the same statement for plain-literal INSERTs, the same error otherwise.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastInsert } from '../../../src/parser/insert-fast-path.ts';
import { parse, parseWithGrammar } from '../../../src/parser/parse.ts';

/** Pads a statement past the fast path's minimum length with more plain rows. */
function vertexInsert(rows: readonly string[], head = 'INSERT VERTEX player(name, age)'): string {
  const filler = Array.from({ length: 40 }, (_, i) => `"f${i}":("filler", ${i})`);
  return `${head} VALUES ${[...rows, ...filler].join(', ')}`;
}

const grammarHead = (head: string) => {
  const r = parseWithGrammar(head);
  return r.ok ? r.statements : undefined;
};

describe('INSERT fast path', () => {
  it('takes a plain 500-row INSERT and gives the grammar statement', () => {
    const rows = Array.from({ length: 500 }, (_, i) => `"player${i}":("n${i}", ${i % 90}, ${i})`);
    const text = `INSERT VERTEX player(name, age, seq) VALUES ${rows.join(', ')}`;
    const fast = fastInsert(text, grammarHead);
    expect(fast).toBeDefined();
    expect(parse(text)).toEqual(parseWithGrammar(text));
  });

  it.each([
    ['escapes and both quotes', [`"a\\"b":('it\\'s', 1)`, `'c\\nd':("\\u0041", 2)`]],
    ['negative numbers and int64 bounds', [`"a":("x", -5)`, `"b":("y", -9223372036854775808)`, `"c":("z", 9223372036854775807)`]],
    ['floats and constants', [`"a":(1.5, true)`, `"b":(-0.25, NULL)`, `"c":(FaLsE, nUlL)`]],
    ['whitespace of every kind', [`"a"\t:\n(\r"x" ,\f 1 )`, `"b":(\v"y",2)`]],
    ['int vids', [`1:("x", 1)`, `-2:("y", 2)`]],
  ])('agrees with the grammar on %s', (_name, rows) => {
    const text = vertexInsert(rows);
    expect(fastInsert(text, grammarHead)).toBeDefined();
    expect(parse(text)).toEqual(parseWithGrammar(text));
  });

  it.each([
    ['an expression', `"a":("x", 1 + 2)`],
    ['a function call', `hash("a"):("x", 1)`],
    ['a hex integer', `"a":("x", 0x10)`],
    ['an exponent', `"a":("x", 1e3)`],
    ['an integer out of range', `"a":("x", 9223372036854775808)`],
    ['a comment', `"a":("x", 1) /* c */`],
    ['a second statement', `"a":("x", 1); YIELD 1`],
    ['a missing comma', `"a":("x" 1)`],
    ['an unterminated string', `"a":("x, 1)`],
    ['an IPv4-like number', `"a":("x", 1.2.3.4)`],
    ['a space after a minus', `"a":("x", - 1)`],
  ])('leaves %s to the grammar, with the same answer', (_name, row) => {
    const text = vertexInsert([`"z":("ok", 0)`], 'INSERT VERTEX player(name, age)').replace('VALUES ', `VALUES ${row}, `);
    expect(fastInsert(text, grammarHead)).toBeUndefined();
    expect(parse(text)).toEqual(parseWithGrammar(text));
  });

  it('takes a trailing semicolon, and no semicolon between rows', () => {
    const text = `${vertexInsert([`"a":("x", 1)`])};  `;
    expect(fastInsert(text, grammarHead)).toBeDefined();
    expect(parse(text)).toEqual(parseWithGrammar(text));
    const inside = vertexInsert([`"a":("x", 1);`]);
    expect(fastInsert(inside, grammarHead)).toBeUndefined();
    expect(parse(inside)).toEqual(parseWithGrammar(inside));
  });

  it('takes INSERT EDGE with and without ranks', () => {
    const rows = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? `"a${i}"->"b${i}"@${i - 50}:(${i}, "w")` : `"a${i}" -> "b${i}":(${i}, "w")`));
    const text = `INSERT EDGE IF NOT EXISTS follow(degree, note) VALUES ${rows.join(', ')}`;
    expect(fastInsert(text, grammarHead)).toBeDefined();
    expect(parse(text)).toEqual(parseWithGrammar(text));
  });

  it('agrees with the grammar on random rows, valid or not', () => {
    const literal = fc.oneof(
      fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
      fc.string({ maxLength: 8 }).map((s) => `'${s.replace(/['\\]/g, '')}'`),
      fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => String(d)),
      fc.constantFrom('true', 'FALSE', 'null', 'x', '1 + 1', '(1)', '-', '.5', '1.', '0x1f', '[1]', '"a" "b"', '#c\n1', '\\\n1'),
    );
    const row = fc.tuple(literal, fc.array(literal, { maxLength: 3 }), fc.constantFrom(' ', '', '\n', '\t')).map(
      ([vid, values, ws]) => `${vid}${ws}:${ws}(${values.join(`,${ws}`)})`,
    );
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 6 }), fc.constantFrom(', ', ',', ' ,\n', ';', ', ;', ';,', ' ; , ', ',,', ' '), fc.constantFrom('', ';', '; ', ' ;;'), (rows, sep, end) => {
        const text = vertexInsert([rows.join(sep)], 'INSERT VERTEX t(a, b, c)') + end;
        expect(parse(text)).toEqual(parseWithGrammar(text));
      }),
      { seed: 8, numRuns: 400 },
    );
  });
});
