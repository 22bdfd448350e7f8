/**
 * Compact binary encoding of `Value`s and props records, shared by WAL entries and stored rows.
 *
 * One tag byte says which member of the `Value` union follows, so a decode gives back exactly the
 * JavaScript type that went in: `bigint` stays `bigint` (small ones take 4 bytes), a float stays a
 * `number` (including NaN and -0), `null` and each `NullV` kind stay distinct, and composite values
 * come back frozen, as src/value/types.ts promises. Strings are UTF-8, so a string with a lone
 * surrogate (which no client can send over the graph protocol) does not survive.
 */
import type { DataSet, NullTypeValue, StepV, TagV, Value, VertexV } from '../../value/types.ts';
import type { Props } from '../storage/types.ts';
import { ByteReader, ByteWriter, CodecError } from './byte-io.ts';

const T_NULL = 0;
const T_FALSE = 1;
const T_TRUE = 2;
const T_INT32 = 3;
const T_INT64 = 4;
const T_FLOAT = 5;
const T_STRING = 6;
const T_NULLV = 7;
const T_EMPTY = 8;
const T_DATE = 9;
const T_TIME = 10;
const T_DATETIME = 11;
const T_VERTEX = 12;
const T_EDGE = 13;
const T_PATH = 14;
const T_LIST = 15;
const T_MAP = 16;
const T_SET = 17;
const T_DATASET = 18;

const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;

export function writeValue(w: ByteWriter, v: Value): void {
  if (v === null) return w.u8(T_NULL);
  switch (typeof v) {
    case 'boolean':
      return w.u8(v ? T_TRUE : T_FALSE);
    case 'bigint':
      if (v >= INT32_MIN && v <= INT32_MAX) {
        w.u8(T_INT32);
        return w.i32(Number(v));
      }
      w.u8(T_INT64);
      return w.i64(v);
    case 'number':
      w.u8(T_FLOAT);
      return w.f64(v);
    case 'string':
      w.u8(T_STRING);
      return w.str(v);
  }
  switch (v.kind) {
    case 'null':
      w.u8(T_NULLV);
      return w.u8(v.nullType);
    case 'empty':
      return w.u8(T_EMPTY);
    case 'date':
      w.u8(T_DATE);
      w.i32(v.year);
      w.u8(v.month);
      return w.u8(v.day);
    case 'time':
      w.u8(T_TIME);
      w.u8(v.hour);
      w.u8(v.minute);
      w.u8(v.sec);
      return w.i32(v.microsec);
    case 'datetime':
      w.u8(T_DATETIME);
      w.i32(v.year);
      w.u8(v.month);
      w.u8(v.day);
      w.u8(v.hour);
      w.u8(v.minute);
      w.u8(v.sec);
      return w.i32(v.microsec);
    case 'vertex':
      w.u8(T_VERTEX);
      return writeVertex(w, v);
    case 'edge':
      w.u8(T_EDGE);
      writeValue(w, v.src);
      writeValue(w, v.dst);
      w.u8(v.direction === 1 ? 1 : 0);
      w.str(v.name);
      w.i64(v.ranking);
      return writeValueMap(w, v.props);
    case 'path':
      w.u8(T_PATH);
      writeVertex(w, v.src);
      w.uvar(v.steps.length);
      for (const s of v.steps) {
        writeVertex(w, s.dst);
        w.u8(s.direction === 1 ? 1 : 0);
        w.str(s.name);
        w.i64(s.ranking);
        writeValueMap(w, s.props);
      }
      return;
    case 'list':
    case 'set':
      w.u8(v.kind === 'list' ? T_LIST : T_SET);
      w.uvar(v.values.length);
      for (const x of v.values) writeValue(w, x);
      return;
    case 'map':
      w.u8(T_MAP);
      return writeValueMap(w, v.entries);
    case 'dataset':
      w.u8(T_DATASET);
      return writeDataSet(w, v.dataset);
  }
  // Only a caller that bypassed the types gets here; writing nothing would corrupt the log.
  throw new CodecError(`cannot encode a value of kind ${String((v as { kind?: unknown }).kind)}`);
}

