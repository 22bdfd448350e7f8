/**
 * One table of error codes and the words that go with them.
 *
 * User mistakes travel as values (`NgError`) up to the graph service, which puts `code` and
 * `message` on the wire unchanged. Wording follows NebulaGraph 3.x (protocol.md section 4) so that
 * scripts written against NebulaGraph read our answers the same way.
 */

/**
 * Wire error codes (graph.thrift ErrorCode) that reach clients: `NgError.code` is one of them.
 *
 * @example
 *   const r = await engine.execute(session, 'STOP SYNC');
 *   if (!r.ok && r.error.code === ErrorCode.E_BAD_PERMISSION) console.log(r.error.message); // 'PermissionError: ...'
 */
export const ErrorCode = {
  SUCCEEDED: 0,
  E_DISCONNECTED: -1,
  E_FAIL_TO_CONNECT: -2,
  E_RPC_FAILURE: -3,
  E_BAD_USERNAME_PASSWORD: -1001,
  E_SESSION_INVALID: -1002,
  E_SESSION_TIMEOUT: -1003,
  E_SYNTAX_ERROR: -1004,
  E_EXECUTION_ERROR: -1005,
  E_STATEMENT_EMPTY: -1006,
  E_BAD_PERMISSION: -1008,
  E_SEMANTIC_ERROR: -1009,
  E_TOO_MANY_CONNECTIONS: -1010,
  E_CLIENT_SERVER_INCOMPATIBLE: -3061,
} as const;
/** One of the wire codes in `ErrorCode`. */
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Meta-level codes; they appear inside messages and in internal RPC answers, not as wire codes.
 *
 * @example
 *   MetaCode.E_LOG_GAP; // -4001: a drainer refused a batch that does not follow its position
 */
export const MetaCode = {
  E_SPACE_NOT_FOUND: -5,
  E_TAG_NOT_FOUND: -6,
  E_EDGE_NOT_FOUND: -7,
  E_LISTENER_NOT_FOUND: -15,
  E_USER_NOT_FOUND: -18,
  E_STATS_NOT_FOUND: -19,
  E_DRAINER_NOT_FOUND: -21,
  E_DRAINER_CLIENT_NOT_FOUND: -22,
  E_SYNC_LISTENER_NOT_FOUND: -32,
  E_NO_HOSTS: -2001,
  E_EXISTED: -2002,
  E_INVALID_HOST: -2003,
  E_UNSUPPORTED: -2004,
  E_CONFLICT: -2008,
  E_LISTENER_CONFLICT: -2013,
  E_NO_VALID_DRAINER: -2029,
  E_LOG_GAP: -4001,
  E_LOG_STALE: -4002,
  E_INVALID_DRAINER_STORE: -4003,
  E_SPACE_MISMATCH: -4004,
  E_PART_MISMATCH: -4005,
  E_DATA_CONFLICT: -4006,
  E_REQ_CONFLICT: -4007,
  E_DATA_ILLEGAL: -4008,
} as const;

/** A refused statement: what the client sees. Never thrown; returned. */
export interface NgError {
  readonly code: ErrorCodeValue;
  readonly message: string;
}

