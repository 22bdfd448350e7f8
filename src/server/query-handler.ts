/**
 * The cluster's `GraphHandler`: authenticates clients, keeps their sessions, and runs their
 * statements through parse -> executor, turning results and coded errors into ExecutionResponses.
 */
import { performance } from 'node:perf_hooks';
import { ErrorCode, Errors, type NgError } from '../errors.ts';
import { executeStatements } from '../executor/index.ts';
import type { ExecContext, Session } from '../executor/types.ts';
import { limits } from '../limits.ts';
import type { Logger } from '../log.ts';
import { parse } from '../parser/parse.ts';
import type { Value } from '../value/types.ts';
import type { AuthResult, ExecutionResponse, GraphHandler } from './graph-handler.ts';
import { Sessions } from './sessions.ts';

/** Client versions we speak with: nebula clients of the 3.x line send "3.0.0". */
const ACCEPTED_CLIENT_VERSION = /^3\.\d+\.\d+/;

export interface QueryHandlerOptions {
  readonly enableAuthorize: boolean;
  /** Makes an execution context for a session (wired by the cluster). */
  readonly contextFor: (session: Session) => ExecContext;
  /** Password check for `authenticate`; the catalog holds only hashes. */
  readonly checkPassword: (user: string, password: string) => 'ok' | 'no-user' | 'bad-password';
  readonly log: Logger;
}

export class QueryHandler implements GraphHandler {
  readonly sessions = new Sessions();

  constructor(private readonly options: QueryHandlerOptions) {}

  async authenticate(user: string, password: string): Promise<AuthResult> {
    if (this.options.enableAuthorize) {
      const check = this.options.checkPassword(user, password);
      if (check === 'no-user') return { ok: false, error: Errors.badUserPassword('User not exist') };
      if (check === 'bad-password') return { ok: false, error: Errors.badUserPassword('Invalid password') };
    }
    const session = this.sessions.open(user);
    if (session === undefined) {
      return { ok: false, error: { code: ErrorCode.E_TOO_MANY_CONNECTIONS, message: 'Too many sessions.' } };
    }
    return { ok: true, sessionId: session.id, timeZoneOffsetSeconds: 0, timeZoneName: 'UTC' };
  }

  signout(sessionId: bigint): void {
    this.sessions.close(sessionId);
  }

  verifyClientVersion(version: string): { ok: true } | { ok: false; error: NgError } {
    if (ACCEPTED_CLIENT_VERSION.test(version)) return { ok: true };
    return {
      ok: false,
      error: {
        code: ErrorCode.E_CLIENT_SERVER_INCOMPATIBLE,
        message: `Graph client version(${version}) is not accepted, current graph client white list: 3.0.0:3.x.`,
      },
    };
  }

  async execute(sessionId: bigint, stmt: string, _params?: ReadonlyMap<string, Value>): Promise<ExecutionResponse> {
    const started = performance.now();
    const session = this.sessions.get(sessionId);
    if (session === undefined) return this.answer(started, '', Errors.sessionInvalid(sessionId));
    if (Buffer.byteLength(stmt, 'utf8') > limits.statementBytesMax) {
      return this.answer(started, session.space ?? '', Errors.syntaxMessage('Query is too large.'));
    }
    const parsed = parse(stmt);
    if (!parsed.ok) return this.answer(started, session.space ?? '', parsed.error);
    try {
      const result = await executeStatements(parsed.statements, this.options.contextFor(session));
      if (!result.ok) return this.answer(started, session.space ?? '', result.error);
      return {
        errorCode: ErrorCode.SUCCEEDED,
        latencyUs: Math.round((performance.now() - started) * 1000),
        data: result.value,
        spaceName: session.space ?? '',
      };
    } catch (cause) {
      // A thrown error here is a bug in an executor, not a user mistake: report it, keep serving.
      this.options.log.error('statement failed unexpectedly', { stmt: stmt.slice(0, 200), cause });
      return this.answer(started, session.space ?? '', Errors.executionPlain(`Internal error: ${(cause as Error).message}`));
    }
  }

  private answer(started: number, spaceName: string, error: NgError): ExecutionResponse {
    return {
      errorCode: error.code,
      latencyUs: Math.round((performance.now() - started) * 1000),
      spaceName,
      errorMsg: error.message,
    };
  }
}