function writeVertex(w: ByteWriter, v: VertexV): void {
  writeValue(w, v.vid);
  w.uvar(v.tags.length);
  for (const t of v.tags) {
    w.str(t.name);
    writeValueMap(w, t.props);
  }
}

function writeValueMap(w: ByteWriter, m: ReadonlyMap<string, Value>): void {
  w.uvar(m.size);
  for (const [k, x] of m) {
    w.str(k);
    writeValue(w, x);
  }
}

function writeDataSet(w: ByteWriter, d: DataSet): void {
  w.uvar(d.columns.length);
  for (const c of d.columns) w.str(c);
  w.uvar(d.rows.length);
  for (const row of d.rows) {
    w.uvar(row.length);
    for (const x of row) writeValue(w, x);
  }
}

/** Props as a count and (name, value) pairs, in the record's key order. */
export function writeProps(w: ByteWriter, props: Props): void {
  const keys = Object.keys(props);
  w.uvar(keys.length);
  for (const k of keys) {
    w.str(k);
    writeValue(w, props[k]!);
  }
}

export function readValue(r: ByteReader): Value {
  const tag = r.u8();
  switch (tag) {
    case T_NULL:
      return null;
    case T_FALSE:
      return false;
    case T_TRUE:
      return true;
    case T_INT32:
      return BigInt(r.i32());
    case T_INT64:
      return r.i64();
    case T_FLOAT:
      return r.f64();
    case T_STRING:
      return r.str();
    case T_NULLV:
      return Object.freeze({ kind: 'null', nullType: r.u8() as NullTypeValue });
    case T_EMPTY:
      return Object.freeze({ kind: 'empty' });
    case T_DATE:
      return Object.freeze({ kind: 'date', year: r.i32(), month: r.u8(), day: r.u8() });
    case T_TIME:
      return Object.freeze({ kind: 'time', hour: r.u8(), minute: r.u8(), sec: r.u8(), microsec: r.i32() });
    case T_DATETIME:
      return Object.freeze({
        kind: 'datetime',
        year: r.i32(),
        month: r.u8(),
        day: r.u8(),
        hour: r.u8(),
        minute: r.u8(),
        sec: r.u8(),
        microsec: r.i32(),
      });
    case T_VERTEX:
      return readVertex(r);
    case T_EDGE:
      return Object.freeze({
        kind: 'edge',
        src: readVid(r),
        dst: readVid(r),
        direction: r.u8() === 1 ? 1 : -1,
        name: r.str(),
        ranking: r.i64(),
        props: readValueMap(r),
      });
    case T_PATH: {
      const src = readVertex(r);
      const steps: StepV[] = new Array(r.uvar());
      for (let i = 0; i < steps.length; i++) {
        const dst = readVertex(r);
        const direction = r.u8() === 1 ? 1 : -1;
        steps[i] = Object.freeze({ dst, direction, name: r.str(), ranking: r.i64(), props: readValueMap(r) });
      }
      return Object.freeze({ kind: 'path', src, steps: Object.freeze(steps) });
    }
    case T_LIST:
    case T_SET:
      return Object.freeze({ kind: tag === T_LIST ? 'list' : 'set', values: readValues(r, r.uvar()) });
    case T_MAP:
      return Object.freeze({ kind: 'map', entries: readValueMap(r) });
    case T_DATASET:
      return Object.freeze({ kind: 'dataset', dataset: readDataSet(r) });
    default:
      throw new CodecError(`unknown value tag ${tag} at byte ${r.pos - 1}`);
  }
}

/**
 * Where the value encoded at `buf[pos]` ends, without building it (-1 when it runs past the end):
 * what a whole-space checksum needs to find each property's bytes. Scalars (every type a property
 * can have) are stepped over by size, allocating nothing; composite values are rare here and read.
 */
