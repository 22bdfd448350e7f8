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

export type AuthResult =
  | { readonly ok: true; readonly sessionId: bigint; readonly timeZoneOffsetSeconds: number; readonly timeZoneName: string }
  | { readonly ok: false; readonly error: NgError };

export interface GraphHandler {
  authenticate(user: string, password: string): Promise<AuthResult>;
  signout(sessionId: bigint): void;
  execute(sessionId: bigint, stmt: string, params?: ReadonlyMap<string, Value>): Promise<ExecutionResponse>;
  /** Client versions this server accepts; nebula clients send "3.0.0". */
  verifyClientVersion(version: string): { readonly ok: true } | { readonly ok: false; readonly error: NgError };
}
