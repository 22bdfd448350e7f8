/**
 * The values that statements compute and that cross the wire (common.thrift `Value`).
 *
 * Scalars use plain JavaScript types so that the hot path (INSERT of many rows) allocates little:
 * an nGQL integer is a `bigint` (int64 exactly), a float is a `number`, a string is a `string`,
 * a bool is a `boolean`, and NULL is `null`. Everything else is a frozen object with a `kind`.
 */

export const NullType = {
  __NULL__: 0,
  NaN: 1,
  BAD_DATA: 2,
  BAD_TYPE: 3,
  ERR_OVERFLOW: 4,
  UNKNOWN_PROP: 5,
  DIV_BY_ZERO: 6,
  OUT_OF_RANGE: 7,
} as const;
export type NullTypeValue = (typeof NullType)[keyof typeof NullType];

/** A NULL that says why (BAD_TYPE, DIV_BY_ZERO, ...). Plain `null` is `__NULL__`. */
export interface NullV {
  readonly kind: 'null';
  readonly nullType: NullTypeValue;
}
/** The "empty" value: a union with no field set (e.g. a property of a tag the vertex lacks). */
export interface EmptyV {
  readonly kind: 'empty';
}
export interface DateV {
  readonly kind: 'date';
  readonly year: number;
  readonly month: number;
  readonly day: number;
}
export interface TimeV {
  readonly kind: 'time';
  readonly hour: number;
  readonly minute: number;
  readonly sec: number;
  readonly microsec: number;
}
export interface DateTimeV {
  readonly kind: 'datetime';
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly sec: number;
  readonly microsec: number;
}
export interface TagV {
  readonly name: string;
  readonly props: ReadonlyMap<string, Value>;
}
export interface VertexV {
  readonly kind: 'vertex';
  readonly vid: bigint | string;
  readonly tags: readonly TagV[];
}
export interface EdgeV {
  readonly kind: 'edge';
  readonly src: bigint | string;
  readonly dst: bigint | string;
  /** +1 for an out-edge as stored, -1 when walked reversely (thrift `type` field). */
  readonly direction: 1 | -1;
  readonly name: string;
  readonly ranking: bigint;
  readonly props: ReadonlyMap<string, Value>;
}
export interface StepV {
  readonly dst: VertexV;
  readonly direction: 1 | -1;
  readonly name: string;
  readonly ranking: bigint;
  readonly props: ReadonlyMap<string, Value>;
}
export interface PathV {
  readonly kind: 'path';
  readonly src: VertexV;
  readonly steps: readonly StepV[];
}
export interface ListV {
  readonly kind: 'list';
  readonly values: readonly Value[];
}
export interface MapV {
  readonly kind: 'map';
  readonly entries: ReadonlyMap<string, Value>;
}
export interface SetV {
  readonly kind: 'set';
  readonly values: readonly Value[];
}
export interface DataSetV {
  readonly kind: 'dataset';
  readonly dataset: DataSet;
}

/** One cell of a DataSet: NebulaGraph's Value (ints are bigint, floats number, NULL null or a typed null). */
export type Value =
  | null
  | boolean
  | bigint
  | number
  | string
  | NullV
  | EmptyV
  | DateV
  | TimeV
  | DateTimeV
  | VertexV
  | EdgeV
  | PathV
  | ListV
  | MapV
  | SetV
  | DataSetV;

/** A statement's result table: column names and rows of values (common.thrift `DataSet`). */
export interface DataSet {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Value[])[];
}

export const EMPTY: EmptyV = Object.freeze({ kind: 'empty' });

export function nullOf(nullType: NullTypeValue): Value {
  return nullType === NullType.__NULL__ ? null : Object.freeze({ kind: 'null', nullType });
}

export function isNull(v: Value): v is null | NullV {
  return v === null || (typeof v === 'object' && v.kind === 'null');
}

export function mapOf(entries: Iterable<[string, Value]>): MapV {
  return Object.freeze({ kind: 'map', entries: new Map(entries) });
}

export function listOf(values: readonly Value[]): ListV {
  return Object.freeze({ kind: 'list', values });
}

export function dataSet(columns: readonly string[], rows: readonly (readonly Value[])[]): DataSet {
  return { columns, rows };
}