export function valueEnd(buf: Buffer, pos: number): number {
  let end: number;
  switch (buf[pos]) {
    case T_NULL:
    case T_FALSE:
    case T_TRUE:
    case T_EMPTY:
      end = pos + 1;
      break;
    case T_NULLV:
      end = pos + 2;
      break;
    case T_INT32:
      end = pos + 5;
      break;
    case T_INT64:
    case T_FLOAT:
      end = pos + 9;
      break;
    case T_DATE:
      end = pos + 7;
      break;
    case T_TIME:
      end = pos + 8;
      break;
    case T_DATETIME:
      end = pos + 14;
      break;
    case T_STRING: {
      const len = buf[pos + 1];
      end = len !== undefined && len < 0x80 ? pos + 2 + len : -2;
      if (end !== -2) break;
      const r = new ByteReader(buf, pos + 1);
      try {
        const n = r.uvar();
        end = r.pos + n;
      } catch {
        return -1;
      }
      break;
    }
    default: {
      const r = new ByteReader(buf, pos);
      try {
        readValue(r);
      } catch {
        return -1;
      }
      end = r.pos;
    }
  }
  return end <= buf.length ? end : -1;
}

/** A vid: the INT64 or STRING member of the union, nothing else. */
export function readVid(r: ByteReader): bigint | string {
  const v = readValue(r);
  if (typeof v !== 'bigint' && typeof v !== 'string') throw new CodecError('a vid must be an int64 or a string');
  return v;
}

function readValues(r: ByteReader, n: number): readonly Value[] {
  const out: Value[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = readValue(r);
  return Object.freeze(out);
}

function readVertex(r: ByteReader): VertexV {
  const vid = readVid(r);
  const tags: TagV[] = new Array(r.uvar());
  for (let i = 0; i < tags.length; i++) tags[i] = Object.freeze({ name: r.str(), props: readValueMap(r) });
  return Object.freeze({ kind: 'vertex', vid, tags: Object.freeze(tags) });
}

function readValueMap(r: ByteReader): ReadonlyMap<string, Value> {
  const n = r.uvar();
  const m = new Map<string, Value>();
  for (let i = 0; i < n; i++) {
    const k = r.str();
    m.set(k, readValue(r));
  }
  return m;
}

function readDataSet(r: ByteReader): DataSet {
  const columns: string[] = new Array(r.uvar());
  for (let i = 0; i < columns.length; i++) columns[i] = r.str();
  const rows: (readonly Value[])[] = new Array(r.uvar());
  for (let i = 0; i < rows.length; i++) rows[i] = readValues(r, r.uvar());
  return Object.freeze({ columns: Object.freeze(columns), rows: Object.freeze(rows) });
}

export function readProps(r: ByteReader): Props {
  const n = r.uvar();
  const props: Record<string, Value> = {};
  for (let i = 0; i < n; i++) {
    const k = r.str();
    const v = readValue(r);
    // A property named `__proto__` must become an own key, not the record's prototype.
    if (k === '__proto__') Object.defineProperty(props, k, { value: v, enumerable: true, writable: true, configurable: true });
    else props[k] = v;
  }
  return Object.freeze(props);
}

/**
 * Step over props encoded at `r` (what `readProps` reads) without building them; throws
 * `CodecError` where `readProps` would fail on its shape (a truncated blob, an unknown value tag).
 * The names and values are not decoded, so the bytes can be stored or shipped as they are.
 */
export function skipProps(r: ByteReader): void {
  const n = r.uvar();
  for (let i = 0; i < n; i++) {
    r.skip(r.uvar());
    const end = valueEnd(r.buf, r.pos);
    if (end < 0 || end > r.end) throw new CodecError(`malformed property value at byte ${r.pos}`);
    r.pos = end;
  }
}

const rowWriter = new ByteWriter();

/** Props of a stored row as one blob; the storage engine checksums the row around it (storage/row-checksum.ts). */
export function encodeProps(props: Props): Buffer {
  rowWriter.reset();
  writeProps(rowWriter, props);
  return rowWriter.finish();
}

/** Throw where `decodeProps(buf)` would, without building the props (`skipProps`). */
export function checkProps(buf: Buffer): void {
  const r = new ByteReader(buf);
  skipProps(r);
  if (!r.atEnd()) throw new CodecError('trailing bytes after props');
}

export function decodeProps(buf: Buffer): Props {
  const r = new ByteReader(buf);
  const props = readProps(r);
  if (!r.atEnd()) throw new CodecError('trailing bytes after props');
  return props;
}
