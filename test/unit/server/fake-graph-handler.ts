/**
 * A tiny GraphHandler for the server tests: a few canned statements, sessions, and a record of
 * signouts. (Not a test file itself.)
 */
import { Errors, ErrorCode } from '../../../src/errors.ts';
import type { AuthResult, ExecutionResponse, GraphHandler } from '../../../src/server/graph-handler.ts';
import { mapOf, type Value } from '../../../src/value/types.ts';

export const TIM = mapOf([
  ['name', 'Tim Duncan'],
  ['age', 42n],
]);
export const BIG_ROW: readonly Value[] = [2n ** 63n - 1n, -(2n ** 63n), 'ünïcødé ✓', 1.5, TIM];

export class FakeGraphHandler implements GraphHandler {
  readonly signouts: bigint[] = [];
  private readonly spaces = new Map<bigint, string>();
  private nextSession = 1000n;

  async authenticate(user: string, password: string): Promise<AuthResult> {
    if (password !== 'nebula') return { ok: false, error: Errors.badUserPassword() };
    const sessionId = this.nextSession++;
    this.spaces.set(sessionId, '');
    return { ok: true, sessionId, timeZoneOffsetSeconds: 0, timeZoneName: user === 'root' ? 'UTC' : 'UTC' };
  }

  signout(sessionId: bigint): void {
    this.signouts.push(sessionId);
    this.spaces.delete(sessionId);
  }

  async execute(sessionId: bigint, stmt: string, params?: ReadonlyMap<string, Value>): Promise<ExecutionResponse> {
    const space = this.spaces.get(sessionId);
    if (space === undefined) {
      const e = Errors.sessionInvalid(sessionId);
      return { errorCode: e.code, errorMsg: e.message, latencyUs: 1, spaceName: '' };
    }
    const ok = (data?: ExecutionResponse['data']): ExecutionResponse => ({
      errorCode: ErrorCode.SUCCEEDED,
      latencyUs: 7,
      spaceName: this.spaces.get(sessionId) ?? '',
      ...(data ? { data } : {}),
    });
    const text = stmt.trim().replace(/;$/, '');
    const use = /^use\s+(\w+)$/i.exec(text);
    if (use) {
      this.spaces.set(sessionId, use[1]!);
      return ok();
    }
    if (/^yield 1$/i.test(text)) return ok({ columns: ['1'], rows: [[1n]] });
    if (text === 'FETCH') return ok({ columns: ['properties(VERTEX)'], rows: [[TIM]] });
    if (text === 'BIG') return ok({ columns: ['max', 'min', 's', 'f', 'm'], rows: [BIG_ROW] });
    if (text === 'PARAM') return ok({ columns: ['p'], rows: [[params?.get('p') ?? null]] });
    const slow = /^SLOW (\d+) (\w+)$/.exec(text);
    if (slow) {
      await new Promise((r) => setTimeout(r, Number(slow[1])));
      return ok({ columns: ['echo'], rows: [[slow[2]!]] });
    }
    const echo = /^ECHO (.*)$/s.exec(text);
    if (echo) return ok({ columns: ['echo'], rows: [[echo[1]!]] });
    if (text === 'THROW') throw new Error('handler bug');
    const e = Errors.syntax(text.split(/\s+/)[0] ?? '');
    return { ...ok(), errorCode: e.code, errorMsg: e.message };
  }

  verifyClientVersion(version: string): { ok: true } | { ok: false; error: ReturnType<typeof Errors.executionPlain> } {
    if (version === '3.0.0') return { ok: true };
    return { ok: false, error: { code: ErrorCode.E_CLIENT_SERVER_INCOMPATIBLE, message: `Unsupported client version ${version}` } };
  }
}
