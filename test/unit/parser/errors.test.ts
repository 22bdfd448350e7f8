// Pins syntax errors (NebulaGraph's `near` wording, the offending token and its 1-based position) and StatementEmpty.
import { describe, expect, it } from 'vitest';
import { limits } from '../../../src/limits.ts';
import { parse } from '../../../src/parser/parse.ts';
import { failure } from './parse-helpers.ts';

describe('syntax errors', () => {
  it.each([
    ['SHOW HOSTS FOO', 'FOO', 1, 12],
    ['SHOW SPACES extra', 'extra', 1, 13],
    ['CREATE SPACE', 'SPACE', 1, 8],
    ['USE s;\nCREATE TAG t(a blob)', 'blob', 2, 16],
    ['GO FROM "a" OVER', 'OVER', 1, 13],
    ['INSERT VERTEX player(name) VALUES "a":("x" "y")', '"y"', 1, 44],
    ['SELECT 1', 'SELECT', 1, 1],
    ['YIELD 1 +', '+', 1, 9],
    ['CREATE SPACE s(partition_num = "many")', 'partition_num', 1, 16],
    ['CREATE SPACE s(vid_type = FIXED_STRING)', 'vid_type', 1, 16],
    ['CREATE SPACE s(color = 1)', 'color', 1, 16],
    ['CREATE TAG t(a fixed_string)', 'fixed_string', 1, 16],
    ['CREATE TAG t(a int(4))', 'int', 1, 16],
    ['ADD HOSTS 127.0.0.1:70000', '70000', 1, 21],
    ['FETCH PROP ON follow "a"->"b", "c"', '"c"', 1, 32],
    ['FETCH PROP ON a, b "x"->"y"', '"x"', 1, 20],
    ['YIELD "unterminated', '"unterminated', 1, 7],
    ['YIELD 1 ~ 2', '~', 1, 9],
    ['SHOW NOTHING ~', 'NOTHING', 1, 6],
    ['YIELD `unclosed name', '`unclosed name', 1, 7],
    ['SHOW SPACES /* never closed', '/* never closed', 1, 13],
    ["YIELD 'it\\'s", "'it\\'s", 1, 7],
  ])('%j fails near %s at %i:%i', (text, near, line, column) => {
    const result = failure(text);
    expect(result.error).toEqual({ code: -1004, message: `SyntaxError: syntax error near \`${near}'` });
    expect({ line: result.line, column: result.column }).toEqual({ line, column });
  });

  it('reports the first error of a multi-statement text and nothing else', () => {
    const result = parse('SHOW SPACES; SHOW NOTHING; SHOW ALSO_NOTHING');
    expect(result).toMatchObject({ ok: false, error: { message: "SyntaxError: syntax error near `NOTHING'" } });
  });

  it('answers text full of unbalanced quotes with one error instead of rescanning it per quote', () => {
    const result = failure(`YIELD ${'"\\'.repeat(100_000)}`);
    expect(result.error.message.startsWith('SyntaxError: syntax error near `"\\"\\')).toBe(true);
    expect(result.column).toBe(7);
  });

  it('refuses a statement longer than the limit', () => {
    const text = `YIELD "${'x'.repeat(limits.statementBytesMax)}"`;
    expect(failure(text).error.code).toBe(-1004);
  });
});

describe('empty input', () => {
  it.each(['', '   ', '\n\t', ';', ' ; ;; ', '# only a comment', '/* block */', '-- dash comment\n;'])(
    '%j answers StatementEmpty',
    (text) => {
      expect(parse(text)).toEqual({ ok: false, error: { code: -1006, message: 'StatementEmpty: Statement empty.' } });
    },
  );
});
