/**
 * The messages between the main thread and the storage writer thread (storage-worker.ts).
 *
 * Writes go one way as `WriteRequest`s (write-batch.ts) and come back, after their group's COMMIT,
 * in one `Committed` message per group: the log ids each write got, or why it failed. Everything
 * else is a `ControlCall` the main thread waits for synchronously (open files are closed, a purge
 * answers its count) and gets one `ControlReply`.
 */
import type { WriteRequest } from './write-batch.ts';

export interface OpenSpace {
  readonly kind: 'open';
  readonly space: string;
  readonly file: string;
  readonly partitionNum: number;
  readonly fsync: boolean;
}

export type WorkerRequest = WriteRequest | OpenSpace | PurgeRequest | ControlCall;

/** Delete WAL entries older than `cutoffMs` in every open space (the retention timer); no answer. */
export interface PurgeRequest {
  readonly kind: 'purge';
  readonly cutoffMs: number;
}

/** What the main thread can ask the writer thread and wait for. */
export type ControlOp =
  | { readonly op: 'purge'; readonly cutoffMs: number }
  | { readonly op: 'close'; readonly spaces: readonly string[] }
  | { readonly op: 'ping' };

export type ControlCall = { readonly kind: 'call'; readonly seq: number } & ControlOp;

export type ControlReply =
  | { readonly seq: number; readonly ok: true; readonly value: number }
  | { readonly seq: number; readonly ok: false; readonly error: string };

/** What one write of a group came to: its entries' log ids (in its groups' order), or an error. */
export type WriteOutcome =
  | { readonly id: number; readonly logIds: readonly number[] }
  | { readonly id: number; readonly error: SerializedError };

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

export interface Committed {
  readonly kind: 'committed';
  readonly space: string;
  readonly outcomes: readonly WriteOutcome[];
  /** Partitions that got entries (empty when the COMMIT failed and every outcome is an error). */
  readonly parts: readonly number[];
  /**
   * The rowids of the `wal` rows the group inserted, first and last (every rowid between is one
   * of them: the writer is the only one inserting there, and SQLite numbers each new row one past
   * the largest). The main thread reads a commit's entries of every partition at once by them
   * (space-store.ts, the WAL feed). Absent when the COMMIT failed.
   */
  readonly walRowids?: readonly [number, number];
}

/** A failure the writer thread reports once, for the log (it keeps serving). */
export interface WorkerLog {
  readonly kind: 'log';
  readonly level: 'warn' | 'error';
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

export type WorkerEvent = Committed | WorkerLog;

export function serializeError(err: unknown): SerializedError {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? { name: e.name, message: e.message, code } : { name: e.name, message: e.message };
}

export function deserializeError(s: SerializedError): Error {
  const e = new Error(s.message);
  e.name = s.name;
  if (s.code !== undefined) (e as Error & { code: string }).code = s.code;
  return e;
}
