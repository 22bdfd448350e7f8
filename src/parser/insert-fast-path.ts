/**
 * The fast path of `parse` for the statement that dominates a write load: one INSERT VERTEX or
 * INSERT EDGE whose rows hold only plain literals. A 500-row INSERT costs the grammar about 2 ms
 * (chevrotain lexes, then walks its grammar per token); scanning the rows by hand costs a small
 * fraction of that.
 *
 * It answers exactly what the grammar answers, or nothing:
 * - the head and the first row (`INSERT VERTEX t(p, ...) VALUES "v":(...)`) are parsed by the
 *   grammar itself, so names, keywords and IF NOT EXISTS keep their one definition;
 * - every further row is scanned here, and only these forms are taken: double- or single-quoted
 *   strings (escapes resolved by the lexer's own `unquoteString`), decimal integers within int64,
 *   decimal floats `d.d`, a minus directly before a number (the grammar's unary minus, or the
 *   literal int64 min), TRUE, FALSE and NULL in any case, separated by whitespace only.
 * Anything else (a comment, an expression, a hex or exponent number, a second statement, a
 * malformed row) answers undefined and the whole text goes through the grammar, which then also
 * words any syntax error. test/unit/parser/insert-fast-path.test.ts checks both agree.
 */
import type { EdgeKey, Expr, Statement } from './ast.ts';
import { fitsInt64, INT64_MIN_MAGNITUDE, unquoteString } from './literals.ts';

type VertexRow = { readonly vid: Expr; readonly values: readonly Expr[] };
type EdgeRow = { readonly key: EdgeKey; readonly values: readonly Expr[] };

/** Below this length the grammar is fast enough; the fast path would only add a scan. */
const FAST_PATH_CHARS_MIN = 500;

const HEAD = /^\s*insert\s+(vertex|edge)\b/i;

const C_TAB = 9;
const C_CR = 13;
const C_SPACE = 32;
const C_DQUOTE = 34;
const C_SQUOTE = 39;
const C_LPAREN = 40;
const C_RPAREN = 41;
const C_COMMA = 44;
const C_MINUS = 45;
const C_DOT = 46;
const C_0 = 48;
const C_9 = 57;
const C_COLON = 58;
const C_SEMI = 59;
const C_GT = 62;
const C_AT = 64;
const C_BACKSLASH = 92;
const C_BACKQUOTE = 96;

/** The lexer's WhiteSpace: space, \t, \n, \v, \f, \r (codes 9 to 13). */
const isSpace = (c: number): boolean => c === C_SPACE || (c >= C_TAB && c <= C_CR);
const isDigit = (c: number): boolean => c >= C_0 && c <= C_9;
const isWordChar = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || isDigit(c) || c === 95;

/** Thrown inside the scanner to give up; caught by `fastInsert`. */
const GIVE_UP = Symbol('give up');

class RowScanner {
  pos: number;

  constructor(
    private readonly text: string,
    start: number,
  ) {
    this.pos = start;
  }

  skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length && isSpace(t.charCodeAt(this.pos))) this.pos++;
  }

  /** The next non-space character code, not consumed (NaN at the end). */
  peek(): number {
    this.skipSpace();
    return this.text.charCodeAt(this.pos);
  }

  expect(c: number): void {
    if (this.peek() !== c) throw GIVE_UP;
    this.pos++;
  }

  /** Whether only whitespace, or one `;` and whitespace, is left; nothing is consumed otherwise. */
  atEnd(): boolean {
    this.skipSpace();
    const t = this.text;
    if (this.pos >= t.length) return true;
    if (t.charCodeAt(this.pos) !== C_SEMI) return false;
    let i = this.pos + 1;
    while (i < t.length && isSpace(t.charCodeAt(i))) i++;
    return i >= t.length;
  }

  /** One literal value, as the grammar's `expression` would give it for the same characters. */
  value(): Expr {
    const c = this.peek();
    if (c === C_DQUOTE || c === C_SQUOTE) return { kind: 'literal', value: this.string(c) };
    if (isDigit(c)) return this.number(false);
    if (c === C_MINUS) {
      this.pos++;
      if (!isDigit(this.text.charCodeAt(this.pos))) throw GIVE_UP;
      const magnitude = this.number(true);
      if (magnitude.kind === 'literal' && magnitude.value === INT64_MIN_MAGNITUDE) return { kind: 'literal', value: -INT64_MIN_MAGNITUDE };
      return { kind: 'unary', op: '-', operand: magnitude };
    }
    return this.word();
  }

  private string(quote: number): string {
    const t = this.text;
    const start = this.pos;
    let i = start + 1;
    for (;;) {
      if (i >= t.length) throw GIVE_UP;
      const c = t.charCodeAt(i);
      if (c === C_BACKSLASH) i += 2;
      else if (c === quote) break;
      else i++;
    }
    this.pos = i + 1;
    return unquoteString(t.slice(start, i + 1));
  }

  private number(afterMinus: boolean): Expr {
    const t = this.text;
    const start = this.pos;
    let i = start;
    while (i < t.length && isDigit(t.charCodeAt(i))) i++;
    let float = false;
    if (t.charCodeAt(i) === C_DOT) {
      if (!isDigit(t.charCodeAt(i + 1))) throw GIVE_UP;
      float = true;
      i++;
      while (i < t.length && isDigit(t.charCodeAt(i))) i++;
    }
    const next = t.charCodeAt(i);
    // A letter, `_`, `.` or `x` right after the digits makes another token (exponent, hex, IPv4).
    if (isWordChar(next) || next === C_DOT) throw GIVE_UP;
    this.pos = i;
    const image = t.slice(start, i);
    if (float) return { kind: 'literal', value: Number(image) };
    const value = BigInt(image);
    if (!fitsInt64(value) && !(afterMinus && value === INT64_MIN_MAGNITUDE)) throw GIVE_UP;
    return { kind: 'literal', value };
  }

  private word(): Expr {
    const t = this.text;
    const start = this.pos;
    let i = start;
    while (i < t.length && isWordChar(t.charCodeAt(i))) i++;
    const word = t.slice(start, i).toLowerCase();
    this.pos = i;
    if (word === 'true') return { kind: 'literal', value: true };
    if (word === 'false') return { kind: 'literal', value: false };
    if (word === 'null') return { kind: 'literal', value: null };
    throw GIVE_UP;
  }

  /** `(v, ...)`, possibly empty. */
  values(): Expr[] {
    this.expect(C_LPAREN);
    const out: Expr[] = [];
    if (this.peek() === C_RPAREN) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      const c = this.peek();
      this.pos++;
      if (c === C_RPAREN) return out;
      if (c !== C_COMMA) throw GIVE_UP;
    }
  }

  vertexRow(): VertexRow {
    const vid = this.value();
    this.expect(C_COLON);
    return { vid, values: this.values() };
  }

  edgeRow(): EdgeRow {
    const src = this.value();
    this.expect(C_MINUS);
    if (this.text.charCodeAt(this.pos) !== C_GT) throw GIVE_UP;
    this.pos++;
    const dst = this.value();
    let key: EdgeKey = { src, dst };
    if (this.peek() === C_AT) {
      this.pos++;
      key = { src, dst, rank: this.value() };
    }
    this.expect(C_COLON);
    return { key, values: this.values() };
  }
}

/**
 * Where the head ends: just after the VALUES keyword, scanning only names, back-quoted names,
 * parentheses and commas (what a head holds); -1 for anything else.
 */
function headEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isSpace(c) || c === C_LPAREN || c === C_RPAREN || c === C_COMMA) {
      i++;
    } else if (c === C_BACKQUOTE) {
      const close = text.indexOf('`', i + 1);
      if (close < 0) return -1;
      i = close + 1;
    } else if (isWordChar(c) && !isDigit(c)) {
      const start = i;
      while (i < text.length && isWordChar(text.charCodeAt(i))) i++;
      if (i - start === 6 && text.slice(start, i).toUpperCase() === 'VALUES') return i;
    } else {
      return -1;
    }
  }
  return -1;
}

/**
 * The statement of `text` when it is a plain-literal INSERT, parsed as the grammar would; else
 * undefined. `parseHead` is the grammar, given the head and first row only.
 */
export function fastInsert(text: string, parseHead: (head: string) => readonly Statement[] | undefined): Statement | undefined {
  if (text.length < FAST_PATH_CHARS_MIN) return undefined;
  const m = HEAD.exec(text);
  if (m === null) return undefined;
  const vertex = m[1]!.toLowerCase() === 'vertex';
  const valuesEnd = headEnd(text, m[0].length);
  if (valuesEnd < 0) return undefined;
  try {
    const scan = new RowScanner(text, valuesEnd);
    const first = vertex ? scan.vertexRow() : scan.edgeRow();
    const firstEnd = scan.pos;
    const rows: (VertexRow | EdgeRow)[] = [first];
    while (!scan.atEnd()) {
      scan.expect(C_COMMA);
      rows.push(vertex ? scan.vertexRow() : scan.edgeRow());
    }
    const head = parseHead(text.slice(0, firstEnd));
    const stmt = head?.length === 1 ? head[0]! : undefined;
    if (stmt === undefined || (stmt.kind !== 'InsertVertex' && stmt.kind !== 'InsertEdge') || stmt.rows.length !== 1) return undefined;
    // The grammar's first row stands: the scanner's only decided where it ends.
    rows[0] = stmt.rows[0]!;
    return { ...stmt, rows } as Statement;
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}
