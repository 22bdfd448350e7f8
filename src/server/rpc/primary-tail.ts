/**
 * One server-streaming WAL tail (Storage.TailWal, Meta.TailMetaWal): what the WAL holds from
 * `from_log_id`, then every commit as it happens, until the caller cancels. The source is read in
 * bounded steps and written only while gRPC accepts more (`write()` false -> wait for 'drain'),
 * so a slow listener slows this loop instead of filling memory. Between steps of a backlog the
 * loop yields to other I/O, so a long catch-up never holds the event loop. A partition the storage
 * engine refuses as damaged ends the call with DATA_LOSS: its bytes are never shipped, and the
 * listener retries later (with its backoff) while SHOW SYNC STATUS shows the partition lagging.
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

/** A data tail reads WAL entries as stored (the storage engine's raw read). */
export type TailEntry = RawWalEntry;

/** One step of a tail: the messages to send and where the next step starts, or `gone`. */
export type TailStep =
  | { readonly kind: 'gone'; readonly firstLogId: number; readonly lastLogId: number; readonly lastTs: number }
  | {
      readonly kind: 'batches';
      readonly batches: readonly Partial<WalBatchMsg>[];
      /** The log id the next step starts at. */
      readonly next: number;
      /** The source WAL's last log id: a step ending before it leaves more to read at once. */
      readonly lastLogId: number;
    };

/** A WAL as a tail sees it: bounded reads, and a commit notification. */
export interface TailSource {
  /** What follows `from` (at most `max` entries' worth), as messages; `gone` when retention dropped `from`. */
  read(from: number, max: number): TailStep;
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

/** A raw WAL read as one tail step: contiguous entries cut into messages by bytes. */
export function entryStep(read: RawWalRead, from: number): TailStep {
  if (read.kind === 'gone') return read;
  const batches = splitByBytes(read.entries).map((group) => batchOf(group, read));
  const next = read.entries.length > 0 ? read.entries[read.entries.length - 1]!.logId + 1 : from;
  return { kind: 'batches', batches, next, lastLogId: read.lastLogId };
}

const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

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
      const step = readUndamaged(call, () => source.read(next, TAIL_READ_ENTRIES_MAX));
      if (step === undefined) return;
      if (step.kind === 'gone') {
        call.write({ gone: true, retained_first_log_id: step.firstLogId, source_last_log_id: step.lastLogId, source_last_ts: step.lastTs });
        call.end();
        return;
      }
      for (const batch of step.batches) {
        if (signal.aborted) return;
        await writeWithBackpressure(call, batch, signal);
      }
      next = step.next;
      if (next <= step.lastLogId) {
        dirty = true;
        await yieldToIo();
      }
    }
  } finally {
    unsubscribe();
    release();
  }
}
