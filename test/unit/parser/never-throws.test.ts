// Pins that parse never throws: for arbitrary text and for random mutations of valid statements it answers ok or a coded error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../../src/parser/ast.ts';
import { parse } from '../../../src/parser/parse.ts';

const validStatements = [
  'ADD HOSTS 192.168.10.101:9779',
  'CREATE SPACE s(partition_num=15, replica_factor=1, vid_type=fixed_string(30)) COMMENT = "x"',
  'CREATE TAG IF NOT EXISTS player(name string NOT NULL DEFAULT "n", age int)',
  'ALTER EDGE follow ADD (a int), DROP (b)',
  'INSERT VERTEX player(name, age) VALUES "player100":("Tim Duncan", 42), "p2":("x", -1)',
  'INSERT EDGE follow(degree) VALUES "player101" -> "player100"@1:(95)',
  'UPDATE VERTEX ON player "a" SET age = age + 1 WHEN age > 3 YIELD age AS a',
  'FETCH PROP ON player "player100" YIELD properties(vertex)',
  'GO 1 TO 2 STEPS FROM "player101" OVER follow REVERSELY WHERE $$.player.age > 1 YIELD dst(edge)',
  'YIELD [1, {a: "b"}, NOT true AND 1 IN [1]], $-.x',
  'SIGN IN DRAINER SERVICE(192.168.10.104:9889)',
  'ADD LISTENER SYNC META 127.0.0.1:9569 STORAGE 127.0.0.1:9789 TO SPACE t',
  'GRANT ROLE ADMIN ON s TO u; SHOW ROLES IN s; SET VARIABLES read_only=true',
];

/** The statement with one random edit: a character deleted, duplicated, replaced or inserted. */
const mutated = fc
  .tuple(fc.constantFrom(...validStatements), fc.nat(), fc.constantFrom('del', 'dup', 'rep', 'ins'), fc.string({ maxLength: 3 }))
  .map(([text, at, op, piece]) => {
    const i = at % (text.length + 1);
    if (op === 'del') return text.slice(0, i) + text.slice(i + 1);
    if (op === 'dup') return text.slice(0, i) + text.slice(i, i + 5) + text.slice(i);
    if (op === 'rep') return text.slice(0, i) + piece + text.slice(i + piece.length);
    return text.slice(0, i) + piece + text.slice(i);
  });

const nGqlish = fc
  .array(
    fc.constantFrom(
      'GO', 'FROM', 'OVER', 'YIELD', '(', ')', '[', ']', '{', '}', ',', ';', ':', '.', '->', '@', '-', '--', '+',
      '*', '"s"', "'t'", '`q`', '1', '9223372036854775808', '1.5', '127.0.0.1', 'NOT', 'IS', 'NULL', 'IN',
      'vertex', 'edge', '$^', '$$', '$-', '$v', 'name', 'INSERT', 'VERTEX', 'VALUES', '#', '/*', '\\\n', ' ', '\n',
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(' '));

function isWellFormed(result: ParseResult): boolean {
  if (result.ok) return result.statements.length > 0;
  return result.error.code === -1004 || result.error.code === -1006;
}

describe('parse never throws', () => {
  it('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => isWellFormed(parse(text))), {
      numRuns: 2000,
    });
  });

  it('on arbitrary sequences of nGQL tokens', () => {
    fc.assert(fc.property(nGqlish, (text) => isWellFormed(parse(text))), { numRuns: 2000 });
  });

  it('on random mutations of valid statements', () => {
    fc.assert(fc.property(mutated, (text) => isWellFormed(parse(text))), { numRuns: 3000 });
  });

  it('and still parses the unmutated statements', () => {
    for (const text of validStatements) expect(parse(text).ok).toBe(true);
  });
});
