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
import type { DataOp, Props, Vid, WalEntry } from '../storage/types.ts';
import { ByteReader, ByteWriter, CodecError } from './byte-io.ts';
import { decodeProps, readProps, readVid, skipProps, writeProps, writeValue } from './value-codec.ts';

/** Format version of an encoded entry; bump when the layout changes. */
export const WAL_CODEC_VERSION = 1;
const HEADER_BYTES = 5;

const OP_PUT_TAG = 1;
const OP_DELETE_TAG = 2;
const OP_DELETE_VERTEX = 3;
const OP_PUT_EDGE = 4;
const OP_DELETE_EDGE = 5;

const writer = new ByteWriter();

/**
 * The identity and schema version of a tag row, as a putTag op carries them right before its
 * props. The storage engine's row checksum covers these bytes followed by the props
 * (storage/row-checksum.ts), so the WAL and the checksum share this one layout.
 */
export function writeTagKey(w: ByteWriter, vid: Vid, tagId: number, ver: number): void {
  writeValue(w, vid);
  w.svar(tagId);
  w.uvar(ver);
}

/** The same for an edge row: what a putEdge op carries before its props. */
export function writeEdgeKey(w: ByteWriter, src: Vid, etype: number, rank: bigint, dst: Vid, ver: number): void {
  writeValue(w, src);
  w.svar(etype);
  w.i64(rank);
  writeValue(w, dst);
  w.uvar(ver);
}

/** Where a put op's row image (key, then props) and its props start; -1 for ops without props. */
interface OpSpan {
  image: number;
  props: number;
}

export type PutTag = Extract<DataOp, { op: 'putTag' }>;
export type PutEdge = Extract<DataOp, { op: 'putEdge' }>;

/**
 * A putTag whose props stay as the entry encoded them (`lazyProps`): a secondary stores and logs
 * them as they came, so it never builds them; `props` decodes them on first use. `props` is a
 * getter of the class, which a spread (`{ ...op }`) does not copy: re-make such an op with
 * `withSchemaId`.
 */
