/**
 * Writing common.thrift `Value` and `DataSet` in either protocol. Scalars are plain JavaScript
 * values (bigint -> iVal, number -> fVal, string -> sVal); `EMPTY` is a union with no field set.
 */
import { NullType, type DataSet, type StepV, type Value, type VertexV } from '../../value/types.ts';
import { TType, type TWriter } from './thrift-types.ts';
import { ValueField as F } from './value-fields.ts';

export function writeValue(w: TWriter, v: Value): void {
  w.writeStructBegin();
  writeValueField(w, v);
  w.writeFieldStop();
  w.writeStructEnd();
}

function writeValueField(w: TWriter, v: Value): void {
  switch (typeof v) {
    case 'boolean':
      w.writeFieldBegin(TType.BOOL, F.bVal);
      w.writeBool(v);
      return;
    case 'bigint':
      w.writeFieldBegin(TType.I64, F.iVal);
      w.writeI64(v);
      return;
    case 'number':
      w.writeFieldBegin(TType.DOUBLE, F.fVal);
      w.writeDouble(v);
      return;
    case 'string':
      w.writeFieldBegin(TType.STRING, F.sVal);
      w.writeString(v);
      return;
  }
  if (v === null) {
    w.writeFieldBegin(TType.I32, F.nVal);
    w.writeI32(NullType.__NULL__);
    return;
  }
  switch (v.kind) {
    case 'null':
      w.writeFieldBegin(TType.I32, F.nVal);
      w.writeI32(v.nullType);
      return;
    case 'empty':
      return;
    case 'date':
      w.writeFieldBegin(TType.STRUCT, F.dVal);
      writeStruct(w, [
        [TType.I16, v.year],
        [TType.BYTE, v.month],
        [TType.BYTE, v.day],
      ]);
      return;
    case 'time':
      w.writeFieldBegin(TType.STRUCT, F.tVal);
      writeStruct(w, [
        [TType.BYTE, v.hour],
        [TType.BYTE, v.minute],
        [TType.BYTE, v.sec],
        [TType.I32, v.microsec],
      ]);
      return;
    case 'datetime':
      w.writeFieldBegin(TType.STRUCT, F.dtVal);
      writeStruct(w, [
        [TType.I16, v.year],
        [TType.BYTE, v.month],
        [TType.BYTE, v.day],
        [TType.BYTE, v.hour],
        [TType.BYTE, v.minute],
        [TType.BYTE, v.sec],
        [TType.I32, v.microsec],
      ]);
      return;
    case 'vertex':
      w.writeFieldBegin(TType.STRUCT, F.vVal);
      writeVertex(w, v);
      return;
    case 'edge':
      w.writeFieldBegin(TType.STRUCT, F.eVal);
      w.writeStructBegin();
      w.writeFieldBegin(TType.STRUCT, 1);
      writeValue(w, v.src);
      w.writeFieldBegin(TType.STRUCT, 2);
      writeValue(w, v.dst);
      writeEdgeTail(w, 3, v.direction, v.name, v.ranking, v.props);
      w.writeFieldStop();
      w.writeStructEnd();
      return;
    case 'path':
      w.writeFieldBegin(TType.STRUCT, F.pVal);
      w.writeStructBegin();
      w.writeFieldBegin(TType.STRUCT, 1);
      writeVertex(w, v.src);
      w.writeFieldBegin(TType.LIST, 2);
      w.writeListBegin(TType.STRUCT, v.steps.length);
      for (const step of v.steps) writeStep(w, step);
      w.writeFieldStop();
      w.writeStructEnd();
      return;
    case 'list':
    case 'set':
      w.writeFieldBegin(TType.STRUCT, v.kind === 'list' ? F.lVal : F.uVal);
      w.writeStructBegin();
      w.writeFieldBegin(v.kind === 'list' ? TType.LIST : TType.SET, 1);
      w.writeListBegin(TType.STRUCT, v.values.length);
      for (const item of v.values) writeValue(w, item);
      w.writeFieldStop();
      w.writeStructEnd();
      return;
    case 'map':
      w.writeFieldBegin(TType.STRUCT, F.mVal);
      w.writeStructBegin();
      w.writeFieldBegin(TType.MAP, 1);
      writeProps(w, v.entries);
      w.writeFieldStop();
      w.writeStructEnd();
      return;
    case 'dataset':
      w.writeFieldBegin(TType.STRUCT, F.gVal);
      writeDataSet(w, v.dataset);
      return;
  }
}

/** A struct of small integer fields numbered 1..n, in order. */
function writeStruct(w: TWriter, fields: readonly (readonly [number, number])[]): void {
  w.writeStructBegin();
  fields.forEach(([type, value], i) => {
    w.writeFieldBegin(type, i + 1);
    if (type === TType.I16) w.writeI16(value);
    else if (type === TType.BYTE) w.writeByte(value);
    else w.writeI32(value);
  });
  w.writeFieldStop();
  w.writeStructEnd();
}

function writeProps(w: TWriter, props: ReadonlyMap<string, Value>): void {
  w.writeMapBegin(TType.STRING, TType.STRUCT, props.size);
  for (const [key, value] of props) {
    w.writeString(key);
    writeValue(w, value);
  }
}

function writeVertex(w: TWriter, v: VertexV): void {
  w.writeStructBegin();
  w.writeFieldBegin(TType.STRUCT, 1);
  writeValue(w, v.vid);
  w.writeFieldBegin(TType.LIST, 2);
  w.writeListBegin(TType.STRUCT, v.tags.length);
  for (const tag of v.tags) {
    w.writeStructBegin();
    w.writeFieldBegin(TType.STRING, 1);
    w.writeString(tag.name);
    w.writeFieldBegin(TType.MAP, 2);
    writeProps(w, tag.props);
    w.writeFieldStop();
    w.writeStructEnd();
  }
  w.writeFieldStop();
  w.writeStructEnd();
}

/** Edge fields 3..6 and Step fields 2..5 share a layout: type, name, ranking, props. */
function writeEdgeTail(
  w: TWriter,
  firstId: number,
  direction: number,
  name: string,
  ranking: bigint,
  props: ReadonlyMap<string, Value>,
): void {
  w.writeFieldBegin(TType.I32, firstId);
  w.writeI32(direction);
  w.writeFieldBegin(TType.STRING, firstId + 1);
  w.writeString(name);
  w.writeFieldBegin(TType.I64, firstId + 2);
  w.writeI64(ranking);
  w.writeFieldBegin(TType.MAP, firstId + 3);
  writeProps(w, props);
}

function writeStep(w: TWriter, step: StepV): void {
  w.writeStructBegin();
  w.writeFieldBegin(TType.STRUCT, 1);
  writeVertex(w, step.dst);
  writeEdgeTail(w, 2, step.direction, step.name, step.ranking, step.props);
  w.writeFieldStop();
  w.writeStructEnd();
}

export function writeDataSet(w: TWriter, ds: DataSet): void {
  w.writeStructBegin();
  w.writeFieldBegin(TType.LIST, 1);
  w.writeListBegin(TType.STRING, ds.columns.length);
  for (const c of ds.columns) w.writeString(c);
  w.writeFieldBegin(TType.LIST, 2);
  w.writeListBegin(TType.STRUCT, ds.rows.length);
  for (const row of ds.rows) {
    w.writeStructBegin();
    w.writeFieldBegin(TType.LIST, 1);
    w.writeListBegin(TType.STRUCT, row.length);
    for (const v of row) writeValue(w, v);
    w.writeFieldStop();
    w.writeStructEnd();
  }
  w.writeFieldStop();
  w.writeStructEnd();
}
