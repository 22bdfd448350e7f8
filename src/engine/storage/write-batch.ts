/**
 * One `write(ops)` as the storage writer thread takes it, built on the main thread.
 *
 * The main thread groups the ops by partition, encodes each group's ops once (the body of its
 * WAL entry, wal-codec's `writeOpsBody`) and computes every row's checksum; the writer thread
 * only puts each entry's header in front (log id and ts are its to assign) and runs the SQL.
 * Everything travels in flat arrays: the bodies in one buffer that is moved to the writer, not
 * copied, the per-op numbers in an Int32Array, the keys (vids, ranks) in plain arrays, which the
 * structured clone copies cheaply. A 500-row write is one message.
 */
import { strict as assert } from 'node:assert';
import { ByteWriter } from '../wal/byte-io.ts';
import { writeOpsBody } from '../wal/wal-codec.ts';
import { rowCrcOfImage } from './row-checksum.ts';
import type { DataOp, SyncPosition, Vid, WalEntry } from './types.ts';

/** The only term a single-replica partition ever has. */
export const TERM = 1;

/** One WAL entry a write made: its partition and the entry. */
export interface WrittenEntry {
  readonly part: number;
  readonly entry: WalEntry;
}

/**
 * Group `ops` by partition (tag and vertex ops by vid, edge ops by src), in first-seen order and
 * keeping their order within a partition; every vid is checked against the space's vid type first.
 */
export function groupByPart(ops: readonly DataOp[], partOf: (vid: Vid) => number): Map<number, DataOp[]> {
  const groups = new Map<number, DataOp[]>();
  for (const op of ops) {
    const edge = op.op === 'putEdge' || op.op === 'deleteEdge';
    const part = partOf(edge ? op.src : op.vid);
    if (edge) {
      if (typeof op.rank !== 'bigint') assert.fail('an edge rank must be a bigint');
      partOf(op.dst);
    }
    const g = groups.get(part);
    if (g === undefined) groups.set(part, [op]);
    else g.push(op);
  }
  return groups;
}

/** Op kinds in `WriteRequest.ops`. */
export const OpKind = { putTag: 1, deleteTag: 2, deleteVertex: 3, putEdge: 4, deleteEdge: 5 } as const;

/** Int32 slots per group in `WriteRequest.groups`: part, body start, body end, first op, op count. */
export const GROUP_SLOTS = 5;
/** Int32 slots per op in `WriteRequest.ops`: kind, props start, props end, crc, tag id or edge type, ver. */
export const OP_SLOTS = 6;

export interface WriteRequest {
  readonly kind: 'write';
  /** The engine's id of the write, echoed in its answer. */
  readonly id: number;
  readonly space: string;
  /** ts of every entry of this write, ms since the epoch. */
  readonly ts: number;
  readonly position: SyncPosition | undefined;
  /** Every group's ops body, back to back. */
  readonly bodies: Uint8Array;
  readonly groups: Int32Array;
  readonly ops: Int32Array;
  /** The vid of each tag op; src then dst of each edge op; in op order. */
  readonly keys: Vid[];
  /** The rank of each edge op, in op order. */
  readonly ranks: bigint[];
}

const scratch = new ByteWriter();

/**
 * A client write that would make a WAL entry past `limits.walEntryBytesMax` in some partition:
 * refused before anything is written (the executor answers it as a "Storage Error"), because an
 * entry that large could not travel the internal links, and its partition would never sync.
 */
export class WriteTooLargeError extends Error {
  constructor(
    readonly part: number,
    readonly bytes: number,
    readonly bytesMax: number,
  ) {
    super(`the write makes a WAL entry of ${bytes} bytes in partition ${part}, more than ${bytesMax}`);
    this.name = 'WriteTooLargeError';
  }
}

/** The partition whose entry in `req` is largest, and that entry's ops bytes. */
export function largestEntry(req: WriteRequest): { readonly part: number; readonly bytes: number } {
  let part = 0;
  let bytes = 0;
  for (let g = 0; g < req.groups.length; g += GROUP_SLOTS) {
    const size = req.groups[g + 2]! - req.groups[g + 1]!;
    if (size > bytes) {
      bytes = size;
      part = req.groups[g]!;
    }
  }
  return { part, bytes };
}

/**
 * The request for `groups` (partition -> ops, in the order they are to be logged), and the buffer
 * to transfer with it.
 */
export function buildWriteRequest(
  id: number,
  space: string,
  groups: ReadonlyMap<number, readonly DataOp[]>,
  ts: number,
  position: SyncPosition | undefined,
): WriteRequest {
  let opCount = 0;
  for (const ops of groups.values()) opCount += ops.length;
  const groupInts = new Int32Array(groups.size * GROUP_SLOTS);
  const opInts = new Int32Array(opCount * OP_SLOTS);
  const keys: Vid[] = [];
  const ranks: bigint[] = [];
  const w = scratch;
  w.reset();
  let g = 0;
  let first = 0;
  for (const [part, ops] of groups) {
    const start = w.pos;
    writeOpsBody(w, ops, (i, image, props, end) => {
      const o = (first + i) * OP_SLOTS;
      const op = ops[i]!;
      opInts[o] = OpKind[op.op];
      if (props >= 0) {
        opInts[o + 1] = props;
        opInts[o + 2] = end;
        opInts[o + 3] = rowCrcOfImage(part, w.view().subarray(image, end)) | 0;
      }
      switch (op.op) {
        case 'putTag':
          opInts[o + 4] = op.tagId;
          opInts[o + 5] = op.ver;
          keys.push(op.vid);
          return;
        case 'deleteTag':
          opInts[o + 4] = op.tagId;
          keys.push(op.vid);
          return;
        case 'deleteVertex':
          keys.push(op.vid);
          return;
        case 'putEdge':
          opInts[o + 4] = op.etype;
          opInts[o + 5] = op.ver;
          keys.push(op.src, op.dst);
          ranks.push(op.rank);
          return;
        case 'deleteEdge':
          opInts[o + 4] = op.etype;
          keys.push(op.src, op.dst);
          ranks.push(op.rank);
          return;
      }
    });
    groupInts.set([part, start, w.pos, first, ops.length], g * GROUP_SLOTS);
    first += ops.length;
    g++;
  }
  // A fresh buffer (not Buffer's shared pool), so that it can be moved to the writer thread.
  const bodies = new Uint8Array(w.pos);
  bodies.set(w.view());
  return { kind: 'write', id, space, ts, position, bodies, groups: groupInts, ops: opInts, keys, ranks };
}
