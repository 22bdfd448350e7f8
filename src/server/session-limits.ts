/**
 * The graph service's session and connection limits an operator sets with flags, with NebulaGraph's
 * names and defaults (docs/sessions.md). The handshake timeout is ours: NebulaGraph has none, and
 * without it silent sockets hold connection slots until the 8-hour idle timeout.
 */

export interface SessionLimits {
  /** --session_idle_timeout_secs: a session unused this long is closed. */
  readonly sessionIdleTimeoutSecs: number;
  /** --client_idle_timeout_secs: a connection with no request this long is closed. */
  readonly clientIdleTimeoutSecs: number;
  /** --max_sessions_per_ip_per_user: sessions of one user from one IP. */
  readonly maxSessionsPerIpPerUser: number;
  /** --handshake_timeout_secs: time from connect to a successful authenticate. */
  readonly handshakeTimeoutSecs: number;
}

export const defaultSessionLimits: SessionLimits = {
  sessionIdleTimeoutSecs: 28800,
  clientIdleTimeoutSecs: 28800,
  maxSessionsPerIpPerUser: 300,
  handshakeTimeoutSecs: 10,
};

export const HANDSHAKE_TIMEOUT_MS_DEFAULT = defaultSessionLimits.handshakeTimeoutSecs * 1000;
export const CLIENT_IDLE_MS_DEFAULT = defaultSessionLimits.clientIdleTimeoutSecs * 1000;

/** Longest timeout accepted: NebulaGraph's bound for session_idle_timeout_secs (7 days). */
export const TIMEOUT_SECS_MAX = 604_800;
/** Most sessions per user and IP accepted (the whole cluster holds limits.sessionsMax). */
export const SESSIONS_PER_IP_USER_MAX = 1_000_000;

const RANGES: Readonly<Record<keyof SessionLimits, readonly [flag: string, max: number]>> = {
  sessionIdleTimeoutSecs: ['session_idle_timeout_secs', TIMEOUT_SECS_MAX],
  clientIdleTimeoutSecs: ['client_idle_timeout_secs', TIMEOUT_SECS_MAX],
  maxSessionsPerIpPerUser: ['max_sessions_per_ip_per_user', SESSIONS_PER_IP_USER_MAX],
  handshakeTimeoutSecs: ['handshake_timeout_secs', TIMEOUT_SECS_MAX],
};

/**
 * An Error naming the first flag out of range (each must be a positive integer within its bound),
 * or undefined.
 *
 * @example
 *   validateSessionLimits({ ...defaultSessionLimits, sessionIdleTimeoutSecs: 0 });
 *   // Error: flag --session_idle_timeout_secs expects an integer from 1 to 604800, got 0
 */
export function validateSessionLimits(limits: SessionLimits): Error | undefined {
  for (const [key, [flag, max]] of Object.entries(RANGES) as [keyof SessionLimits, readonly [string, number]][]) {
    const value = limits[key];
    if (!Number.isInteger(value) || value < 1 || value > max) {
      return new Error(`flag --${flag} expects an integer from 1 to ${max}, got ${value}`);
    }
  }
  return undefined;
}
