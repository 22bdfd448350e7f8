/**
 * Reading common.thrift `Value` and `DataSet` from either protocol, bounded in nesting depth.
 *
 * int64 -> bigint, double -> number, binary -> UTF-8 string; an empty union is `EMPTY`. Union
 * members this product never produces (Geography, Duration) read as `EMPTY`, since no statement
 * of ours can use them; a null kind we do not know reads as BAD_DATA.
 */
import {
  EMPTY,
  NullType,
  nullOf,
  type DataSet,
  type NullTypeValue,
  type StepV,
  type TagV,
  type Value,
  type VertexV,
} from '../../value/types.ts';
import { checkSize, NESTING_DEPTH_MAX, readStruct, ThriftDecodeError, TType, type TReader } from './thrift-types.ts';
import { ValueField as F } from './value-fields.ts';

function deeper(depth: number): number {
  if (depth >= NESTING_DEPTH_MAX) throw new ThriftDecodeError('value nesting too deep');
  return depth + 1;
}

export function readValue(r: TReader, depth = 0): Value {
  const d = deeper(depth);
  let result: Value = EMPTY;
  let seen = false;
  readStruct(r, (type, id) => {
    if (seen) return false;
    const v = readValueMember(r, type, id, d);
    if (v === undefined) return false;
    result = v;
    seen = true;
    return true;
  });
  return result;
}

/** One member of the union, or undefined when the id or its wire type is not one we read. */
function readValueMember(r: TReader, type: number, id: number, d: number): Value | undefined {
  const want = MEMBER_TYPES[id];
  if (want === undefined || want !== type) return undefined;
  switch (id) {
    case F.nVal:
      return nullOf(toNullType(r.readI32()));
    case F.bVal:
      return r.readBool();
    case F.iVal:
      return r.readI64();
    case F.fVal:
      return r.readDouble();
    case F.sVal:
      return r.readString();
    case F.dVal: {
      const [year, month, day] = readSmallStruct(r, 3);
      return { kind: 'date', year, month, day };
    }
    case F.tVal: {
      const [hour, minute, sec, microsec] = readSmallStruct(r, 4);
      return { kind: 'time', hour, minute, sec, microsec };
    }
    case F.dtVal: {
      const [year, month, day, hour, minute, sec, microsec] = readSmallStruct(r, 7);
      return { kind: 'datetime', year, month, day, hour, minute, sec, microsec };
    }
    case F.vVal:
      return readVertex(r, d);
    case F.eVal:
      return readEdge(r, d);
    case F.pVal:
      return readPath(r, d);
    case F.lVal:
      return { kind: 'list', values: readValueContainer(r, TType.LIST, d) };
    case F.uVal:
      return { kind: 'set', values: readValueContainer(r, TType.SET, d) };
    case F.mVal: {
      let entries: ReadonlyMap<string, Value> = new Map();
      readStruct(r, (t, fid) => {
        if (fid !== 1 || t !== TType.MAP) return false;
        entries = readProps(r, d);
        return true;
      });
      return { kind: 'map', entries };
    }
    case F.gVal:
      return { kind: 'dataset', dataset: readDataSet(r, d) };
    default:
      return undefined;
  }
}

const MEMBER_TYPES: Record<number, number> = {
  [F.nVal]: TType.I32,
  [F.bVal]: TType.BOOL,
  [F.iVal]: TType.I64,
  [F.fVal]: TType.DOUBLE,
  [F.sVal]: TType.STRING,
  [F.dVal]: TType.STRUCT,
  [F.tVal]: TType.STRUCT,
  [F.dtVal]: TType.STRUCT,
  [F.vVal]: TType.STRUCT,
  [F.eVal]: TType.STRUCT,
  [F.pVal]: TType.STRUCT,
  [F.lVal]: TType.STRUCT,
  [F.mVal]: TType.STRUCT,
  [F.uVal]: TType.STRUCT,
  [F.gVal]: TType.STRUCT,
};

function toNullType(n: number): NullTypeValue {
  // A null kind we do not know is still a null; BAD_DATA says the peer sent something odd.
  return n >= 0 && n <= 7 ? (n as NullTypeValue) : NullType.BAD_DATA;
}

/** A struct of integer fields 1..n (Date, Time, DateTime); missing fields read as 0. */
function readSmallStruct(r: TReader, n: number): number[] {
  const out = new Array<number>(n).fill(0);
  readStruct(r, (type, id) => {
    if (id < 1 || id > n) return false;
    if (type === TType.BYTE) out[id - 1] = r.readByte();
    else if (type === TType.I16) out[id - 1] = r.readI16();
    else if (type === TType.I32) out[id - 1] = r.readI32();
    else return false;
    return true;
  });
  return out;
}

function readValueContainer(r: TReader, containerType: number, d: number): Value[] {
  let values: Value[] = [];
  readStruct(r, (type, id) => {
    if (id !== 1 || type !== containerType) return false;
    values = readValueList(r, type, d);
    return true;
  });
  return values;
}

function readValueList(r: TReader, containerType: number, d: number): Value[] {
  const h = containerType === TType.SET ? r.readSetBegin() : r.readListBegin();
  if (h.size > 0 && h.elemType !== TType.STRUCT) throw new ThriftDecodeError('list of values is not a list of structs');
  const out = new Array<Value>(h.size);
  for (let i = 0; i < h.size; i++) out[i] = readValue(r, d);
  return out;
}