class EncodedPutTag implements PutTag {
  readonly op = 'putTag';
  #props: Props | undefined;
  constructor(
    readonly vid: Vid,
    readonly tagId: number,
    readonly ver: number,
    readonly encodedProps: Buffer,
  ) {}
  get props(): Props {
    return (this.#props ??= decodeProps(this.encodedProps));
  }
}

/** The same for a putEdge. */
class EncodedPutEdge implements PutEdge {
  readonly op = 'putEdge';
  #props: Props | undefined;
  constructor(
    readonly src: Vid,
    readonly etype: number,
    readonly rank: bigint,
    readonly dst: Vid,
    readonly ver: number,
    readonly encodedProps: Buffer,
  ) {}
  get props(): Props {
    return (this.#props ??= decodeProps(this.encodedProps));
  }
}

/** A putTag whose props are `encoded` (value-codec's `encodeProps` layout), decoded only if asked for. */
export function putTagWithEncodedProps(vid: Vid, tagId: number, ver: number, encoded: Buffer): PutTag {
  return new EncodedPutTag(vid, tagId, ver, encoded);
}

/** The same for a putEdge. */
export function putEdgeWithEncodedProps(src: Vid, etype: number, rank: bigint, dst: Vid, ver: number, encoded: Buffer): PutEdge {
  return new EncodedPutEdge(src, etype, rank, dst, ver, encoded);
}

/**
 * `op` naming another tag id or edge type (a secondary maps the source's ids to its own), its
 * props still encoded where they were.
 */
export function withSchemaId<T extends DataOp>(op: T, id: number): T;
export function withSchemaId(op: DataOp, id: number): DataOp {
  switch (op.op) {
    case 'putTag':
      return op.encodedProps === undefined ? { ...op, tagId: id } : new EncodedPutTag(op.vid, id, op.ver, op.encodedProps);
    case 'putEdge':
      return op.encodedProps === undefined ? { ...op, etype: id } : new EncodedPutEdge(op.src, id, op.rank, op.dst, op.ver, op.encodedProps);
    case 'deleteTag':
      return { ...op, tagId: id };
    case 'deleteEdge':
      return { ...op, etype: id };
    case 'deleteVertex':
      return op;
  }
}

function writeOp(w: ByteWriter, op: DataOp, span: OpSpan): void {
  span.image = -1;
  span.props = -1;
  switch (op.op) {
    case 'putTag':
      w.u8(OP_PUT_TAG);
      span.image = w.pos;
      writeTagKey(w, op.vid, op.tagId, op.ver);
      span.props = w.pos;
      if (op.encodedProps === undefined) writeProps(w, op.props);
      else w.raw(op.encodedProps);
      return;
    case 'deleteTag':
      w.u8(OP_DELETE_TAG);
      writeValue(w, op.vid);
      w.svar(op.tagId);
      return;
    case 'deleteVertex':
      w.u8(OP_DELETE_VERTEX);
      writeValue(w, op.vid);
      return;
    case 'putEdge':
      w.u8(OP_PUT_EDGE);
      span.image = w.pos;
      writeEdgeKey(w, op.src, op.etype, op.rank, op.dst, op.ver);
      span.props = w.pos;
      if (op.encodedProps === undefined) writeProps(w, op.props);
      else w.raw(op.encodedProps);
      return;
    case 'deleteEdge':
      w.u8(OP_DELETE_EDGE);
      writeValue(w, op.src);
      w.svar(op.etype);
      w.i64(op.rank);
      writeValue(w, op.dst);
      return;
  }
}

/** The props at `r` as a view of their bytes, their shape checked (`skipProps`), nothing built. */
function propsBytes(r: ByteReader): Buffer {
  const start = r.pos;
  skipProps(r);
  return r.buf.subarray(start, r.pos);
}

function readOp(r: ByteReader, lazyProps: boolean): DataOp {
  const kind = r.u8();
  if (lazyProps && kind === OP_PUT_TAG) return new EncodedPutTag(readVid(r), r.svar(), r.uvar(), propsBytes(r));
  if (lazyProps && kind === OP_PUT_EDGE) return new EncodedPutEdge(readVid(r), r.svar(), r.i64(), readVid(r), r.uvar(), propsBytes(r));
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
  return encodeWalEntryWithRows(entry).bytes;
}

/** A put op's row inside an encoded entry: views of its bytes, no copy. */
export interface RowSpan {
  /** The props blob, exactly what `encodeProps` gives: the storage engine stores it as the row's props. */
  readonly props: Buffer;
  /** Key and schema version, then the props (`writeTagKey`/`writeEdgeKey` layout): what the row checksum covers. */
  readonly image: Buffer;
}

/**
 * The ops part of an entry, `uvar nOps | op...`, appended to `w`; for each op, `onOp` gets its
 * index and where its row image and props start and where it ends (positions in `w`; -1 for an
 * op without props). The storage engine encodes a write's bodies on the main thread this way and
 * its writer thread puts the header in front (`entryWithBody`), so a row is encoded once.
 */
export function writeOpsBody(
  w: ByteWriter,
  ops: readonly DataOp[],
  onOp: (index: number, image: number, props: number, end: number) => void,
): void {
  w.uvar(ops.length);
  const span: OpSpan = { image: -1, props: -1 };
  for (let i = 0; i < ops.length; i++) {
    writeOp(w, ops[i]!, span);
    onOp(i, span.image, span.props, w.pos);
  }
}

/**
 * An entry built one op at a time, for a writer that bounds entries by their bytes as it goes
 * (snapshot chunks): `bytes` is what the ops added so far take encoded, `take` answers the entry
 * they make (the bytes `encodeWalEntry` gives for the same ops) and starts again empty.
 */
export class EntryBuilder {
  private readonly ops = new ByteWriter();
  private readonly span: OpSpan = { image: -1, props: -1 };
  /** Ops added since the last `take`. */
  count = 0;

  add(op: DataOp): void {
    writeOp(this.ops, op, this.span);
    this.count++;
  }

  /** Encoded bytes of the ops added since the last `take`. */
  get bytes(): number {
    return this.ops.pos;
  }

