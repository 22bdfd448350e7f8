/**
 * The VERIFY SYNC messages as TypeScript sees them after @grpc/proto-loader (keepCase, longs as
 * strings, defaults on); the end of src/server/rpc/nebula_sync.proto is the source of truth.
 */
import type { Int64Text, SourceSpaceMsg } from '../wire.ts';

export type VerifyPhase = 'FREEZE' | 'CUT' | 'KEYS' | 'END';

export interface VerifyCutMsg {
  part: number;
  log_id: Int64Text | number;
}

export interface VerifyBucketsMsg {
  part: number;
  sums: Buffer;
}

export interface VerifyBucketRefMsg {
  part: number;
  bucket: number;
}

export interface VerifyRequestMsg {
  verify_id: string;
  phase: VerifyPhase | string;
  source: SourceSpaceMsg | null;
  target_space: string;
  drainer: string;
  cuts: VerifyCutMsg[];
  schema_log_id: Int64Text | number;
  keys: boolean;
  buckets: VerifyBucketsMsg[];
}

export interface VerifyPartMsg {
  part: number;
  applied_log_id: Int64Text | number;
  rows: Int64Text | number;
  checksum: string;
  problem: string;
}

export interface VerifySchemaMsg {
  kind: string;
  name: string;
  checksum: string;
  props: string;
}

export interface VerifyKeyMsg {
  part: number;
  bucket: number;
  key: string;
  hash: string;
  props: Buffer;
}

export interface VerifyReplyMsg {
  code: number;
  message: string;
  parts: VerifyPartMsg[];
  schemas: VerifySchemaMsg[];
  keys: VerifyKeyMsg[];
  covered: VerifyBucketRefMsg[];
  scanned_rows: Int64Text | number;
  scan_ms: Int64Text | number;
  keys_complete: boolean;
  scan_cpu_ms: Int64Text | number;
}

/** A reply that carries only a code and a message. */
export function verifyFailure(code: number, message: string): VerifyReplyMsg {
  return { code, message, parts: [], schemas: [], keys: [], covered: [], scanned_rows: 0, scan_ms: 0, keys_complete: false, scan_cpu_ms: 0 };
}
