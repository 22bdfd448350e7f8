/**
 * The boundary between the Thrift graph protocol and the cluster: the server decodes requests,
 * calls a `GraphHandler`, and encodes what it answers in the caller's framing and protocol.
 * The server never parses nGQL; the handler never sees bytes.
 */
import type { NgError } from '../errors.ts';
import type { DataSet, Value } from '../value/types.ts';

/** graph.thrift ExecutionResponse, minus the plan description. */
export interface ExecutionResponse {
  readonly errorCode: number;
  readonly latencyUs: number;
  /** Only when the statement yields columns. */
  readonly data?: DataSet;
  /** Current space after the statement, "" when none. */
  readonly spaceName: string;
  readonly errorMsg?: string;
  readonly comment?: string;
}

/** A login's answer: a session and its time zone, or the refusal. */
export type AuthResult =
  | { readonly ok: true; readonly sessionId: bigint; readonly timeZoneOffsetSeconds: number; readonly timeZoneName: string }
  | { readonly ok: false; readonly error: NgError };

/** Where a call came from, as the connection knows it. */
export interface Peer {
  /** The client's IP address ("127.0.0.1", "::1"; IPv4-mapped IPv6 addresses are shown as IPv4). */
  readonly ip: string;
}

/** The peer of an in-process call. */
export const LOCAL_PEER: Peer = { ip: '127.0.0.1' };

/** What answers the calls of NebulaGraph's GraphService; the cluster's is the parser and executor behind sessions. */
export interface GraphHandler {
  /** `peer` is absent only for in-process callers (tests), which count as local. */
  authenticate(user: string, password: string, peer?: Peer): Promise<AuthResult>;
  signout(sessionId: bigint): void;
  execute(sessionId: bigint, stmt: string, params?: ReadonlyMap<string, Value>): Promise<ExecutionResponse>;
  /** Client versions this server accepts; nebula clients send "3.0.0". */
  verifyClientVersion(version: string): { readonly ok: true } | { readonly ok: false; readonly error: NgError };
}
