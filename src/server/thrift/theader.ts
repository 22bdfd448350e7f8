/**
 * fbthrift's THeader transport, as nebula-console >= 3.4 and nebula-go >= 3.4 send it:
 *
 *   u32 length | u16 0x0FFF | u16 flags | u32 seqid | u16 headerBytes/4 | header | payload
 *
 * where the header is: varint protocol id (0 binary, 2 compact), varint transform count and ids,
 * then info blocks (varint type 1 = key/value: varint count, then varint-length strings), then
 * zero padding to a multiple of four. `length` counts everything after itself.
 */
import { ThriftDecodeError } from './thrift-types.ts';

export const THEADER_MAGIC = 0x0fff;
export const THeaderProtocolId = { BINARY: 0, COMPACT: 2 } as const;
const INFO_KEYVALUE = 1;
/** Bytes after the length field that precede the variable header: magic, flags, seqid, size. */
const FIXED_BYTES = 10;
/** Most info key/value pairs one header may carry; real clients send a handful. */
const INFO_PAIRS_MAX = 1024;

export interface THeader {
  readonly flags: number;
  readonly seqid: number;
  readonly protocolId: number;
  readonly transforms: readonly number[];
  readonly info: ReadonlyMap<string, string>;
}

/** True when a frame payload (after the length) starts with the THeader magic. */
export function isTHeader(payload: Buffer): boolean {
  return payload.length >= 2 && payload.readUInt16BE(0) === THEADER_MAGIC;
}

/** Parses a THeader frame payload (after the length field); answers the header and the body. */
export function parseTHeader(payload: Buffer): { header: THeader; body: Buffer } {
  if (payload.length < FIXED_BYTES) throw new ThriftDecodeError('THeader frame too short');
  if (payload.readUInt16BE(0) !== THEADER_MAGIC) throw new ThriftDecodeError('not a THeader frame');
  const flags = payload.readUInt16BE(2);
  const seqid = payload.readInt32BE(4);
  const headerBytes = payload.readUInt16BE(8) * 4;
  const headerEnd = FIXED_BYTES + headerBytes;
  if (headerEnd > payload.length) throw new ThriftDecodeError('THeader header runs past the frame');
  const cur = { pos: FIXED_BYTES };
  const protocolId = readVarint(payload, cur, headerEnd);
  const transformCount = readVarint(payload, cur, headerEnd);
  if (transformCount > headerBytes) throw new ThriftDecodeError('THeader transform count exceeds header');
  const transforms: number[] = [];
  for (let i = 0; i < transformCount; i++) transforms.push(readVarint(payload, cur, headerEnd));
  const info = new Map<string, string>();
  while (cur.pos < headerEnd) {
    const type = readVarint(payload, cur, headerEnd);
    // Anything but a key/value block (0 is padding) ends the info section, as in fbthrift.
    if (type !== INFO_KEYVALUE) break;
    const count = readVarint(payload, cur, headerEnd);
    if (count > INFO_PAIRS_MAX) throw new ThriftDecodeError('too many THeader info headers');
    for (let i = 0; i < count; i++) {
      const key = readString(payload, cur, headerEnd);
      info.set(key, readString(payload, cur, headerEnd));
    }
  }
  return { header: { flags, seqid, protocolId, transforms, info }, body: payload.subarray(headerEnd) };
}

/** Builds a whole THeader frame (length prefix included) around `body`. */
export function buildTHeader(
  header: { flags?: number; seqid: number; protocolId: number; info?: ReadonlyMap<string, string> },
  body: Buffer,
): Buffer {
  const head: number[] = [];
  writeVarint(head, header.protocolId);
  writeVarint(head, 0);
  const info = header.info ?? new Map<string, string>();
  if (info.size > 0) {
    writeVarint(head, INFO_KEYVALUE);
    writeVarint(head, info.size);
    for (const [k, v] of info) {
      writeString(head, k);
      writeString(head, v);
    }
  }
  while (head.length % 4 !== 0) head.push(0);
  const out = Buffer.allocUnsafe(4 + FIXED_BYTES + head.length + body.length);
  out.writeUInt32BE(FIXED_BYTES + head.length + body.length, 0);
  out.writeUInt16BE(THEADER_MAGIC, 4);
  out.writeUInt16BE((header.flags ?? 0) & 0xffff, 6);
  out.writeInt32BE(header.seqid | 0, 8);
  out.writeUInt16BE(head.length / 4, 12);
  Buffer.from(head).copy(out, 14);
  body.copy(out, 14 + head.length);
  return out;
}

function readVarint(buf: Buffer, cur: { pos: number }, end: number): number {
  let result = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (cur.pos >= end) throw new ThriftDecodeError('THeader varint runs past the header');
    const b = buf[cur.pos++]!;
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return result;
  }
  throw new ThriftDecodeError('THeader varint too long');
}

function readString(buf: Buffer, cur: { pos: number }, end: number): string {
  const len = readVarint(buf, cur, end);
  if (cur.pos + len > end) throw new ThriftDecodeError('THeader string runs past the header');
  const s = buf.toString('utf8', cur.pos, cur.pos + len);
  cur.pos += len;
  return s;
}

function writeVarint(out: number[], value: number): void {
  let n = value >>> 0;
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
}

function writeString(out: number[], value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  writeVarint(out, bytes.length);
  for (const b of bytes) out.push(b);
}
