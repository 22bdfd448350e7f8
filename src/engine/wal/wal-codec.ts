/**
 * WAL entry <-> bytes, with a version byte and a CRC32 over everything after the checksum.
 *
 * Layout: `u8 version | u32 crc32 | uvar logId | uvar term | uvar ts | uvar nOps | op...`, where an
 * op is `u8 kind` followed by its fields (vids and props in the value codec). The checksum is
 * verified on every decode: the same bytes are what a listener ships and a drainer spools, so a
 * flipped bit anywhere on that path is refused instead of applied.
 */
import { strict as assert } from 'node:assert';
import { crc32 } from 'node:zlib';
import type { DataOp, WalEntry } from '../storage/types.ts';
import { ByteReader, ByteWriter, CodecError } from './byte-io.ts';
import { readProps, readVid, writeProps, writeValue } from './value-codec.ts';

/** Format version of an encoded entry; bump when the layout changes. */
export const WAL_CODEC_VERSION = 1;
const HEADER_BYTES = 5;

const OP_PUT_TAG = 1;
const OP_DELETE_TAG = 2;
const OP_DELETE_VERTEX = 3;
const OP_PUT_EDGE = 4;
const OP_DELETE_EDGE = 5;

const writer = new ByteWriter();

/** Where an op's props landed in the entry: [start, end) byte offsets, or -1 when it has none. */
function writeOp(w: ByteWriter, op: DataOp): number {
  switch (op.op) {
    case 'putTag': {
      w.u8(OP_PUT_TAG);
      writeValue(w, op.vid);
      w.svar(op.tagId);
      w.uvar(op.ver);
      const start = w.pos;
      writeProps(w, op.props);
      return start;
    }
    case 'deleteTag':
      w.u8(OP_DELETE_TAG);
      writeValue(w, op.vid);
      w.svar(op.tagId);
      return -1;
    case 'deleteVertex':
      w.u8(OP_DELETE_VERTEX);
      writeValue(w, op.vid);
      return -1;
    case 'putEdge': {
      w.u8(OP_PUT_EDGE);
      writeValue(w, op.src);
      w.svar(op.etype);
      w.i64(op.rank);
      writeValue(w, op.dst);
      w.uvar(op.ver);
      const start = w.pos;
      writeProps(w, op.props);
      return start;
    }
    case 'deleteEdge':
      w.u8(OP_DELETE_EDGE);
      writeValue(w, op.src);
      w.svar(op.etype);
      w.i64(op.rank);
      writeValue(w, op.dst);
      return -1;
  }
}

function readOp(r: ByteReader): DataOp {
  const kind = r.u8();
  switch (kind) {
    case OP_PUT_TAG:
      return { op: 'putTag', vid: readVid(r), tagId: r.svar(), ver: r.uvar(), props: readProps(r) };
    case OP_DELETE_TAG:
      return { op: 'deleteTag', vid: readVid(r), tagId: r.svar() };
    case OP_DELETE_VERTEX:
      return { op: 'deleteVertex', vid: readVid(r) };
    case OP_PUT_EDGE:
      return { op: 'putEdge', src: readVid(r), etype: r.svar(), rank: r.i64(), dst: readVid(r), ver: r.uvar(), props: readProps(r) };
    case OP_DELETE_EDGE:
      return { op: 'deleteEdge', src: readVid(r), etype: r.svar(), rank: r.i64(), dst: readVid(r) };
    default:
      throw new CodecError(`unknown op kind ${kind}`);
  }
}

/**
 * The entry as self-contained bytes with a checksum.
 * @example decodeWalEntry(encodeWalEntry({ logId: 1, term: 1, ts: Date.now(), ops: [] }))
 */
export function encodeWalEntry(entry: WalEntry): Buffer {
  return encodeWalEntryWithProps(entry).bytes;
}

/**
 * The entry's bytes, and for each op the bytes of its props inside them (views, no copy; undefined
 * for ops without props): the storage engine stores those as the rows' props blobs, which have
 * exactly the layout `encodeProps` gives, so a row's props are encoded once, not twice.
 */
export function encodeWalEntryWithProps(entry: WalEntry): { bytes: Buffer; props: (Buffer | undefined)[] } {
  assert(Number.isSafeInteger(entry.logId) && entry.logId >= 0, 'logId must be a non-negative integer');
  assert(Number.isSafeInteger(entry.term) && entry.term >= 0, 'term must be a non-negative integer');
  assert(Number.isSafeInteger(entry.ts) && entry.ts >= 0, 'ts must be a non-negative integer');
  const w = writer;
  w.reset();
  w.u8(WAL_CODEC_VERSION);
  w.i32(0);
  w.uvar(entry.logId);
  w.uvar(entry.term);
  w.uvar(entry.ts);
  w.uvar(entry.ops.length);
  const ranges: number[] = [];
  for (const op of entry.ops) {
    const start = writeOp(w, op);
    ranges.push(start, start < 0 ? -1 : w.pos);
  }
  w.u32At(1, crc32(w.view().subarray(HEADER_BYTES)));
  const bytes = w.finish();
  const props: (Buffer | undefined)[] = [];
  for (let i = 0; i < ranges.length; i += 2) props.push(ranges[i]! < 0 ? undefined : bytes.subarray(ranges[i]!, ranges[i + 1]!));
  return { bytes, props };
}

export type WalDecode = { readonly ok: true; readonly entry: WalEntry } | { readonly ok: false; readonly reason: string };

/** Decode bytes that came from outside (the network, a spool file): corruption is a value. */
export function tryDecodeWalEntry(buf: Uint8Array): WalDecode {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < HEADER_BYTES) return { ok: false, reason: 'WAL entry shorter than its header' };
  if (b[0] !== WAL_CODEC_VERSION) return { ok: false, reason: `unknown WAL entry version ${b[0]}` };
  const expected = b.readUInt32LE(1);
  const actual = crc32(b.subarray(HEADER_BYTES));
  if (expected !== actual) return { ok: false, reason: `WAL entry checksum mismatch (${expected} != ${actual})` };
  try {
    const r = new ByteReader(b, HEADER_BYTES);
    const logId = r.uvar();
    const term = r.uvar();
    const ts = r.uvar();
    const ops: DataOp[] = new Array(r.uvar());
    for (let i = 0; i < ops.length; i++) ops[i] = readOp(r);
    if (!r.atEnd()) return { ok: false, reason: 'trailing bytes after WAL entry' };
    return { ok: true, entry: { logId, term, ts, ops } };
  } catch (e) {
    if (e instanceof CodecError || e instanceof RangeError) return { ok: false, reason: e.message };
    throw e;
  }
}

/**
 * Decode bytes this process wrote itself (its own SQLite WAL table): corruption there is a broken
 * invariant, so it asserts rather than returning.
 */
export function decodeWalEntry(buf: Uint8Array): WalEntry {
  const d = tryDecodeWalEntry(buf);
  assert(d.ok, d.ok ? '' : `corrupt WAL entry: ${d.reason}`);
  return d.entry;
}
