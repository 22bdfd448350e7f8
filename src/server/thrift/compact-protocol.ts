/**
 * Thrift's compact protocol, shared vocabulary: zigzag varints, field-id deltas, bools folded into
 * field headers, and the mapping between compact type nibbles and wire types.
 *
 * fbthrift (nebula-console, nebula-go >= 3.4) speaks version 2, whose doubles are big-endian;
 * Apache Thrift speaks version 1 with little-endian doubles. A reader learns the version from the
 * message header and a writer is told which to use, so a reply matches its request.
 */
import { ThriftDecodeError, TType } from './thrift-types.ts';

export const COMPACT_PROTOCOL_ID = 0x82;
/** fbthrift's version: doubles big-endian. */
export const COMPACT_VERSION_BE = 2;
/** Apache Thrift's version: doubles little-endian. */
export const COMPACT_VERSION_LE = 1;
/** The message header's second byte: version in the low 5 bits, message type above. */
export const VERSION_MASK = 0x1f;
export const TYPE_SHIFT = 5;

export const CT = {
  STOP: 0,
  BOOL_TRUE: 1,
  BOOL_FALSE: 2,
  BYTE: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12,
} as const;

const TO_COMPACT: Record<number, number> = {
  [TType.STOP]: CT.STOP,
  [TType.BOOL]: CT.BOOL_TRUE,
  [TType.BYTE]: CT.BYTE,
  [TType.I16]: CT.I16,
  [TType.I32]: CT.I32,
  [TType.I64]: CT.I64,
  [TType.DOUBLE]: CT.DOUBLE,
  [TType.STRING]: CT.BINARY,
  [TType.LIST]: CT.LIST,
  [TType.SET]: CT.SET,
  [TType.MAP]: CT.MAP,
  [TType.STRUCT]: CT.STRUCT,
};

const FROM_COMPACT: readonly number[] = [
  TType.STOP,
  TType.BOOL,
  TType.BOOL,
  TType.BYTE,
  TType.I16,
  TType.I32,
  TType.I64,
  TType.DOUBLE,
  TType.STRING,
  TType.LIST,
  TType.SET,
  TType.MAP,
  TType.STRUCT,
];

export function toTType(ct: number): number {
  const t = FROM_COMPACT[ct];
  if (t === undefined) throw new ThriftDecodeError(`unknown compact type ${ct}`);
  return t;
}

export function toCompact(t: number): number {
  const ct = TO_COMPACT[t];
  if (ct === undefined) throw new Error(`no compact type for wire type ${t}`);
  return ct;
}
