/**
 * The built-in functions, by lower-case name, with their arity. A function gets evaluated
 * arguments and answers a value; a wrong argument type gives NULL of type BAD_TYPE, never a throw.
 * The validator uses the same table, so an unknown name or a wrong argument count is refused
 * before any row is read.
 */
import { NullType, isNull, listOf, mapOf, nullOf, type Value } from '../../value/types.ts';
import { checkedInt } from './arithmetic.ts';
import {
  dateOf,
  dateTimeFromMs,
  epochSeconds,
  parseDate,
  parseDateTime,
  parseTime,
  temporalFromMap,
  timeOf,
} from './datetime.ts';
import { hashString } from './murmur-hash.ts';
import type { RowContext } from './row-context.ts';
import { BAD_TYPE, isEmptyV, isUnknown, valueText } from './value-ops.ts';

export interface FunctionDef {
  readonly min: number;
  readonly max: number;
  readonly fn: (args: readonly Value[], row: RowContext) => Value;
}

const BAD_DATA = nullOf(NullType.BAD_DATA);

/** The unknown argument (NULL or EMPTY) passes through, as NebulaGraph's functions do. */
function unary(fn: (v: Value) => Value): FunctionDef {
  return { min: 1, max: 1, fn: (args) => (isUnknown(args[0] ?? null) ? (args[0] ?? null) : fn(args[0] ?? null)) };
}

function numeric(fn: (n: number, v: bigint | number) => Value): FunctionDef {
  return unary((v) => (typeof v === 'bigint' || typeof v === 'number' ? fn(Number(v), v) : BAD_TYPE));
}

const vertexProps = (v: Value): Value => {
  if (v === null || typeof v !== 'object') return BAD_TYPE;
  if (v.kind === 'vertex') {
    const all = new Map<string, Value>();
    for (const tag of v.tags) for (const [k, val] of tag.props) all.set(k, val);
    return mapOf(all);
  }
  if (v.kind === 'edge') return mapOf(v.props);
  if (v.kind === 'map') return v;
  return BAD_TYPE;
};

const edgePart = (pick: (e: Extract<Value, { kind: 'edge' }>) => Value): FunctionDef =>
  unary((v) => (v !== null && typeof v === 'object' && v.kind === 'edge' ? pick(v) : BAD_TYPE));

const stringFn = (fn: (s: string) => Value): FunctionDef => unary((v) => (typeof v === 'string' ? fn(v) : BAD_TYPE));

const nowMs = (row: RowContext): number => row.nowMs ?? Date.now();

function toInteger(v: Value): Value {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? checkedInt(BigInt(Math.trunc(v))) : BAD_DATA;
  if (typeof v === 'string') {
    const text = v.trim();
    if (/^[+-]?\d+$/.test(text)) return checkedInt(BigInt(text));
    const f = Number(text);
    return text !== '' && Number.isFinite(f) ? checkedInt(BigInt(Math.trunc(f))) : null;
  }
  return BAD_TYPE;
}

function toFloat(v: Value): Value {
  if (typeof v === 'bigint' || typeof v === 'number') return Number(v);
  if (typeof v === 'string') {
    const f = Number(v.trim());
    return v.trim() !== '' && !Number.isNaN(f) ? f : null;
  }
  return BAD_TYPE;
}

function pow(args: readonly Value[]): Value {
  const [base, exp] = [args[0] ?? null, args[1] ?? null];
  if (isUnknown(base) || isUnknown(exp)) return null;
  if (typeof base === 'bigint' && typeof exp === 'bigint' && exp >= 0n) {
    // Repeated squaring could grow without bound; int64 overflows long before 64 doublings.
    if (exp > 64n && base !== 0n && base !== 1n && base !== -1n) return nullOf(NullType.ERR_OVERFLOW);
    return checkedInt(base ** exp);
  }
  if ((typeof base === 'bigint' || typeof base === 'number') && (typeof exp === 'bigint' || typeof exp === 'number'))
    return Math.pow(Number(base), Number(exp));
  return BAD_TYPE;
}

function round(args: readonly Value[]): Value {
  const v = args[0] ?? null;
  if (isUnknown(v)) return v;
  if (typeof v !== 'bigint' && typeof v !== 'number') return BAD_TYPE;
  const digits = args[1] === undefined ? 0n : args[1];
  if (typeof digits !== 'bigint') return BAD_TYPE;
  const scale = 10 ** Number(digits);
  const n = Number(v) * scale;
  // C's round(): halves go away from zero.
  return (Math.sign(n) * Math.round(Math.abs(n))) / scale;
}

