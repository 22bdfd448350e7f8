/**
 * The cluster's `GraphHandler`: authenticates clients, keeps their sessions, and runs their
 * statements through parse -> executor, turning results and coded errors into ExecutionResponses.
 *
 * Sessions are bounded and expire as in NebulaGraph (src/server/sessions.ts); expired ones are swept
 * every `sweepIntervalMs` so that they stop counting against the caps even if nobody calls again.
 * A session whose user was dropped ends: at once after the DROP USER, and on its next call.
 */
import { performance } from 'node:perf_hooks';
import { ErrorCode, Errors, type NgError } from '../errors.ts';
import { executeStatements } from '../executor/index.ts';
import type { ExecContext, Session } from '../executor/types.ts';
import { limits } from '../limits.ts';
import { throttledWarn, type Logger } from '../log.ts';
import type { Statement } from '../parser/ast.ts';
import { parse } from '../parser/parse.ts';
import type { Value } from '../value/types.ts';
import { verifyClientVersion } from './client-version.ts';
import { LOCAL_PEER, type AuthResult, type ExecutionResponse, type GraphHandler, type Peer } from './graph-handler.ts';
import { Sessions } from './sessions.ts';

/** Bounds of the expired-session sweep's period (NebulaGraph's session_reclaim_interval_secs is 60). */
const SWEEP_INTERVAL_MS_MIN = 1000;
const SWEEP_INTERVAL_MS_MAX = 60_000;

export interface QueryHandlerOptions {
  readonly enableAuthorize: boolean;
  /** Makes an execution context for a session (wired by the cluster). */
  readonly contextFor: (session: Session) => ExecContext;
  /** Password check and login backoff: undefined when the login may have a session. */
  readonly checkLogin: (user: string, password: string, ip: string) => Promise<NgError | undefined>;
  /** Whether `user` still exists (root always does); sessions of a dropped user end. */
  readonly userExists: (user: string) => boolean;
  /** --session_idle_timeout_secs, in milliseconds. */
  readonly sessionIdleMs: number;
  /** --max_sessions_per_ip_per_user. */
  readonly sessionsPerIpUserMax: number;
  readonly log: Logger;
  /** Milliseconds; injected for tests. */
  readonly now?: () => number;
}

/** A client at a session cap retries at will: its refusals are logged at most once per this period. */
const SESSION_REFUSED_LOG_MS = 10_000;

export class QueryHandler implements GraphHandler {
  readonly sessions: Sessions;
  private readonly sweeper: NodeJS.Timeout;
  /** Sessions refused at a cap: logged at most once per SESSION_REFUSED_LOG_MS, with a count. */
  private readonly sessionRefused: (fields: Record<string, unknown>) => void;

  constructor(private readonly options: QueryHandlerOptions) {
    this.sessions = new Sessions({
      idleMs: options.sessionIdleMs,
      perIpUserMax: options.sessionsPerIpUserMax,
      sessionsMax: limits.sessionsMax,
      reservedForRoot: limits.rootSessionsReserved,
      now: options.now,
    });
    const sweepMs = Math.min(SWEEP_INTERVAL_MS_MAX, Math.max(SWEEP_INTERVAL_MS_MIN, Math.floor(options.sessionIdleMs / 2)));
    this.sweeper = setInterval(() => this.sessions.sweep(), sweepMs).unref();
    this.sessionRefused = throttledWarn(options.log, 'session refused', SESSION_REFUSED_LOG_MS);
  }

  /** Stops the sweeper (the cluster's close and destroy). */
  close(): void {
    clearInterval(this.sweeper);
  }

  async authenticate(user: string, password: string, peer: Peer = LOCAL_PEER): Promise<AuthResult> {
    const refused = await this.options.checkLogin(user, password, peer.ip);
    if (refused !== undefined) return { ok: false, error: refused };
    const opened = this.sessions.open(user, peer.ip);
    if (!opened.ok) {
      this.sessionRefused({ user, ip: peer.ip, error: opened.error.message });
      return { ok: false, error: opened.error };
    }
    return { ok: true, sessionId: opened.session.id, timeZoneOffsetSeconds: 0, timeZoneName: 'UTC' };
  }

  signout(sessionId: bigint): void {
    this.sessions.close(sessionId);
  }

  verifyClientVersion(version: string): { readonly ok: true } | { readonly ok: false; readonly error: NgError } {
    return verifyClientVersion(version);
  }

  async execute(sessionId: bigint, stmt: string, _params?: ReadonlyMap<string, Value>): Promise<ExecutionResponse> {
    const started = performance.now();
    const session = this.sessions.begin(sessionId);
    if (session === undefined) return this.answer(started, '', Errors.sessionInvalid(sessionId));
    try {
      return await this.run(session, stmt, started);
    } finally {
      this.sessions.end(sessionId);
    }
  }

  private async run(session: Session, stmt: string, started: number): Promise<ExecutionResponse> {
    if (this.options.enableAuthorize && !this.options.userExists(session.user)) {
      this.sessions.close(session.id);
      return this.answer(started, '', Errors.sessionInvalid(session.id));
    }
    if (Buffer.byteLength(stmt, 'utf8') > limits.statementBytesMax) {
      return this.answer(started, session.space ?? '', Errors.syntaxMessage('Query is too large.'));
    }
    const parsed = parse(stmt);
    if (!parsed.ok) return this.answer(started, session.space ?? '', parsed.error);
    try {
      const result = await executeStatements(parsed.statements, this.options.contextFor(session));
      this.endSessionsOfDroppedUsers(parsed.statements);
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

  private endSessionsOfDroppedUsers(statements: readonly Statement[]): void {
    for (const stmt of statements) {
      if (stmt.kind === 'DropUser' && !this.options.userExists(stmt.user)) this.sessions.closeUser(stmt.user);
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
