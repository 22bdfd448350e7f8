/**
 * The replication messages as TypeScript sees them after @grpc/proto-loader (keepCase, longs as
 * strings, defaults on): int64 fields arrive as decimal strings and are sent as strings or numbers.
 * src/server/rpc/nebula_sync.proto is the source of truth; these mirror it.
 */

/** An int64 field as it arrives (proto-loader `longs: String`). */
export type Int64Text = string;

export interface SourceSpaceMsg {
  cluster_id: string;
  space_name: string;
  space_id: number;
  partition_num: number;
  vid_type: 'INT64' | 'FIXED_STRING' | string;
  vid_length: number;
  /** What the source space descends from, nearest first (absent from older senders). */
  lineage?: LineageLinkMsg[];
}

export interface LineageLinkMsg {
  cluster_id: string;
  space_name: string;
}

export interface AssignmentMsg {
  source: SourceSpaceMsg | null;
  target_space: string;
  parts: number[];
  drainers: string[];
  stopped: boolean;
}

export interface AssignmentReplyMsg {
  code: number;
  message: string;
  assignments: AssignmentMsg[];
  storage_hosts: string[];
  cluster_id: string;
}

export interface SchemaChangeMsg {
  log_id: Int64Text | number;
  ts: Int64Text | number;
  kind: 'TAG' | 'EDGE' | string;
  name: string;
  source_id: number;
  version: number;
  props_json: string;
  dropped: boolean;
  comment: string;
}

export interface WalBatchMsg {
  first_log_id: Int64Text | number;
  last_log_id: Int64Text | number;
  entries: Buffer[];
  gone: boolean;
  retained_first_log_id: Int64Text | number;
  source_last_log_id: Int64Text | number;
  source_last_ts: Int64Text | number;
  last_ts: Int64Text | number;
  schema_changes: SchemaChangeMsg[];
}

export interface SnapshotChunkMsg {
  log_id: Int64Text | number;
  ts: Int64Text | number;
  rows: Buffer;
  last: boolean;
  /** The chunk that starts a snapshot; absent reads as false (proto3 default). */
  first?: boolean;
}

export interface PositionMsg {
  applied_log_id: Int64Text | number;
  applied_ts: Int64Text | number;
  needs_snapshot: boolean;
}

export interface ApplyRequestMsg {
  source: SourceSpaceMsg;
  target_space: string;
  part: number;
  drainer: string;
  batch?: WalBatchMsg;
  snapshot?: SnapshotChunkMsg;
  position_only?: boolean;
  /** proto-loader `oneofs: true`: which body is set. */
  body?: 'batch' | 'snapshot' | 'position_only';
}

export interface ApplyReplyMsg {
  code: number;
  message: string;
  position: PositionMsg | null;
}

/**
 * Payload bytes of a request carrying a batch or a snapshot chunk (an ApplyRequest or a
 * ShipRequest): entries, rows and schema changes, what makes a message big. The links that put
 * many requests in one message keep it under MANY_MESSAGE_BYTES_MAX with it.
 */
export function payloadBytes(req: { batch?: WalBatchMsg | null; snapshot?: SnapshotChunkMsg | null }): number {
  let bytes = req.snapshot?.rows?.length ?? 0;
  for (const e of req.batch?.entries ?? []) bytes += e.length;
  for (const c of req.batch?.schema_changes ?? []) bytes += c.props_json.length + c.name.length + c.comment.length;
  return bytes;
}

/**
 * Payload bytes of one ApplyManyRequest or ShipFrames message, at most (a single larger request
 * still goes, alone): under gRPC's default 4 MiB receive limit of the drainer and the secondary.
 */
export const MANY_MESSAGE_BYTES_MAX = 3 * 1024 * 1024;

/** Items in one ApplyManyRequest, at most (a secondary ends a stream that sends more). */
export const APPLY_MANY_ITEMS_MAX = 64;

/** Storage.ApplyDataMany: applies of several partitions in one message, answered in one. */
export interface ApplyManyRequestMsg {
  items: ApplyRequestMsg[];
}

export interface ApplyManyReplyMsg {
  items: ApplyReplyMsg[];
}

export interface ShipHelloMsg {
  source: SourceSpaceMsg;
  target_space: string;
  part: number;
  listener: string;
}

export interface ShipRequestMsg {
  hello?: ShipHelloMsg;
  batch?: WalBatchMsg;
  snapshot?: SnapshotChunkMsg;
  body?: 'hello' | 'batch' | 'snapshot';
}

export interface ShipReplyMsg {
  code: number;
  message: string;
  position: PositionMsg | null;
}

/** Drainer.ShipMany: one frame of one virtual Ship stream. */
export interface ShipFrameMsg {
  stream: number;
  request?: ShipRequestMsg | null;
  reply?: ShipReplyMsg | null;
  close?: boolean;
}

export interface ShipFramesMsg {
  frames: ShipFrameMsg[];
}

/** Frames in one ShipFrames message, at most; virtual streams open on one ShipMany call, at most. */
export const SHIP_FRAMES_MAX = 256;
export const SHIP_MANY_STREAMS_MAX = 1_024;

export interface PartProgressMsg {
  part: number;
  shipping: boolean;
  acked_log_id: Int64Text | number;
  acked_ts: Int64Text | number;
  received_log_id: Int64Text | number;
  received_ts: Int64Text | number;
  outstanding?: number;
  unacked_ms?: Int64Text | number;
  position_unknown?: boolean;
  target_space?: string;
  ok_age_ms?: Int64Text | number;
  error?: PartErrorMsg | null;
}

export interface PartErrorMsg {
  code: number;
  message: string;
  count: Int64Text | number;
  first_age_ms: Int64Text | number;
  last_age_ms: Int64Text | number;
}

export interface ProgressReportMsg {
  role: string;
  host: string;
  port: number;
  space: string;
  parts: PartProgressMsg[];
}

/** An int64 field to a JS number (log ids and ms timestamps stay far below 2^53). */
export function num(v: Int64Text | number | null | undefined): number {
  return v === null || v === undefined || v === '' ? 0 : Number(v);
}

/** Code for a data entry written with a schema version the secondary does not have yet. */
export const E_SCHEMA_PENDING = -4009;
/**
 * Code for a sync the secondary refuses because its target space is in the source's lineage: it
 * would close a cycle (A -> B -> A). Not one of NebulaGraph's codes; chosen clear of theirs.
 */
export const E_SYNC_CYCLE = -4020;
/**
 * Code for an apply of ApplyDataMany that a VERIFY SYNC holds at its barrier: the secondary applied
 * what lies up to the barrier (the answer's position) and the drainer sends the request again,
 * with backoff, until the verify lets go (its entries up to the position are then skipped). An
 * item of a shared message cannot wait on the secondary: the message's answer, and with it every
 * other partition in it, would wait too, and those partitions could then never reach their own
 * barriers. Not a refusal; chosen clear of NebulaGraph's codes.
 */
export const E_VERIFY_HOLD = -4021;