function temporal(kind: 'date' | 'time' | 'datetime'): FunctionDef {
  return {
    min: 0,
    max: 1,
    fn: (args, row) => {
      if (args.length === 0) {
        const now = dateTimeFromMs(nowMs(row));
        return kind === 'date' ? dateOf(now) : kind === 'time' ? timeOf(now) : now;
      }
      const v = args[0] ?? null;
      if (isUnknown(v)) return v;
      if (typeof v === 'string') {
        const parsed = kind === 'date' ? parseDate(v) : kind === 'time' ? parseTime(v) : parseDateTime(v);
        return parsed ?? BAD_DATA;
      }
      if (typeof v === 'object' && v !== null && v.kind === 'map') return temporalFromMap(kind, v.entries) ?? BAD_DATA;
      if (typeof v === 'object' && v !== null && v.kind === kind) return v;
      if (kind === 'datetime' && typeof v === 'bigint') return dateTimeFromMs(Number(v) * 1000);
      if (typeof v === 'object' && v !== null && v.kind === 'datetime')
        return kind === 'date' ? dateOf(v) : timeOf(v);
      return BAD_TYPE;
    },
  };
}

function timestamp(args: readonly Value[], row: RowContext): Value {
  if (args.length === 0) return BigInt(Math.floor(nowMs(row) / 1000));
  const v = args[0] ?? null;
  if (isUnknown(v)) return v;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'string') {
    const dt = parseDateTime(v);
    return dt ? epochSeconds(dt) : BAD_DATA;
  }
  if (typeof v === 'object' && v !== null && v.kind === 'datetime') return epochSeconds(v);
  return BAD_TYPE;
}

const size = unary((v) => {
  if (typeof v === 'string') return BigInt([...v].length);
  if (typeof v === 'object' && v !== null) {
    if (v.kind === 'list' || v.kind === 'set') return BigInt(v.values.length);
    if (v.kind === 'map') return BigInt(v.entries.size);
  }
  return BAD_TYPE;
});

export const FUNCTIONS: Readonly<Record<string, FunctionDef>> = {
  id: unary((v) => (typeof v === 'object' && v !== null && v.kind === 'vertex' ? v.vid : BAD_TYPE)),
  properties: unary(vertexProps),
  src: edgePart((e) => e.src),
  dst: edgePart((e) => e.dst),
  rank: edgePart((e) => e.ranking),
  type: edgePart((e) => e.name),
  tags: unary((v) => (typeof v === 'object' && v !== null && v.kind === 'vertex' ? listOf(v.tags.map((t) => t.name)) : BAD_TYPE)),
  labels: unary((v) => (typeof v === 'object' && v !== null && v.kind === 'vertex' ? listOf(v.tags.map((t) => t.name)) : BAD_TYPE)),
  abs: numeric((n, v) => (typeof v === 'bigint' ? checkedInt(v < 0n ? -v : v) : Math.abs(n))),
  floor: numeric((n) => Math.floor(n)),
  ceil: numeric((n) => Math.ceil(n)),
  sqrt: numeric((n) => Math.sqrt(n)),
  round: { min: 1, max: 2, fn: round },
  pow: { min: 2, max: 2, fn: pow },
  tostring: unary((v) => valueText(v) ?? BAD_TYPE),
  tointeger: unary(toInteger),
  tofloat: unary(toFloat),
  toboolean: unary((v) =>
    typeof v === 'boolean' ? v : typeof v === 'string' ? (/^true$/i.test(v) ? true : /^false$/i.test(v) ? false : null) : BAD_TYPE,
  ),
  lower: stringFn((s) => s.toLowerCase()),
  tolower: stringFn((s) => s.toLowerCase()),
  upper: stringFn((s) => s.toUpperCase()),
  toupper: stringFn((s) => s.toUpperCase()),
  trim: stringFn((s) => s.trim()),
  ltrim: stringFn((s) => s.trimStart()),
  rtrim: stringFn((s) => s.trimEnd()),
  reverse: stringFn((s) => [...s].reverse().join('')),
  length: size,
  size,
  hash: unary((v) => {
    if (typeof v === 'string') return hashString(v);
    if (typeof v === 'bigint') return v;
    if (typeof v === 'boolean') return v ? 1n : 0n;
    return BAD_TYPE;
  }),
  now: { min: 0, max: 0, fn: (_args, row) => BigInt(Math.floor(nowMs(row) / 1000)) },
  timestamp: { min: 0, max: 1, fn: timestamp },
  date: temporal('date'),
  time: temporal('time'),
  datetime: temporal('datetime'),
  coalesce: {
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    fn: (args) => args.find((a) => !isNull(a) && !isEmptyV(a)) ?? null,
  },
  concat: {
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    fn: (args) => {
      let out = '';
      for (const a of args) {
        if (isUnknown(a)) return null;
        const text = valueText(a);
        if (text === undefined) return BAD_TYPE;
        out += text;
      }
      return out;
    },
  },
};
