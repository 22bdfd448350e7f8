/**
 * The vocabulary shared by both Thrift protocols: wire types, message types, the reader and writer
 * interfaces that struct codecs are written against, and the decode error.
 *
 * Struct codecs (values, graph requests and responses) are written once against `TReader` /
 * `TWriter`, so the binary and compact protocols differ only in how they lay out bytes.
 */

/** Thrift wire types as the binary protocol numbers them (the compact protocol maps its own). */
export const TType = {
  STOP: 0,
  VOID: 1,
  BOOL: 2,
  BYTE: 3,
  DOUBLE: 4,
  I16: 6,
  I32: 8,
  I64: 10,
  STRING: 11,
  STRUCT: 12,
  MAP: 13,
  SET: 14,
  LIST: 15,
} as const;
export type TTypeValue = (typeof TType)[keyof typeof TType];

export const MessageType = {
  CALL: 1,
  REPLY: 2,
  EXCEPTION: 3,
  ONEWAY: 4,
} as const;
export type MessageTypeValue = (typeof MessageType)[keyof typeof MessageType];

/** Deepest nesting of structs and containers a reader follows before refusing the input. */
export const NESTING_DEPTH_MAX = 64;

/**
 * Malformed or truncated input. Readers throw it from deep inside recursive struct decoding; the
 * connection boundary catches it and closes only that connection. It is never a programmer error.
 */
export class ThriftDecodeError extends Error {
  override readonly name = 'ThriftDecodeError';
}

export interface MessageHeader {
  readonly name: string;
  readonly type: number;
  readonly seqid: number;
}

export interface FieldHeader {
  readonly type: number;
  readonly id: number;
}

export interface MapHeader {
  readonly keyType: number;
  readonly valueType: number;
  readonly size: number;
}

export interface ListHeader {
  readonly elemType: number;
  readonly size: number;
}

export interface TReader {
  readMessageBegin(): MessageHeader;
  readStructBegin(): void;
  readStructEnd(): void;
  /** Answers `{type: TType.STOP}` at the end of a struct. */
  readFieldBegin(): FieldHeader;
  readMapBegin(): MapHeader;
  readListBegin(): ListHeader;
  readSetBegin(): ListHeader;
  readBool(): boolean;
  readByte(): number;
  readI16(): number;
  readI32(): number;
  readI64(): bigint;
  readDouble(): number;
  readBinary(): Buffer;
  readString(): string;
  /** Bytes not yet consumed; bounds container sizes before anything is allocated. */
  remaining(): number;
}

export interface TWriter {
  writeMessageBegin(name: string, type: number, seqid: number): void;
  writeStructBegin(): void;
  writeStructEnd(): void;
  writeFieldBegin(type: number, id: number): void;
  writeFieldStop(): void;
  writeMapBegin(keyType: number, valueType: number, size: number): void;
  writeListBegin(elemType: number, size: number): void;
  writeSetBegin(elemType: number, size: number): void;
  writeBool(value: boolean): void;
  writeByte(value: number): void;
  writeI16(value: number): void;
  writeI32(value: number): void;
  writeI64(value: bigint): void;
  writeDouble(value: number): void;
  writeBinary(value: Buffer | Uint8Array): void;
  writeString(value: string): void;
  /** The bytes written so far (a view; copy it if the writer is reused). */
  finish(): Buffer;
}

/** Throws a decode error unless `size` elements of at least one byte each can still follow. */
export function checkSize(reader: TReader, size: number, what: string): void {
  if (size < 0 || size > reader.remaining()) {
    throw new ThriftDecodeError(`${what} size ${size} exceeds the ${reader.remaining()} bytes left`);
  }
}

/** Reads past a value of wire type `type` that the caller does not know, bounded in depth. */
export function skip(reader: TReader, type: number, depth = 0): void {
  if (depth > NESTING_DEPTH_MAX) throw new ThriftDecodeError('nesting too deep');
  switch (type) {
    case TType.BOOL:
      reader.readBool();
      return;
    case TType.BYTE:
      reader.readByte();
      return;
    case TType.I16:
      reader.readI16();
      return;
    case TType.I32:
      reader.readI32();
      return;
    case TType.I64:
      reader.readI64();
      return;
    case TType.DOUBLE:
      reader.readDouble();
      return;
    case TType.STRING:
      reader.readBinary();
      return;
    case TType.STRUCT: {
      reader.readStructBegin();
      for (;;) {
        const field = reader.readFieldBegin();
        if (field.type === TType.STOP) break;
        skip(reader, field.type, depth + 1);
      }
      reader.readStructEnd();
      return;
    }
    case TType.MAP: {
      const map = reader.readMapBegin();
      for (let i = 0; i < map.size; i++) {
        skip(reader, map.keyType, depth + 1);
        skip(reader, map.valueType, depth + 1);
      }
      return;
    }
    case TType.SET:
    case TType.LIST: {
      const list = type === TType.SET ? reader.readSetBegin() : reader.readListBegin();
      for (let i = 0; i < list.size; i++) skip(reader, list.elemType, depth + 1);
      return;
    }
    default:
      throw new ThriftDecodeError(`unknown wire type ${type}`);
  }
}

/**
 * Reads the fields of a struct, handing each to `onField`; `onField` answers false for a field it
 * does not know (or whose wire type it did not expect), which is then skipped.
 */
export function readStruct(r: TReader, onField: (type: number, id: number) => boolean): void {
  r.readStructBegin();
  for (;;) {
    const f = r.readFieldBegin();
    if (f.type === TType.STOP) break;
    if (!onField(f.type, f.id)) skip(r, f.type);
  }
  r.readStructEnd();
}
