/**
 * Writing Thrift's compact protocol (see compact-protocol.ts), in the version the peer spoke.
 */
import { ByteSink } from './byte-sink.ts';
import { COMPACT_PROTOCOL_ID, COMPACT_VERSION_BE, CT, toCompact, TYPE_SHIFT, VERSION_MASK } from './compact-protocol.ts';
import { TType, type TWriter } from './thrift-types.ts';

export class CompactWriter implements TWriter {
  private readonly out = new ByteSink();
  private lastFieldId = 0;
  private readonly fieldIdStack: number[] = [];
  /** A bool field whose header waits for its value. */
  private pendingBoolFieldId: number | undefined;
  private readonly doubleBigEndian: boolean;

  constructor(readonly version = COMPACT_VERSION_BE) {
    this.doubleBigEndian = version >= COMPACT_VERSION_BE;
  }

  writeMessageBegin(name: string, type: number, seqid: number): void {
    this.out.byte(COMPACT_PROTOCOL_ID);
    this.out.byte((this.version & VERSION_MASK) | ((type & 0x07) << TYPE_SHIFT));
    this.writeVarint32(seqid >>> 0);
    this.writeString(name);
  }

  writeStructBegin(): void {
    this.fieldIdStack.push(this.lastFieldId);
    this.lastFieldId = 0;
  }

  writeStructEnd(): void {
    this.lastFieldId = this.fieldIdStack.pop() ?? 0;
  }

  writeFieldBegin(type: number, id: number): void {
    if (type === TType.BOOL) {
      this.pendingBoolFieldId = id;
      return;
    }
    this.writeFieldHeader(toCompact(type), id);
  }

  writeFieldStop(): void {
    this.out.byte(CT.STOP);
  }

  writeMapBegin(keyType: number, valueType: number, size: number): void {
    if (size === 0) {
      this.out.byte(0);
      return;
    }
    this.writeVarint32(size);
    this.out.byte((toCompact(keyType) << 4) | toCompact(valueType));
  }

  writeListBegin(elemType: number, size: number): void {
    const ct = toCompact(elemType);
    if (size < 15) {
      this.out.byte((size << 4) | ct);
    } else {
      this.out.byte(0xf0 | ct);
      this.writeVarint32(size);
    }
  }

  writeSetBegin(elemType: number, size: number): void {
    this.writeListBegin(elemType, size);
  }

  writeBool(value: boolean): void {
    const ct = value ? CT.BOOL_TRUE : CT.BOOL_FALSE;
    if (this.pendingBoolFieldId !== undefined) {
      this.writeFieldHeader(ct, this.pendingBoolFieldId);
      this.pendingBoolFieldId = undefined;
      return;
    }
    this.out.byte(ct);
  }

  writeByte(value: number): void {
    this.out.byte(value);
  }

  writeI16(value: number): void {
    this.writeI32((value << 16) >> 16);
  }

  writeI32(value: number): void {
    const n = value | 0;
    this.writeVarint32(((n << 1) ^ (n >> 31)) >>> 0);
  }

  writeI64(value: bigint): void {
    const n = BigInt.asIntN(64, value);
    this.writeVarint64(BigInt.asUintN(64, (n << 1n) ^ (n >> 63n)));
  }

  writeDouble(value: number): void {
    const at = this.out.reserve(8);
    if (this.doubleBigEndian) this.out.buffer.writeDoubleBE(value, at);
    else this.out.buffer.writeDoubleLE(value, at);
  }

  writeBinary(value: Buffer | Uint8Array): void {
    this.writeVarint32(value.length);
    this.out.bytes(value);
  }

  writeString(value: string): void {
    this.writeBinary(Buffer.from(value, 'utf8'));
  }

  finish(): Buffer {
    return this.out.finish();
  }

  private writeFieldHeader(ct: number, id: number): void {
    const delta = id - this.lastFieldId;
    if (delta > 0 && delta <= 15) {
      this.out.byte((delta << 4) | ct);
    } else {
      this.out.byte(ct);
      this.writeI16(id);
    }
    this.lastFieldId = id;
  }

  private writeVarint32(u: number): void {
    let n = u >>> 0;
    while (n >= 0x80) {
      this.out.byte((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    this.out.byte(n);
  }

  private writeVarint64(u: bigint): void {
    // Small magnitudes (the usual case) take the cheaper number path.
    if (u <= 0xffffffffn) {
      this.writeVarint32(Number(u));
      return;
    }
    let n = u;
    while (n >= 0x80n) {
      this.out.byte(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    this.out.byte(Number(n));
  }
}
