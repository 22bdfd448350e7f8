/**
 * The nGQL lexer: every token the grammar knows, and the one Lexer instance built from them.
 *
 * Keywords are case-insensitive and sit before `Identifier` with `longer_alt: Identifier`, so that
 * `goal` is a name and `GO` a keyword. Keywords that NebulaGraph leaves unreserved belong to the
 * `Name` category as well, so a single `CONSUME(Name)` accepts an identifier, a back-quoted name or
 * any of them wherever a space, tag, edge, property, user or alias name is expected.
 */
import { createToken, Lexer, type CustomPatternMatcherReturn, type TokenType } from 'chevrotain';

/** Anything usable as a name: identifiers, back-quoted names and unreserved keywords. */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA });
/** Binary operators that are a single token (the chain rule reads them in one CONSUME). */
export const InfixOp = createToken({ name: 'InfixOp', pattern: Lexer.NA });

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, categories: [Name] });
export const QuotedIdent = createToken({ name: 'QuotedIdent', pattern: /`[^`]*`/, categories: [Name] });

const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v]+/, group: Lexer.SKIPPED });
/** A backslash that ends a line joins it to the next one, as in the seed's multi-line statements. */
const LineContinuation = createToken({ name: 'LineContinuation', pattern: /\\\r?\n/, group: Lexer.SKIPPED });
const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED });
const HashComment = createToken({ name: 'HashComment', pattern: /#[^\n]*/, group: Lexer.SKIPPED });
const SlashComment = createToken({ name: 'SlashComment', pattern: /\/\/[^\n]*/, group: Lexer.SKIPPED });

/**
 * `--` opens a comment only when a blank or the end of the line follows, as in NebulaGraph, so that
 * `1--1` still means one minus minus one.
 */
function matchDashComment(text: string, offset: number): CustomPatternMatcherReturn | null {
  if (text.charCodeAt(offset) !== 45 || text.charCodeAt(offset + 1) !== 45) return null;
  const next = text.charCodeAt(offset + 2);
  const atLineEnd = Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 13;
  if (!atLineEnd) return null;
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  return [text.slice(offset, end)] as CustomPatternMatcherReturn;
}
const DashComment = createToken({
  name: 'DashComment',
  pattern: matchDashComment,
  start_chars_hint: ['-'],
  line_breaks: false,
  group: Lexer.SKIPPED,
});

export const StringLit = createToken({
  name: 'StringLit',
  pattern: /"(?:[^"\\]|\\[\s\S])*"|'(?:[^'\\]|\\[\s\S])*'/,
  line_breaks: true,
});
/**
 * A string, back-quoted name or block comment that never closes swallows the rest of the text as
 * one token, which no rule accepts, so the error is "near" it. Without this the lexer would retry
 * from every following quote, and a text of many unbalanced quotes would take quadratic time.
 */
export const Unterminated = createToken({
  name: 'Unterminated',
  pattern: /"(?:[^"\\]|\\[\s\S])*|'(?:[^'\\]|\\[\s\S])*|`[^`]*|\/\*[\s\S]*/,
  line_breaks: true,
});
/** An IPv4 address is one token, so `192.168.10.101:9779` does not read as two floats. */
export const IPv4 = createToken({ name: 'IPv4', pattern: /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/ });
export const Float = createToken({
  name: 'Float',
  pattern: /\d+\.\d+(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+|\.\d+(?:[eE][-+]?\d+)?/,
});
export const Integer = createToken({ name: 'Integer', pattern: /0[xX][0-9a-fA-F]+|\d+/ });

export const VarRef = createToken({ name: 'VarRef', pattern: /\$[A-Za-z_][A-Za-z0-9_]*/ });
export const SrcRef = createToken({ name: 'SrcRef', pattern: /\$\^/ });
export const DstRef = createToken({ name: 'DstRef', pattern: /\$\$/ });
export const InputRef = createToken({ name: 'InputRef', pattern: /\$-/ });

const punct = (name: string, pattern: RegExp, infix = false): TokenType =>
  createToken(infix ? { name, pattern, categories: [InfixOp] } : { name, pattern });

export const Arrow = punct('Arrow', /->/);
export const EqEq = punct('EqEq', /==/, true);
export const NotEq = punct('NotEq', /!=|<>/, true);
export const LtEq = punct('LtEq', /<=/, true);
export const GtEq = punct('GtEq', />=/, true);
export const AndAnd = punct('AndAnd', /&&/, true);
export const OrOr = punct('OrOr', /\|\|/, true);
export const Lt = punct('Lt', /</, true);
export const Gt = punct('Gt', />/, true);
export const Plus = punct('Plus', /\+/, true);
export const Minus = punct('Minus', /-/, true);
export const Star = punct('Star', /\*/, true);
export const Slash = punct('Slash', /\//, true);
export const Percent = punct('Percent', /%/, true);
export const Bang = punct('Bang', /!/);
export const Assign = punct('Assign', /=/);
export const LParen = punct('LParen', /\(/);
export const RParen = punct('RParen', /\)/);
export const LBracket = punct('LBracket', /\[/);
export const RBracket = punct('RBracket', /\]/);
export const LCurly = punct('LCurly', /\{/);
export const RCurly = punct('RCurly', /\}/);
export const Comma = punct('Comma', /,/);
export const Semi = punct('Semi', /;/);
export const Colon = punct('Colon', /:/);
export const Dot = punct('Dot', /\./);
export const At = punct('At', /@/);
export const Pipe = punct('Pipe', /\|/);

const keywords: TokenType[] = [];
/** A case-insensitive keyword; `reserved` ones cannot be used as names without back-quotes. */
function kw(word: string, reserved: boolean, infix = false): TokenType {
  const categories = [...(reserved ? [] : [Name]), ...(infix ? [InfixOp] : [])];
  const token = createToken({
    name: word,
    pattern: new RegExp(word, 'i'),
    longer_alt: Identifier,
    categories,
  });
  keywords.push(token);
  return token;
}

// Reserved words: statement structure and operators depend on them.
export const GO = kw('GO', true);
export const AS = kw('AS', true);
export const TO = kw('TO', true);
export const OR = kw('OR', true, true);
export const XOR = kw('XOR', true, true);
export const AND = kw('AND', true, true);
export const NOT = kw('NOT', true);
export const IN = kw('IN', true, true);
export const IS = kw('IS', true);
export const CONTAINS = kw('CONTAINS', true, true);
export const STARTS = kw('STARTS', true);
export const ENDS = kw('ENDS', true);
export const TRUE = kw('TRUE', true);
export const FALSE = kw('FALSE', true);
export const NULL = kw('NULL', true);
export const USE = kw('USE', true);
export const SET = kw('SET', true);
export const FROM = kw('FROM', true);
export const WHERE = kw('WHERE', true);
export const INSERT = kw('INSERT', true);
export const YIELD = kw('YIELD', true);
export const DESCRIBE = kw('DESCRIBE', true);
export const DESC = kw('DESC', true);
export const VERTEX = kw('VERTEX', true);
export const EDGE = kw('EDGE', true);
export const TAG = kw('TAG', true);
export const SPACE = kw('SPACE', true);
export const UPDATE = kw('UPDATE', true);
export const UPSERT = kw('UPSERT', true);
export const WHEN = kw('WHEN', true);
export const DELETE = kw('DELETE', true);
export const ALTER = kw('ALTER', true);
export const STEPS = kw('STEPS', true);
export const OVER = kw('OVER', true);
export const REVERSELY = kw('REVERSELY', true);
export const BIDIRECT = kw('BIDIRECT', true);
export const LIMIT = kw('LIMIT', true);
export const CREATE = kw('CREATE', true);
export const DROP = kw('DROP', true);
export const REMOVE = kw('REMOVE', true);
export const IF = kw('IF', true);
export const EXISTS = kw('EXISTS', true);
export const WITH = kw('WITH', true);
export const CHANGE = kw('CHANGE', true);
export const GRANT = kw('GRANT', true);
export const REVOKE = kw('REVOKE', true);
export const ON = kw('ON', true);
export const SHOW = kw('SHOW', true);
export const ADD = kw('ADD', true);
export const FETCH = kw('FETCH', true);
export const PROP = kw('PROP', true);
export const DISTINCT = kw('DISTINCT', true);

// Unreserved words: keywords in their statements, plain names everywhere else.
export const HOSTS = kw('HOSTS', false);
export const SPACES = kw('SPACES', false);
export const TAGS = kw('TAGS', false);
export const EDGES = kw('EDGES', false);
export const STATS = kw('STATS', false);
export const JOB = kw('JOB', false);
export const JOBS = kw('JOBS', false);
export const SUBMIT = kw('SUBMIT', false);
export const COMPACT = kw('COMPACT', false);
export const FLUSH = kw('FLUSH', false);
export const STOP = kw('STOP', false);
export const RESTART = kw('RESTART', false);
export const USER = kw('USER', false);
export const USERS = kw('USERS', false);
export const ROLE = kw('ROLE', false);
export const ROLES = kw('ROLES', false);
export const GOD = kw('GOD', false);
export const ADMIN = kw('ADMIN', false);
export const DBA = kw('DBA', false);
export const GUEST = kw('GUEST', false);
export const PASSWORD = kw('PASSWORD', false);
export const ACCOUNT = kw('ACCOUNT', false);
export const DRAINER = kw('DRAINER', false);
export const DRAINERS = kw('DRAINERS', false);
export const LISTENER = kw('LISTENER', false);
export const SYNC = kw('SYNC', false);
export const META = kw('META', false);
export const STORAGE = kw('STORAGE', false);
export const GRAPH = kw('GRAPH', false);
export const STATUS = kw('STATUS', false);
export const VARIABLES = kw('VARIABLES', false);
export const GET = kw('GET', false);
export const SIGN = kw('SIGN', false);
export const OUT = kw('OUT', false);
export const SERVICE = kw('SERVICE', false);
export const CLIENTS = kw('CLIENTS', false);
export const COMMENT = kw('COMMENT', false);
export const DEFAULT = kw('DEFAULT', false);
export const VALUES = kw('VALUES', false);
export const VERIFY = kw('VERIFY', false);
export const KEYS = kw('KEYS', false);
export const ERRORS = kw('ERRORS', false);
// Words NebulaGraph reserves as keywords but accepts as names; listed so that they read as names.
kw('TYPE', false);
kw('DATE', false);
kw('TIME', false);
kw('DATETIME', false);
kw('TIMESTAMP', false);
kw('NAME', false);

/**
 * Longer keywords first, so that `JOBS` is not read as `JOB` followed by `S`
 * (`longer_alt` only falls back to Identifier, not to another keyword).
 */
const orderedKeywords = [...keywords].sort((a, b) => String(b.name).length - String(a.name).length);

export const allTokens: TokenType[] = [
  WhiteSpace,
  LineContinuation,
  BlockComment,
  HashComment,
  SlashComment,
  DashComment,
  StringLit,
  QuotedIdent,
  Unterminated,
  IPv4,
  Float,
  Integer,
  ...orderedKeywords,
  Identifier,
  VarRef,
  SrcRef,
  DstRef,
  InputRef,
  Arrow,
  EqEq,
  NotEq,
  LtEq,
  GtEq,
  AndAnd,
  OrOr,
  Lt,
  Gt,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Bang,
  Assign,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LCurly,
  RCurly,
  Comma,
  Semi,
  Colon,
  Dot,
  At,
  Pipe,
  Name,
  InfixOp,
];

/** The lexer, built once. Offsets only: line and column are computed from the text on error. */
export const ngqlLexer = new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: true });
