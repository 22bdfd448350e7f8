/**
 * The hooks through which the ship and apply paths report what they moved, for the Prometheus
 * figures of docs/metrics.md. The engine only calls them (one line at each point); what counts and
 * how it is exposed is the HTTP side's business (src/server/http/), so the engine does not depend
 * on a metrics library. Every hook is optional: a listener, drainer or cluster embedded without an
 * HTTP port passes none and pays nothing.
 *
 * @example
 *   const counters: ShipCounters = { sent: (space, part, req) => console.log(space, part, requestSize(req)) };
 */
import { ByteReader } from '../wal/byte-io.ts';
import type { ApplyReplyMsg, ApplyRequestMsg, ShipRequestMsg, SnapshotChunkMsg, WalBatchMsg } from './wire.ts';

/** A listener's hook: a batch or snapshot chunk of `space` (the primary's) partition `part` went out. */
export interface ShipCounters {
  sent(space: string, part: number, req: ShipRequestMsg): void;
}

/** A drainer's hook: the secondary accepted `req` for target `space`, source partition `part`. */
export interface ForwardCounters {
  forwarded(space: string, part: number, req: ShipRequestMsg): void;
}

/** A secondary's hook: it answered an ApplyData / ApplySchema request after `ms` milliseconds. */
export interface ApplyCounters {
  answered(req: ApplyRequestMsg, answer: ApplyReplyMsg, ms: number): void;
}

/** What one request carries: entries (data entries and schema changes), their bytes, snapshot rows. */
export interface RequestSize {
  readonly entries: number;
  readonly bytes: number;
  readonly snapshotRows: number;
}

/** Bytes before the varints of an encoded WalEntry: version u8 + crc32 u32 (wal-codec.ts). */
const WAL_HEADER_BYTES = 5;

/** The op count of an encoded WalEntry, read from its header (logId, term, ts, then the count). */
export function walEntryOpCount(bytes: Buffer): number {
  if (bytes.length <= WAL_HEADER_BYTES) return 0;
  const r = new ByteReader(bytes, WAL_HEADER_BYTES);
  r.uvar();
  r.uvar();
  r.uvar();
  return r.uvar();
}

function batchSize(batch: WalBatchMsg): RequestSize {
  const changes = batch.schema_changes ?? [];
  const bytes = batch.entries.reduce((n, e) => n + e.length, 0) + changes.reduce((n, c) => n + c.props_json.length + c.name.length, 0);
  return { entries: batch.entries.length + changes.length, bytes, snapshotRows: 0 };
}

function chunkSize(chunk: SnapshotChunkMsg): RequestSize {
  const rows = chunk.rows ?? Buffer.alloc(0);
  return { entries: 0, bytes: rows.length, snapshotRows: walEntryOpCount(rows) };
}

/** The size of a shipped or applied request; a hello or position-only request is empty. */
export function requestSize(req: { batch?: WalBatchMsg | undefined; snapshot?: SnapshotChunkMsg | undefined; body?: string | undefined }): RequestSize {
  const kind = req.body ?? (req.batch ? 'batch' : req.snapshot ? 'snapshot' : undefined);
  if (kind === 'batch' && req.batch) return batchSize(req.batch);
  if (kind === 'snapshot' && req.snapshot) return chunkSize(req.snapshot);
  return { entries: 0, bytes: 0, snapshotRows: 0 };
}
