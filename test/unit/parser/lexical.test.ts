// Pins the lexical rules: case-insensitive keywords, back-quoted names, keywords as names, literals, escapes and comments.
import { describe, expect, it } from 'vitest';
import { all, expr, failure, int, lit, one, str } from './parse-helpers.ts';

describe('keywords', () => {
  it.each(['show spaces', 'SHOW SPACES', 'Show Spaces', 'sHoW sPaCeS'])('are case-insensitive: %s', (text) => {
    expect(one(text)).toEqual({ kind: 'ShowSpaces' });
  });

  it('keep identifiers that merely start with a keyword as names', () => {
    expect(one('USE goal')).toEqual({ kind: 'Use', space: 'goal' });
    expect(one('USE showcase')).toEqual({ kind: 'Use', space: 'showcase' });
    expect(one('USE jobsite')).toEqual({ kind: 'Use', space: 'jobsite' });
  });

  it.each([
    'hosts', 'spaces', 'stats', 'job', 'jobs', 'user', 'users', 'role', 'roles', 'drainer', 'drainers',
    'listener', 'sync', 'meta', 'storage', 'graph', 'status', 'variables', 'type', 'date', 'time',
    'datetime', 'timestamp', 'name', 'comment', 'password', 'clients', 'service', 'account', 'values',
  ])('accepts the unreserved keyword %s as a name', (word) => {
    expect(one(`USE ${word}`)).toEqual({ kind: 'Use', space: word });
    expect(one(`CREATE TAG ${word}(${word} string)`)).toMatchObject({
      name: word,
      columns: [{ name: word, type: { name: 'string' } }],
    });
  });

  it('lower-cases a keyword used as a name, as NebulaGraph does, but keeps identifiers as written', () => {
    expect(one('USE Stats')).toEqual({ kind: 'Use', space: 'stats' });
    expect(one('USE MySpace')).toEqual({ kind: 'Use', space: 'MySpace' });
  });

  it.each(['go', 'from', 'over', 'where', 'yield', 'insert', 'vertex', 'edge', 'tag', 'and', 'or', 'not', 'true', 'null', 'space'])(
    'refuses the reserved keyword %s as a bare name but accepts it back-quoted',
    (word) => {
      expect(failure(`USE ${word}`).error.code).toBe(-1004);
      expect(one(`USE \`${word}\``)).toEqual({ kind: 'Use', space: word });
    },
  );
});

describe('back-quoted identifiers', () => {
  it('may hold any characters and lose their quotes', () => {
    expect(one('CREATE TAG `my tag`(`the-prop` int)')).toMatchObject({
      name: 'my tag',
      columns: [{ name: 'the-prop' }],
    });
  });

  it('work in expressions', () => {
    expect(expr('`my tag`.`a b`')).toEqual({ kind: 'labelProp', label: 'my tag', prop: 'a b' });
  });
});

describe('string literals', () => {
  it('take double or single quotes', () => {
    expect(expr('"abc"')).toEqual(str('abc'));
    expect(expr("'abc'")).toEqual(str('abc'));
  });

  it.each([
    ['"a\\nb"', 'a\nb'],
    ['"a\\tb"', 'a\tb'],
    ['"a\\\\b"', 'a\\b'],
    ['"a\\"b"', 'a"b'],
    ["'a\\'b'", "a'b"],
    ['"\\u0041\\u00e9"', 'Aé'],
    ['"it\'s"', "it's"],
    ["'say \"hi\"'", 'say "hi"'],
  ])('resolve the escapes of %s', (text, value) => {
    expect(expr(text)).toEqual(str(value));
  });

  it('may be empty', () => {
    expect(expr('""')).toEqual(str(''));
  });
});

describe('numbers', () => {
  it('reads integers as bigint and floats as number', () => {
    expect(expr('42')).toEqual(int(42));
    expect(expr('0x1F')).toEqual(lit(31n));
    expect(expr('1.5')).toEqual(lit(1.5));
    expect(expr('1e3')).toEqual(lit(1000));
    expect(expr('9223372036854775807')).toEqual(lit(9223372036854775807n));
  });

  it('reads a negative integer as unary minus, and int64 min as a literal', () => {
    expect(expr('-7')).toEqual({ kind: 'unary', op: '-', operand: int(7) });
    expect(expr('-9223372036854775808')).toEqual(lit(-9223372036854775808n));
  });

  it('refuses an integer beyond int64 near that integer', () => {
    const result = failure('YIELD 9223372036854775808');
    expect(result.error.message).toBe("SyntaxError: syntax error near `9223372036854775808'");
    expect(failure('YIELD 0xFFFFFFFFFFFFFFFFF').error.code).toBe(-1004);
    expect(failure('YIELD -(9223372036854775808)').error.code).toBe(-1004);
  });

  it('reads true, false and null in any case', () => {
    expect(expr('TRUE')).toEqual(lit(true));
    expect(expr('false')).toEqual(lit(false));
    expect(expr('Null')).toEqual(lit(null));
  });
});

describe('comments and blanks', () => {
  it.each([
    'SHOW SPACES # trailing',
    'SHOW SPACES // trailing',
    'SHOW SPACES -- trailing',
    'SHOW SPACES --',
    '/* leading */ SHOW /* inside */ SPACES',
    '/* multi\nline */ SHOW SPACES',
    '# a line\nSHOW SPACES\n# another',
    'SHOW \\\nSPACES',
    'SHOW \\\r\nSPACES',
  ])('are skipped: %j', (text) => {
    expect(one(text)).toEqual({ kind: 'ShowSpaces' });
  });

  it('does not take `--` as a comment when no blank follows it', () => {
    expect(expr('1--1')).toEqual({
      kind: 'binary',
      op: '-',
      left: int(1),
      right: { kind: 'unary', op: '-', operand: int(1) },
    });
  });

  it('keeps comment characters inside strings', () => {
    expect(expr('"# not -- a /* comment */"')).toEqual(str('# not -- a /* comment */'));
  });
});

describe('statement lists', () => {
  it('splits on `;`, allows a trailing one and ignores empty statements', () => {
    expect(all('SHOW SPACES;; ;SHOW USERS;').map((s) => s.kind)).toEqual(['ShowSpaces', 'ShowUsers']);
  });
});
