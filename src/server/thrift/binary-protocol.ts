/**
 * Thrift's binary protocol: big-endian fixed-width numbers, i32 length-prefixed strings.
 *
 * Messages are written strict (`0x8001` version word). When reading, the old non-strict header
 * (name length, name, type byte, seqid) is accepted too, as Apache Thrift servers do.
 */
import { ByteSink, ByteSource } from './byte-sink.ts';
import {
  checkSize,
  ThriftDecodeError,
  TType,
  type FieldHeader,
  type ListHeader,
  type MapHeader,
  type MessageHeader,
  type TReader,
  type TWriter,
} from './thrift-types.ts';

const VERSION_1 = 0x80010000 | 0;
const VERSION_MASK = 0xffff0000 | 0;
const STOP_FIELD: FieldHeader = Object.freeze({ type: TType.STOP, id: 0 });

export class BinaryReader implements TReader {
  private readonly src: ByteSource;

  constructor(buf: Buffer, start = 0, end = buf.length) {
    this.src = new ByteSource(buf, start, end);
  }

  remaining(): number {
    return this.src.remaining();
  }

  readMessageBegin(): MessageHeader {
    const word = this.readI32();
    if (word < 0) {
      if ((word & VERSION_MASK) !== VERSION_1) {
        throw new ThriftDecodeError(`bad binary protocol version 0x${(word >>> 0).toString(16)}`);
      }
      const name = this.readString();
      const seqid = this.readI32();
      return { name, type: word & 0xff, seqid };
    }
    // Non-strict header: the first word is the method name's length.
    if (word > this.remaining()) throw new ThriftDecodeError(`message name length ${word} exceeds input`);
    const at = this.src.take(word, 'message name');
    const name = this.src.buf.toString('utf8', at, at + word);
    const type = this.readByte();
    const seqid = this.readI32();
    return { name, type, seqid };
  }

  readStructBegin(): void {}
  readStructEnd(): void {}

  readFieldBegin(): FieldHeader {
    const type = this.readByte();
    if (type === TType.STOP) return STOP_FIELD;
    return { type, id: this.readI16() };
  }

  readMapBegin(): MapHeader {
    const keyType = this.readByte();
    const valueType = this.readByte();
    const size = this.readI32();
    checkSize(this, size, 'map');
    return { keyType, valueType, size };
  }

  readListBegin(): ListHeader {
    const elemType = this.readByte();
    const size = this.readI32();
    checkSize(this, size, 'list');
    return { elemType, size };
  }

  readSetBegin(): ListHeader {
    return this.readListBegin();
  }

  readBool(): boolean {
    return this.readByte() !== 0;
  }

  readByte(): number {
    return this.src.buf.readInt8(this.src.take(1, 'byte'));
  }

  readI16(): number {
    return this.src.buf.readInt16BE(this.src.take(2, 'i16'));
  }

  readI32(): number {
    return this.src.buf.readInt32BE(this.src.take(4, 'i32'));
  }

  readI64(): bigint {
    return this.src.buf.readBigInt64BE(this.src.take(8, 'i64'));
  }

  readDouble(): number {
    return this.src.buf.readDoubleBE(this.src.take(8, 'double'));
  }

  readBinary(): Buffer {
    const len = this.readI32();
    if (len < 0) throw new ThriftDecodeError(`negative string length ${len}`);
    const at = this.src.take(len, 'string');
    return this.src.buf.subarray(at, at + len);
  }

  readString(): string {
    const len = this.readI32();
    if (len < 0) throw new ThriftDecodeError(`negative string length ${len}`);
    const at = this.src.take(len, 'string');
    return this.src.buf.toString('utf8', at, at + len);
  }
}

export class BinaryWriter implements TWriter {
  private readonly out = new ByteSink();

  writeMessageBegin(name: string, type: number, seqid: number): void {
    this.writeI32(VERSION_1 | (type & 0xff));
    this.writeString(name);
    this.writeI32(seqid);
  }

  writeStructBegin(): void {}
  writeStructEnd(): void {}

  writeFieldBegin(type: number, id: number): void {
    this.writeByte(type);
    this.writeI16(id);
  }

  writeFieldStop(): void {
    this.writeByte(TType.STOP);
  }

  writeMapBegin(keyType: number, valueType: number, size: number): void {
    this.writeByte(keyType);
    this.writeByte(valueType);
    this.writeI32(size);
  }

  writeListBegin(elemType: number, size: number): void {
    this.writeByte(elemType);
    this.writeI32(size);
  }

  writeSetBegin(elemType: number, size: number): void {
    this.writeListBegin(elemType, size);
  }

  writeBool(value: boolean): void {
    this.out.byte(value ? 1 : 0);
  }

  writeByte(value: number): void {
    this.out.byte(value);
  }

  writeI16(value: number): void {
    const at = this.out.reserve(2);
    this.out.buffer.writeInt16BE((value << 16) >> 16, at);
  }

  writeI32(value: number): void {
    const at = this.out.reserve(4);
    this.out.buffer.writeInt32BE(value | 0, at);
  }

  writeI64(value: bigint): void {
    const at = this.out.reserve(8);
    this.out.buffer.writeBigInt64BE(BigInt.asIntN(64, value), at);
  }

  writeDouble(value: number): void {
    const at = this.out.reserve(8);
    this.out.buffer.writeDoubleBE(value, at);
  }

  writeBinary(value: Buffer | Uint8Array): void {
    this.writeI32(value.length);
    this.out.bytes(value);
  }

  writeString(value: string): void {
    const lenAt = this.out.reserve(4);
    const written = this.out.utf8(value);
    this.out.patchU32(lenAt, written);
  }

  finish(): Buffer {
    return this.out.finish();
  }
}
