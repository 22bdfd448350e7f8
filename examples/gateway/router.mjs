/**
 * The gateway's GraphHandler: every client session is a session of the backend graph service,
 * opened with the client's own credentials; every statement is parsed here with the library and
 * routed by what the parser read:
 *
 * - a synchronization statement (`isSyncStatement`: SIGN IN/OUT DRAINER SERVICE, ADD/REMOVE
 *   LISTENER SYNC, ADD/REMOVE DRAINER, STOP/RESTART SYNC, SHOW [DRAINER] SYNC STATUS, SET/GET
 *   VARIABLES, ...) runs in this process, through the library's executor against the engine the
 *   gateway hosts (`engine.run`): permission checks, catalog change, status rows; each one is
 *   written to the audit log;
 * - any other statement goes to the backend graph service unchanged, over the graph protocol;
 * - text that does not parse is answered here, with NebulaGraph's code and words.
 *
 * A text that mixes both kinds (`USE nba; SHOW SYNC STATUS`) is cut with `splitStatements` and
 * routed statement by statement, in order, stopping at the first error, as the cluster does.
 * The session's current space is the backend's (every backend answer carries it); a synchronization
 * statement runs in that space.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ErrorCode, executionResponse, GraphClient, isSyncStatement, parse, splitStatements, verifyClientVersion } from 'nebula-sync';

/** Sessions this gateway holds at once; one more login is refused (graphd's max_allowed_connections). */
const SESSIONS_MAX = 1000;
/** Bound on connecting to the backend and on each call to it. */
const BACKEND_CALL_MS_MAX = 120_000;
/** A session unused this long is closed (its backend session too); the backend's own idle timeout may end it sooner. */
const SESSION_IDLE_MS_MAX = 8 * 3600 * 1000;
const SWEEP_INTERVAL_MS = 60_000;

/** An error answer in the graph protocol's shape. */
const refusal = (errorCode, errorMsg, spaceName = '', latencyUs = 0) => ({ errorCode, errorMsg, spaceName, latencyUs });

export class Router {
  /** @type {Map<bigint, { client: GraphClient, user: string, space: string, usedMs: number }>} */
  #sessions = new Map();
  #sweeper;

  /**
   * @param {{ engine: import('nebula-sync').Engine, backend: { host: string, port: number },
   *           audit: (record: Record<string, unknown>) => void }} options
   */
  constructor(options) {
    this.options = options;
    this.#sweeper = setInterval(() => this.#sweep(), SWEEP_INTERVAL_MS).unref();
  }

  async authenticate(user, password) {
    if (this.#sessions.size >= SESSIONS_MAX) return { ok: false, error: { code: ErrorCode.E_TOO_MANY_CONNECTIONS, message: 'Too many connections in the cluster' } };
    let client;
    try {
      client = await GraphClient.connect({ ...this.options.backend, timeoutMs: BACKEND_CALL_MS_MAX });
      // The backend checks the password, the failed-login backoff and its session limits.
      const auth = await client.authenticate(user, password);
      if (!auth.ok) {
        await client.close();
        return auth;
      }
      const sessionId = BigInt.asIntN(64, randomBytes(8).readBigUInt64BE()) & 0x7fff_ffff_ffff_ffffn;
      this.#sessions.set(sessionId, { client, user, space: '', usedMs: Date.now() });
      return { ...auth, sessionId };
    } catch (cause) {
      await client?.close();
      return { ok: false, error: { code: ErrorCode.E_FAIL_TO_CONNECT, message: `backend unreachable: ${cause.message}` } };
    }
  }

  signout(sessionId) {
    const session = this.#sessions.get(sessionId);
    this.#sessions.delete(sessionId);
    void session?.client.close();
  }

  verifyClientVersion(version) {
    return verifyClientVersion(version);
  }

  async execute(sessionId, text, params) {
    const started = performance.now();
    const session = this.#sessions.get(sessionId);
    if (session === undefined) return refusal(ErrorCode.E_SESSION_INVALID, `Session \`${sessionId}' not found`);
    session.usedMs = Date.now();
    const parsed = parse(text);
    if (!parsed.ok) return executionResponse(parsed, { spaceName: session.space, latencyUs: elapsedUs(started) });
    if (!parsed.statements.some(isSyncStatement)) return this.#forward(sessionId, session, text, params, parsed.statements);
    const pieces = splitStatements(text);
    if (pieces.length !== parsed.statements.length) {
      return refusal(ErrorCode.E_SYNTAX_ERROR, 'SyntaxError: cannot cut this text into statements; send them one by one', session.space);
    }
    let answer;
    for (let i = 0; i < pieces.length; i++) {
      const statement = parsed.statements[i];
      answer = isSyncStatement(statement)
        ? await this.#runHere(session, statement)
        : await this.#forward(sessionId, session, pieces[i], params, [statement]);
      if (answer.errorCode !== ErrorCode.SUCCEEDED) break;
    }
    return { ...answer, latencyUs: elapsedUs(started) };
  }

  /** Closes every session (and its backend session). */
  async close() {
    clearInterval(this.#sweeper);
    const clients = [...this.#sessions.values()].map((s) => s.client);
    this.#sessions.clear();
    await Promise.all(clients.map((c) => c.close()));
  }

  /** A synchronization statement, through the library's executor against the hosted engine. */
  async #runHere(session, statement) {
    const started = performance.now();
    const engineSession = { user: session.user, space: session.space === '' ? undefined : session.space };
    const result = await this.options.engine.run(engineSession, [statement]);
    this.options.audit({ route: 'library', kind: statement.kind, user: session.user, space: session.space, code: result.ok ? 0 : result.error.code });
    return executionResponse(result, { spaceName: session.space, latencyUs: elapsedUs(started) });
  }

  /** Any other statement, unchanged, to the backend graph service. */
  async #forward(sessionId, session, text, params, statements) {
    let answer;
    try {
      answer = await session.client.execute(text, params);
    } catch (cause) {
      // The backend connection is gone (restart, timeout): so is this session.
      this.signout(sessionId);
      return refusal(ErrorCode.E_SESSION_INVALID, `Session \`${sessionId}' ended: ${cause.message}`, session.space);
    }
    if (answer.errorCode === ErrorCode.E_SESSION_INVALID) this.signout(sessionId);
    session.space = answer.spaceName;
    this.options.audit({ route: 'backend', kind: statements.map((s) => s.kind).join(','), user: session.user, space: session.space, code: answer.errorCode });
    return answer;
  }

  #sweep() {
    const oldestMs = Date.now() - SESSION_IDLE_MS_MAX;
    for (const [id, session] of this.#sessions) if (session.usedMs < oldestMs) this.signout(id);
  }
}

const elapsedUs = (startedMs) => Math.round((performance.now() - startedMs) * 1000);