/** A value or a coded error: what every statement and most calls answer instead of throwing. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: NgError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(error: NgError): Result<T> => ({ ok: false, error });

const err = (code: ErrorCodeValue, message: string): NgError => Object.freeze({ code, message });

/** Every message the product can answer with, in NebulaGraph's phrasing. */
export const Errors = {
  syntax: (near: string): NgError => err(ErrorCode.E_SYNTAX_ERROR, `SyntaxError: syntax error near \`${near}'`),
  syntaxMessage: (message: string): NgError => err(ErrorCode.E_SYNTAX_ERROR, `SyntaxError: ${message}`),
  statementEmpty: (): NgError => err(ErrorCode.E_STATEMENT_EMPTY, 'StatementEmpty: Statement empty.'),
  semantic: (message: string): NgError => err(ErrorCode.E_SEMANTIC_ERROR, `SemanticError: ${message}`),
  spaceNotChosen: (): NgError => err(ErrorCode.E_SEMANTIC_ERROR, 'SemanticError: Space was not chosen.'),
  missingYield: (): NgError => err(ErrorCode.E_SEMANTIC_ERROR, 'SemanticError: Missing yield clause.'),
  permission: (message = 'No permission to write space.'): NgError =>
    err(ErrorCode.E_BAD_PERMISSION, `PermissionError: ${message}`),
  spaceNotFound: (): NgError => err(ErrorCode.E_EXECUTION_ERROR, 'SpaceNotFound: Space not existed!'),
  tagNotFound: (name: string): NgError => err(ErrorCode.E_EXECUTION_ERROR, `TagNotFound: TagName \`${name}\``),
  edgeNotFound: (name: string): NgError => err(ErrorCode.E_EXECUTION_ERROR, `EdgeNotFound: EdgeName \`${name}\``),
  existed: (): NgError => err(ErrorCode.E_EXECUTION_ERROR, 'Existed!'),
  userNotFound: (): NgError => err(ErrorCode.E_EXECUTION_ERROR, 'UserNotFound: User not existed!'),
  noHosts: (): NgError => err(ErrorCode.E_EXECUTION_ERROR, 'NoHosts: No hosts!'),
  invalidHost: (): NgError => err(ErrorCode.E_EXECUTION_ERROR, 'InvalidHost: Invalid host!'),
  readOnly: (space: string): NgError =>
    err(ErrorCode.E_EXECUTION_ERROR, `ReadOnly: Space \`${space}' is read only, client writes are refused.`),
  statsNotFound: (): NgError =>
    err(
      ErrorCode.E_EXECUTION_ERROR,
      "There is no any stats info to show, please execute `submit job stats' firstly!",
    ),
  /**
   * Data that failed its checksum on disk (storage DESIGN.md guarantee 7); `what` names the space,
   * partition and row, e.g. `part 3 of space nba is damaged: checksum mismatch on vertex "p1" (tag player)`.
   */
  storageDamaged: (what: string): NgError => err(ErrorCode.E_EXECUTION_ERROR, `Storage Error: ${what}`),
  /** Any other execution failure; `kind` is NebulaGraph's CamelCase error name, e.g. `Conflict`. */
  execution: (kind: string, message: string): NgError => err(ErrorCode.E_EXECUTION_ERROR, `${kind}: ${message}`),
  executionPlain: (message: string): NgError => err(ErrorCode.E_EXECUTION_ERROR, message),
  badUserPassword: (message: 'Invalid password' | 'User not exist' = 'Invalid password'): NgError =>
    err(ErrorCode.E_BAD_USERNAME_PASSWORD, message),
  /** Our login backoff (docs/sessions.md); -1001 like any refused login. */
  loginThrottled: (retryAfterSecs: number): NgError =>
    err(ErrorCode.E_BAD_USERNAME_PASSWORD, `Too many failed login attempts; retry after ${retryAfterSecs} s`),
  /** Too many password checks already waiting for a hashing slot. */
  loginBusy: (): NgError => err(ErrorCode.E_BAD_USERNAME_PASSWORD, 'Server busy, retry later'),
  passwordBusy: (): NgError => err(ErrorCode.E_EXECUTION_ERROR, 'Server busy, retry later'),
  /** graphd's max_sessions_per_ip_per_user refusal, with graphd's code for session-creation failures. */
  tooManySessionsFromIp: (ip: string, user: string, max: number): NgError =>
    err(
      ErrorCode.E_SESSION_INVALID,
      `Create Session failed: Too many sessions created from ${ip} by user ${user}. the threshold is ${max}. ` +
        "You can change it by modifying 'max_sessions_per_ip_per_user' in nebula-graphd.conf",
    ),
  /** graphd's max_allowed_connections refusal (it counts sessions). */
  tooManyConnectionsInCluster: (): NgError => err(ErrorCode.E_TOO_MANY_CONNECTIONS, 'Too many connections in the cluster'),
  sessionInvalid: (id: bigint | number): NgError => err(ErrorCode.E_SESSION_INVALID, `Session \`${id}' not found`),
} as const;
