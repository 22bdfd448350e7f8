/**
 * Little-endian byte writer and reader for the WAL and props codecs.
 *
 * The writer appends into one growing scratch buffer that is reused across encodes (encoding is
 * synchronous, so nothing else can interleave), and `finish()` copies out exactly the bytes
 * written. That keeps a 500-row write to one allocation per encoded blob. The reader checks every
 * access against the end of its input and throws `CodecError`, which the checked decoders turn
 * into a value.
 */

/** Raised by the reader on truncated or malformed input; decoders catch it and return a value. */
export class CodecError extends Error {
  override readonly name = 'CodecError';
}

const SCRATCH_BYTES_INITIAL = 64 * 1024;

export class ByteWriter {
  private buf: Buffer = Buffer.allocUnsafe(SCRATCH_BYTES_INITIAL);
  pos = 0;

  /** Start a new blob in the shared scratch space. */
  reset(): void {
    this.pos = 0;
  }

  /** A copy of the bytes written since `reset()`. */
  finish(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }

  /** The bytes written so far, without copying; valid until the next write. */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  /** Unsigned LEB128 of a non-negative safe integer. */
  uvar(v: number): void {
    this.ensure(8);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }

  /** Zigzag LEB128 of a signed 32-bit integer. */
  svar(v: number): void {
    this.uvar(((v << 1) ^ (v >> 31)) >>> 0);
  }

  i32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32LE(v, this.pos);
    this.pos += 4;
  }

  /** Bytes encoded elsewhere with this codec, copied as they are. */
  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  u32At(offset: number, v: number): void {
    this.buf.writeUInt32LE(v, offset);
  }

  i64(v: bigint): void {
    this.ensure(8);
    this.buf.writeBigInt64LE(v, this.pos);
    this.pos += 8;
  }

  f64(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }

  /** Length-prefixed UTF-8; short ASCII strings (most keys and vids) skip the native encoder. */
  str(s: string): void {
    const n = s.length;
    if (n < 0x80) {
      this.ensure(n + 1);
      const buf = this.buf;
      let p = this.pos + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p++] = c;
      }
      if (i === n) {
        buf[this.pos] = n;
        this.pos = p;
        return;
      }
    }
    const len = Buffer.byteLength(s, 'utf8');
    this.uvar(len);
    this.ensure(len);
    this.buf.write(s, this.pos, 'utf8');
    this.pos += len;
  }
}

export class ByteReader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new CodecError(`truncated input at byte ${this.pos}`);
  }

  atEnd(): boolean {
    return this.pos === this.end;
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  uvar(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 0x80;
    }
    throw new CodecError(`varint too long at byte ${this.pos}`);
  }

  svar(): number {
    const z = this.uvar();
    return (z >>> 1) ^ -(z & 1);
  }

  i32(): number {
    this.need(4);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  i64(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Step over `n` bytes. */
  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  str(): string {
    const len = this.uvar();
    this.need(len);
    const start = this.pos;
    this.pos += len;
    return this.buf.toString('utf8', start, this.pos);
  }
}
