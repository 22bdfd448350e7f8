/**
 * Literal decoding: string escapes, integers and names, done once per token.
 *
 * Kept apart from the grammar so that the hot path of INSERT (thousands of literals per statement)
 * can be read and measured on its own: a string without a backslash is a single `slice`.
 */

/** The largest int64; a literal above it is a syntax error unless it is the magnitude of int64 min. */
export const INT64_MAX = 9223372036854775807n;
/** |int64 min|: legal only straight after a unary minus (`-9223372036854775808`). */
export const INT64_MIN_MAGNITUDE = 9223372036854775808n;

const simpleEscapes: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '0': '\0',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** The value of a quoted string token (double or single quotes), escapes resolved. */
export function unquoteString(image: string): string {
  const body = image.slice(1, -1);
  if (body.indexOf('\\') < 0) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[++i]!;
    const hex = next === 'u' || next === 'U' ? body.slice(i + 1, i + 5) : '';
    if (hex.length === 4 && /^[0-9a-fA-F]{4}$/.test(hex)) {
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      // An unknown escape stands for the character itself, as in NebulaGraph's lexer.
      out += simpleEscapes[next] ?? next;
    }
  }
  return out;
}

/** The value of an Integer token (decimal or 0x hex); may exceed int64, the caller decides. */
export function integerValue(image: string): bigint {
  return BigInt(image);
}

/** Whether an integer literal fits int64 as written (without a leading minus). */
export function fitsInt64(value: bigint): boolean {
  return value <= INT64_MAX;
}

/** The name of a back-quoted identifier token, without its back-quotes. */
export function unquoteIdent(image: string): string {
  return image.slice(1, -1);
}
