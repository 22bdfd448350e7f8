/**
 * Cuts a TCP byte stream into frames: a 4-byte big-endian length, then that many bytes.
 *
 * Both transports the graph service speaks (framed, and fbthrift THeader, whose length field
 * counts the same way) share this. Chunks are kept as a list and joined once per frame, so a
 * large frame split over many packets costs one copy, not one per packet.
 */

const LENGTH_BYTES = 4;

export class FrameTooLargeError extends Error {
  override readonly name = 'FrameTooLargeError';
}

export class FrameAssembler {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly frameBytesMax: number) {}

  /** Bytes held that do not yet make a whole frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /**
   * Adds a chunk and answers every frame it completes (payloads without the length prefix).
   * Throws `FrameTooLargeError` as soon as a length prefix exceeds the cap, before buffering it.
   */
  push(chunk: Buffer): Buffer[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: Buffer[] = [];
    for (;;) {
      if (this.buffered < LENGTH_BYTES) break;
      const length = this.peekLength();
      if (length > this.frameBytesMax) {
        throw new FrameTooLargeError(`frame of ${length} bytes exceeds the ${this.frameBytesMax}-byte cap`);
      }
      if (this.buffered < LENGTH_BYTES + length) break;
      const whole = this.take(LENGTH_BYTES + length);
      frames.push(whole.subarray(LENGTH_BYTES));
    }
    return frames;
  }

  private peekLength(): number {
    const first = this.chunks[0]!;
    if (first.length >= LENGTH_BYTES) return first.readUInt32BE(0);
    return this.joinAll().readUInt32BE(0);
  }

  private joinAll(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0]!;
  }

  /** Removes and answers the first `n` buffered bytes (n <= buffered). */
  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length < n) this.joinAll();
    const head = this.chunks[0]!;
    const out = head.subarray(0, n);
    if (head.length === n) this.chunks.shift();
    else this.chunks[0] = head.subarray(n);
    this.buffered -= n;
    return out;
  }
}

/** Prefixes `payload` with its 4-byte big-endian length. */
export function frame(payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(LENGTH_BYTES + payload.length);
  out.writeUInt32BE(payload.length, 0);
  payload.copy(out, LENGTH_BYTES);
  return out;
}