function readProps(r: TReader, d: number): Map<string, Value> {
  const h = r.readMapBegin();
  const out = new Map<string, Value>();
  if (h.size === 0) return out;
  if (h.keyType !== TType.STRING || h.valueType !== TType.STRUCT) {
    throw new ThriftDecodeError('property map is not map<binary, Value>');
  }
  for (let i = 0; i < h.size; i++) {
    const key = r.readString();
    out.set(key, readValue(r, d));
  }
  return out;
}

function toVid(v: Value): bigint | string {
  if (typeof v === 'string' || typeof v === 'bigint') return v;
  throw new ThriftDecodeError('vertex id is neither an int nor a string');
}

function readVertex(r: TReader, d: number): VertexV {
  let vid: bigint | string = '';
  let tags: TagV[] = [];
  readStruct(r, (type, id) => {
    if (id === 1 && type === TType.STRUCT) vid = toVid(readValue(r, d));
    else if (id === 2 && type === TType.LIST) tags = readTags(r, d);
    else return false;
    return true;
  });
  return { kind: 'vertex', vid, tags };
}

function readTags(r: TReader, d: number): TagV[] {
  const h = r.readListBegin();
  if (h.size > 0 && h.elemType !== TType.STRUCT) throw new ThriftDecodeError('tags are not structs');
  const tags: TagV[] = [];
  for (let i = 0; i < h.size; i++) {
    let name = '';
    let props: ReadonlyMap<string, Value> = new Map();
    readStruct(r, (type, id) => {
      if (id === 1 && type === TType.STRING) name = r.readString();
      else if (id === 2 && type === TType.MAP) props = readProps(r, d);
      else return false;
      return true;
    });
    tags.push({ name, props });
  }
  return tags;
}

interface EdgeTail {
  direction: 1 | -1;
  name: string;
  ranking: bigint;
  props: ReadonlyMap<string, Value>;
}

/** Reads one of the shared type/name/ranking/props fields; `firstId` is where they start. */
function readEdgeTailField(r: TReader, tail: EdgeTail, firstId: number, type: number, id: number, d: number): boolean {
  const at = id - firstId;
  if (at === 0 && type === TType.I32) tail.direction = r.readI32() < 0 ? -1 : 1;
  else if (at === 1 && type === TType.STRING) tail.name = r.readString();
  else if (at === 2 && type === TType.I64) tail.ranking = r.readI64();
  else if (at === 3 && type === TType.MAP) tail.props = readProps(r, d);
  else return false;
  return true;
}

function readEdge(r: TReader, d: number): Value {
  let src: bigint | string = '';
  let dst: bigint | string = '';
  const tail: EdgeTail = { direction: 1, name: '', ranking: 0n, props: new Map() };
  readStruct(r, (type, id) => {
    if (id === 1 && type === TType.STRUCT) src = toVid(readValue(r, d));
    else if (id === 2 && type === TType.STRUCT) dst = toVid(readValue(r, d));
    else return readEdgeTailField(r, tail, 3, type, id, d);
    return true;
  });
  return { kind: 'edge', src, dst, ...tail };
}

function readPath(r: TReader, d: number): Value {
  let src: VertexV = { kind: 'vertex', vid: '', tags: [] };
  const steps: StepV[] = [];
  readStruct(r, (type, id) => {
    if (id === 1 && type === TType.STRUCT) src = readVertex(r, d);
    else if (id === 2 && type === TType.LIST) {
      const h = r.readListBegin();
      if (h.size > 0 && h.elemType !== TType.STRUCT) throw new ThriftDecodeError('steps are not structs');
      for (let i = 0; i < h.size; i++) steps.push(readStep(r, d));
    } else return false;
    return true;
  });
  return { kind: 'path', src, steps };
}

function readStep(r: TReader, d: number): StepV {
  let dst: VertexV = { kind: 'vertex', vid: '', tags: [] };
  const tail: EdgeTail = { direction: 1, name: '', ranking: 0n, props: new Map() };
  readStruct(r, (type, id) => {
    if (id === 1 && type === TType.STRUCT) dst = readVertex(r, d);
    else return readEdgeTailField(r, tail, 2, type, id, d);
    return true;
  });
  return { dst, ...tail };
}

export function readDataSet(r: TReader, depth = 0): DataSet {
  const d = deeper(depth);
  let columns: string[] = [];
  const rows: Value[][] = [];
  readStruct(r, (type, id) => {
    if (id === 1 && type === TType.LIST) {
      const h = r.readListBegin();
      if (h.size > 0 && h.elemType !== TType.STRING) throw new ThriftDecodeError('column names are not strings');
      columns = new Array<string>(h.size);
      for (let i = 0; i < h.size; i++) columns[i] = r.readString();
    } else if (id === 2 && type === TType.LIST) {
      const h = r.readListBegin();
      if (h.size > 0 && h.elemType !== TType.STRUCT) throw new ThriftDecodeError('rows are not structs');
      checkSize(r, h.size, 'rows');
      for (let i = 0; i < h.size; i++) rows.push(readValueContainer(r, TType.LIST, d));
    } else return false;
    return true;
  });
  return { columns, rows };
}
