/**
 * Reading Thrift's compact protocol (see compact-protocol.ts) with bounds checks: a truncated or
 * malformed buffer throws `ThriftDecodeError`, never anything else.
 */
import { ByteSource } from './byte-sink.ts';
import { COMPACT_PROTOCOL_ID, COMPACT_VERSION_BE, COMPACT_VERSION_LE, CT, toTType, TYPE_SHIFT, VERSION_MASK } from './compact-protocol.ts';
import {
  checkSize,
  NESTING_DEPTH_MAX,
  ThriftDecodeError,
  TType,
  type FieldHeader,
  type ListHeader,
  type MapHeader,
  type MessageHeader,
  type TReader,
} from './thrift-types.ts';

export class CompactReader implements TReader {
  private readonly src: ByteSource;
  private lastFieldId = 0;
  private readonly fieldIdStack: number[] = [];
  /** The value of a bool field, carried in its field header. */
  private pendingBool: boolean | undefined;
  private doubleBigEndian: boolean;
  /** The protocol version the last message header named (decides double byte order). */
  version: number;

  constructor(buf: Buffer, start = 0, end = buf.length, version = COMPACT_VERSION_BE) {
    this.src = new ByteSource(buf, start, end);
    this.version = version;
    this.doubleBigEndian = version >= COMPACT_VERSION_BE;
  }

  remaining(): number {
    return this.src.remaining();
  }

  readMessageBegin(): MessageHeader {
    const id = this.readUByte();
    if (id !== COMPACT_PROTOCOL_ID) throw new ThriftDecodeError(`bad compact protocol id 0x${id.toString(16)}`);
    const vt = this.readUByte();
    const version = vt & VERSION_MASK;
    if (version !== COMPACT_VERSION_LE && version !== COMPACT_VERSION_BE) {
      throw new ThriftDecodeError(`unsupported compact protocol version ${version}`);
    }
    this.version = version;
    this.doubleBigEndian = version >= COMPACT_VERSION_BE;
    const type = (vt >> TYPE_SHIFT) & 0x07;
    const seqid = this.readVarint32() | 0;
    const name = this.readString();
    return { name, type, seqid };
  }

  readStructBegin(): void {
    if (this.fieldIdStack.length >= NESTING_DEPTH_MAX) throw new ThriftDecodeError('nesting too deep');
    this.fieldIdStack.push(this.lastFieldId);
    this.lastFieldId = 0;
  }

  readStructEnd(): void {
    this.lastFieldId = this.fieldIdStack.pop() ?? 0;
  }

  readFieldBegin(): FieldHeader {
    const head = this.readUByte();
    const ct = head & 0x0f;
    if (ct === CT.STOP) return { type: TType.STOP, id: 0 };
    const delta = head >> 4;
    const id = delta === 0 ? this.readI16() : this.lastFieldId + delta;
    this.lastFieldId = id;
    if (ct === CT.BOOL_TRUE || ct === CT.BOOL_FALSE) this.pendingBool = ct === CT.BOOL_TRUE;
    return { type: toTType(ct), id };
  }

  readMapBegin(): MapHeader {
    const size = this.readVarint32();
    if (size === 0) return { keyType: TType.STOP, valueType: TType.STOP, size: 0 };
    const kv = this.readUByte();
    checkSize(this, size, 'map');
    return { keyType: toTType(kv >> 4), valueType: toTType(kv & 0x0f), size };
  }

  readListBegin(): ListHeader {
    const head = this.readUByte();
    let size = head >> 4;
    if (size === 15) size = this.readVarint32();
    checkSize(this, size, 'list');
    return { elemType: toTType(head & 0x0f), size };
  }

  readSetBegin(): ListHeader {
    return this.readListBegin();
  }

  readBool(): boolean {
    if (this.pendingBool !== undefined) {
      const value = this.pendingBool;
      this.pendingBool = undefined;
      return value;
    }
    return this.readUByte() === CT.BOOL_TRUE;
  }

  readByte(): number {
    return this.src.buf.readInt8(this.src.take(1, 'byte'));
  }

  readI16(): number {
    return zigzagToInt(this.readVarint32());
  }

  readI32(): number {
    return zigzagToInt(this.readVarint32());
  }

  readI64(): bigint {
    const u = this.readVarint64();
    return (u >> 1n) ^ -(u & 1n);
  }

  readDouble(): number {
    const at = this.src.take(8, 'double');
    return this.doubleBigEndian ? this.src.buf.readDoubleBE(at) : this.src.buf.readDoubleLE(at);
  }

  readBinary(): Buffer {
    const len = this.readVarint32();
    const at = this.src.take(len, 'string');
    return this.src.buf.subarray(at, at + len);
  }

  readString(): string {
    const len = this.readVarint32();
    const at = this.src.take(len, 'string');
    return this.src.buf.toString('utf8', at, at + len);
  }

  private readUByte(): number {
    return this.src.buf[this.src.take(1, 'byte')]!;
  }

  /** An unsigned varint of at most 32 bits, answered as a non-negative number. */
  private readVarint32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.readUByte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        if (result > 0xffffffff) throw new ThriftDecodeError('varint32 overflow');
        return result;
      }
    }
    throw new ThriftDecodeError('varint32 too long');
  }

  private readVarint64(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.readUByte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    throw new ThriftDecodeError('varint64 too long');
  }
}

function zigzagToInt(u: number): number {
  // `u` is below 2^32; the unsigned shift keeps it exact before the sign is restored.
  return ((u >>> 1) ^ -(u & 1)) | 0;
}
