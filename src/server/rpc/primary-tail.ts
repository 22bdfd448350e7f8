/**
 * One server-streaming WAL tail (Storage.TailWal, Meta.TailMetaWal): what the WAL holds from
 * `from_log_id`, then every commit as it happens, until the caller cancels. The source is read in
 * bounded batches and written only while gRPC accepts more (`write()` false -> wait for 'drain'),
 * so a slow listener slows this loop instead of filling memory. A partition the storage engine
 * refuses as damaged ends the call with DATA_LOSS: its bytes are never shipped, and the listener
 * retries later (with its backoff) while SHOW SYNC STATUS shows the partition lagging.
 */
import * as grpc from '@grpc/grpc-js';
import { StorageDamagedError } from '../../engine/storage/damage.ts';
import type { RawWalEntry, RawWalRead } from '../../engine/storage/types.ts';
import type { WalBatchMsg } from '../../engine/sync/wire.ts';

/** Entries read from the WAL per read; each read may still be sent as several messages. */
export const TAIL_READ_ENTRIES_MAX = 1000;
/** Payload bytes of one streamed batch: bounds what a listener buffers per stream. */
export const TAIL_BATCH_BYTES_MAX = 256 * 1024;
/** A tail re-reads its WAL this often even without a commit notification: a cheap safety net. */
const TAIL_IDLE_RECHECK_MS = 1_000;

/** A tail reads WAL entries as stored (the storage engine's raw read), meta and data alike. */
export type TailEntry = RawWalEntry;
export type TailRead = RawWalRead;

/** A WAL as a tail sees it: bounded reads, and a commit notification. */
export interface TailSource {
  /** At most `max` entries from `from`, oldest first, contiguous; `gone` when retention dropped `from`. */
  read(from: number, max: number): TailRead;
  /** Call `wake` after commits that may concern this tail; answers an unsubscribe. */
  subscribe(wake: () => void): () => void;
  /**
   * STOP SYNC of the space this tail serves: checked before every read, so nothing committed after
   * STOP SYNC answered its client is shipped (the listener learns of the stop a poll later).
   */
  stopped?(): boolean;
}

/** Resolves when `register`'s callback fires, the signal aborts, or `timeoutMs` passes. */
function waitFor(register: (done: () => void) => () => void, signal: AbortSignal, timeoutMs?: number): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    let timer: NodeJS.Timeout | undefined;
    let unregister = (): void => undefined;
    const done = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      unregister();
      signal.removeEventListener('abort', done);
      resolve();
    };
    unregister = register(done);
    signal.addEventListener('abort', done, { once: true });
    if (timeoutMs !== undefined) timer = setTimeout(done, timeoutMs);
  });
}

/** An AbortSignal that fires when the call ends for any reason (cancel, close, error). */
export function callSignal(call: grpc.ServerWritableStream<unknown, unknown>): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  const events = ['cancelled', 'close', 'error', 'finish'] as const;
  for (const e of events) call.on(e, stop);
  if (call.cancelled) controller.abort();
  return { signal: controller.signal, release: () => events.forEach((e) => call.off(e, stop)) };
}

/** Write `msg`; when gRPC's buffer is full, wait for 'drain' (or the end of the call). */
export async function writeWithBackpressure(
  call: grpc.ServerWritableStream<unknown, unknown>,
  msg: object,
  signal: AbortSignal,
): Promise<void> {
  if (call.write(msg)) return;
  await waitFor((done) => {
    call.once('drain', done);
    return () => call.off('drain', done);
  }, signal);
}

/**
 * Run `read`; when the storage engine refuses damaged data, end `call` with DATA_LOSS (the damage
 * is already logged once by the engine) and answer undefined. Other errors propagate.
 */
export function readUndamaged<T>(call: grpc.ServerWritableStream<unknown, unknown>, read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if (!(err instanceof StorageDamagedError)) throw err;
    call.emit('error', { code: grpc.status.DATA_LOSS, details: `Storage Error: ${err.message}`, metadata: new grpc.Metadata() });
    return undefined;
  }
}

/** Entries cut into messages of at most TAIL_BATCH_BYTES_MAX payload bytes (at least one entry each). */
export function splitByBytes(entries: readonly TailEntry[], bytesMax = TAIL_BATCH_BYTES_MAX): TailEntry[][] {
  const out: TailEntry[][] = [];
  let current: TailEntry[] = [];
  let bytes = 0;
  for (const e of entries) {
    if (current.length > 0 && bytes + e.bytes.length > bytesMax) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(e);
    bytes += e.bytes.length;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function batchOf(entries: readonly TailEntry[], read: { lastLogId: number; lastTs: number }): Partial<WalBatchMsg> {
  const last = entries[entries.length - 1]!;
  return {
    first_log_id: entries[0]!.logId,
    last_log_id: last.logId,
    entries: entries.map((e) => e.bytes),
    source_last_log_id: read.lastLogId,
    source_last_ts: read.lastTs,
    last_ts: last.ts,
  };
}

/**
 * Stream `source` from `from` into `call` until the call ends. A `from` older than retention
 * answers one `gone` batch and ends the stream: the listener takes a snapshot instead.
 */
export async function pumpTail(call: grpc.ServerWritableStream<unknown, unknown>, source: TailSource, from: number): Promise<void> {
  const { signal, release } = callSignal(call);
  // Level-triggered: a commit between a read and the wait is not lost, it leaves `dirty` set.
  let dirty = true;
  let wake: (() => void) | undefined;
  const unsubscribe = source.subscribe(() => {
    dirty = true;
    wake?.();
  });
  try {
    let next = Math.max(1, from);
    while (!signal.aborted) {
      if (!dirty) {
        await waitFor((done) => {
          wake = done;
          return () => (wake = undefined);
        }, signal, TAIL_IDLE_RECHECK_MS);
        dirty = true;
        continue;
      }
      dirty = false;
      if (source.stopped?.() === true) {
        call.end();
        return;
      }
      const read = readUndamaged(call, () => source.read(next, TAIL_READ_ENTRIES_MAX));
      if (read === undefined) return;
      if (read.kind === 'gone') {
        call.write({ gone: true, retained_first_log_id: read.firstLogId, source_last_log_id: read.lastLogId, source_last_ts: read.lastTs });
        call.end();
        return;
      }
      for (const group of splitByBytes(read.entries)) {
        if (signal.aborted) return;
        await writeWithBackpressure(call, batchOf(group, read), signal);
      }
      if (read.entries.length > 0) next = read.entries[read.entries.length - 1]!.logId + 1;
      if (next <= read.lastLogId) dirty = true;
    }
  } finally {
    unsubscribe();
    release();
  }
}
