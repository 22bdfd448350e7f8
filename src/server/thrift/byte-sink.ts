/**
 * A growable output buffer for the protocol writers: amortised doubling, so that encoding a large
 * DataSet costs O(n) copies rather than one Buffer.concat per field.
 */
import { ThriftDecodeError } from './thrift-types.ts';

const INITIAL_BYTES = 256;

export class ByteSink {
  private buf: Buffer;
  private len = 0;

  constructor(initialBytes = INITIAL_BYTES) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  get length(): number {
    return this.len;
  }

  /** Makes room for `n` more bytes and answers the offset to write them at. */
  reserve(n: number): number {
    const need = this.len + n;
    if (need > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < need) size *= 2;
      const next = Buffer.allocUnsafe(size);
      this.buf.copy(next, 0, 0, this.len);
      this.buf = next;
    }
    const at = this.len;
    this.len = need;
    return at;
  }

  get buffer(): Buffer {
    return this.buf;
  }

  byte(value: number): void {
    const at = this.reserve(1);
    this.buf[at] = value & 0xff;
  }

  bytes(value: Uint8Array): void {
    const at = this.reserve(value.length);
    this.buf.set(value, at);
  }

  /** Writes a UTF-8 string preceded by nothing; answers how many bytes it took. */
  utf8(value: string): number {
    const max = Buffer.byteLength(value, 'utf8');
    const at = this.reserve(max);
    return this.buf.write(value, at, max, 'utf8');
  }

  /** Overwrites a big-endian u32 at `at` (for length prefixes written after the fact). */
  patchU32(at: number, value: number): void {
    this.buf.writeUInt32BE(value >>> 0, at);
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}

/** A bounds-checked cursor over a Buffer shared by both protocol readers. */
export class ByteSource {
  pos: number;
  readonly end: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
  }

  remaining(): number {
    return this.end - this.pos;
  }

  /** Answers the offset of `n` readable bytes and moves past them, or throws when truncated. */
  take(n: number, what: string): number {
    if (n < 0 || this.pos + n > this.end) throw truncated(what, n, this.end - this.pos);
    const at = this.pos;
    this.pos += n;
    return at;
  }
}

function truncated(what: string, wanted: number, left: number): ThriftDecodeError {
  return new ThriftDecodeError(`truncated input reading ${what}: wanted ${wanted} bytes, ${left} left`);
}
