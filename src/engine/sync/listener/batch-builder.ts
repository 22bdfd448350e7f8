/**
 * Gathers consumed WAL entries into the batches a listener ships: contiguous log id ranges of at
 * most SHIP_BATCH_ENTRIES_MAX units and SHIP_BATCH_BYTES_MAX payload bytes. A unit is a data
 * entry or a schema change; a meta entry about something else costs nothing but still widens the
 * range, so partition 0's position moves on cheaply. While the window is full, entries keep
 * joining the open batch: a backlog ships in few large batches, a trickle in small prompt ones.
 */
import { ByteReader } from '../../wal/byte-io.ts';
import type { SchemaChangeMsg, WalBatchMsg } from '../wire.ts';
import { SHIP_BATCH_BYTES_MAX, SHIP_BATCH_ENTRIES_MAX } from './listener-limits.ts';

/** Bytes before the varints of an encoded WalEntry: version u8 + crc32 u32 (wal-codec.ts). */
const WAL_HEADER_BYTES = 5;

/** The ts of an encoded WalEntry, read from its header without decoding the ops. */
export function walEntryTs(bytes: Buffer): number {
  const r = new ByteReader(bytes, WAL_HEADER_BYTES);
  r.uvar(); // logId
  r.uvar(); // term
  return r.uvar();
}

interface OpenBatch {
  first: number;
  last: number;
  lastTs: number;
  entries: Buffer[];
  changes: SchemaChangeMsg[];
  units: number;
  bytes: number;
}

export interface BatchLimits {
  readonly entriesMax: number;
  readonly bytesMax: number;
}

export class BatchBuilder {
  private readonly closed: WalBatchMsg[] = [];
  private open: OpenBatch | undefined;
  private sourceLastLogId = 0;
  private sourceLastTs = 0;

  constructor(private readonly limits: BatchLimits = { entriesMax: SHIP_BATCH_ENTRIES_MAX, bytesMax: SHIP_BATCH_BYTES_MAX }) {}

  /** Add entry `logId` (the next after the previous one) with its payload and schema changes. */
  add(logId: number, ts: number, payload: Buffer | undefined, changes: readonly SchemaChangeMsg[] = []): void {
    this.addRange(logId, logId, ts, payload, changes);
  }

  /**
   * Add the range [first, last] (following the previous one) that carries `changes` and at most
   * one payload; `ts` is entry `last`'s. A meta range costs only its changes.
   */
  addRange(first: number, last: number, ts: number, payload: Buffer | undefined, changes: readonly SchemaChangeMsg[] = []): void {
    const units = (payload === undefined ? 0 : 1) + changes.length;
    const bytes = (payload?.length ?? 0) + changes.reduce((n, c) => n + c.props_json.length + c.name.length, 0);
    const open = this.open;
    if (open !== undefined && open.units > 0 && (open.units + units > this.limits.entriesMax || open.bytes + bytes > this.limits.bytesMax)) {
      this.closeOpen();
    }
    const batch = (this.open ??= { first, last, lastTs: ts, entries: [], changes: [], units: 0, bytes: 0 });
    batch.last = last;
    batch.lastTs = ts;
    if (payload !== undefined) batch.entries.push(payload);
    batch.changes.push(...changes);
    batch.units += units;
    batch.bytes += bytes;
  }

  /** Where the source WAL ended when the entries were read (reported with each batch). */
  setSourceEnd(lastLogId: number, lastTs: number): void {
    this.sourceLastLogId = lastLogId;
    this.sourceLastTs = lastTs;
  }

  /** Batches waiting, counting the open one. */
  pending(): number {
    return this.closed.length + (this.open === undefined ? 0 : 1);
  }

  /** The oldest batch to ship, closing the open one when nothing else waits. */
  take(): WalBatchMsg | undefined {
    if (this.closed.length === 0 && this.open !== undefined) this.closeOpen();
    return this.closed.shift();
  }

  private closeOpen(): void {
    const b = this.open!;
    this.open = undefined;
    this.closed.push({
      first_log_id: b.first,
      last_log_id: b.last,
      entries: b.entries,
      gone: false,
      retained_first_log_id: 0,
      source_last_log_id: Math.max(this.sourceLastLogId, b.last),
      source_last_ts: Math.max(this.sourceLastTs, b.lastTs),
      last_ts: b.lastTs,
      schema_changes: b.changes,
    });
  }
}