  take(logId: number, term: number, ts: number): Buffer {
    const head = new ByteWriter();
    head.uvar(this.count);
    const entry = entryWithBody(logId, term, ts, Buffer.concat([head.view(), this.ops.view()]));
    this.ops.reset();
    this.count = 0;
    return entry;
  }
}

const headerWriter = new ByteWriter();

/** An entry from its header fields and an ops body (`writeOpsBody`): the bytes `encodeWalEntry` gives. */
export function entryWithBody(logId: number, term: number, ts: number, body: Uint8Array): Buffer {
  assert(Number.isSafeInteger(logId) && logId >= 0, 'logId must be a non-negative integer');
  assert(Number.isSafeInteger(term) && term >= 0, 'term must be a non-negative integer');
  assert(Number.isSafeInteger(ts) && ts >= 0, 'ts must be a non-negative integer');
  const h = headerWriter;
  h.reset();
  h.u8(WAL_CODEC_VERSION);
  h.i32(0);
  h.uvar(logId);
  h.uvar(term);
  h.uvar(ts);
  const head = h.view();
  const out = Buffer.allocUnsafe(head.length + body.length);
  head.copy(out, 0);
  out.set(body, head.length);
  out.writeUInt32LE(crc32(body, crc32(out.subarray(HEADER_BYTES, head.length))), 1);
  return out;
}

/**
 * The entry's bytes, and for each op its row inside them (undefined for ops without props): the
 * storage engine stores the props views as the rows' blobs and checksums the images, so a row is
 * encoded once, not twice.
 */
export function encodeWalEntryWithRows(entry: WalEntry): { bytes: Buffer; rows: (RowSpan | undefined)[] } {
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
  const spans: number[] = [];
  writeOpsBody(w, entry.ops, (_i, image, props, end) => spans.push(image, props, end));
  w.u32At(1, crc32(w.view().subarray(HEADER_BYTES)));
  const bytes = w.finish();
  const rows: (RowSpan | undefined)[] = [];
  for (let i = 0; i < spans.length; i += 3) {
    const image = spans[i]!;
    const end = spans[i + 2]!;
    rows.push(image < 0 ? undefined : { props: bytes.subarray(spans[i + 1]!, end), image: bytes.subarray(image, end) });
  }
  return { bytes, rows };
}

export type WalDecode = { readonly ok: true; readonly entry: WalEntry } | { readonly ok: false; readonly reason: string };

/**
 * Why `buf` is not an intact entry (short, unknown version, checksum mismatch), or undefined when
 * its checksum holds. No decoding: cheap enough for every entry a WAL tail ships.
 */
export function walEntryDamage(buf: Buffer): string | undefined {
  if (buf.length < HEADER_BYTES) return 'WAL entry shorter than its header';
  if (buf[0] !== WAL_CODEC_VERSION) return `unknown WAL entry version ${buf[0]}`;
  const expected = buf.readUInt32LE(1);
  const actual = crc32(buf.subarray(HEADER_BYTES));
  return expected === actual ? undefined : `WAL entry checksum mismatch (${expected} != ${actual})`;
}

export interface DecodeOptions {
  /**
   * Leave each put op's props encoded (`encodedProps`, views of `buf`): for a caller that only
   * writes the ops again, as a secondary does. They are checked as a full decode checks them
   * (their shape: lengths, value tags), only not built.
   */
  readonly lazyProps?: boolean;
}

/** Decode bytes that came from outside (the network, a spool file): corruption is a value. */
export function tryDecodeWalEntry(buf: Uint8Array, options: DecodeOptions = {}): WalDecode {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const damage = walEntryDamage(b);
  if (damage !== undefined) return { ok: false, reason: damage };
  try {
    const r = new ByteReader(b, HEADER_BYTES);
    const logId = r.uvar();
    const term = r.uvar();
    const ts = r.uvar();
    const ops: DataOp[] = new Array(r.uvar());
    const lazyProps = options.lazyProps === true;
    for (let i = 0; i < ops.length; i++) ops[i] = readOp(r, lazyProps);
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
