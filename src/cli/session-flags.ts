/**
 * The graph service's session and connection flags of `nebula-sync cluster` (NebulaGraph's graphd
 * names and defaults, plus our handshake timeout), and their checked values.
 */
import { defaultSessionLimits, validateSessionLimits, type SessionLimits } from '../server/session-limits.ts';
import type { FlagSpec, FlagValues } from './flags.ts';

export const sessionFlags: readonly FlagSpec[] = [
  {
    name: 'session_idle_timeout_secs',
    kind: 'int',
    default: defaultSessionLimits.sessionIdleTimeoutSecs,
    help: 'a session unused this long is closed; its next statement gets E_SESSION_INVALID (1 to 604800)',
  },
  {
    name: 'client_idle_timeout_secs',
    kind: 'int',
    default: defaultSessionLimits.clientIdleTimeoutSecs,
    help: 'a graph connection with no request this long is closed',
  },
  {
    name: 'max_sessions_per_ip_per_user',
    kind: 'int',
    default: defaultSessionLimits.maxSessionsPerIpPerUser,
    help: 'sessions one user may hold from one IP address',
  },
  {
    name: 'handshake_timeout_secs',
    kind: 'int',
    default: defaultSessionLimits.handshakeTimeoutSecs,
    help: 'a graph connection that has not authenticated this long after connecting is closed',
  },
];

/** The flags' values as SessionLimits, or an Error naming the first one out of range. */
export function sessionLimitsFromFlags(flags: FlagValues): SessionLimits | Error {
  const limits: SessionLimits = {
    sessionIdleTimeoutSecs: Number(flags['session_idle_timeout_secs']),
    clientIdleTimeoutSecs: Number(flags['client_idle_timeout_secs']),
    maxSessionsPerIpPerUser: Number(flags['max_sessions_per_ip_per_user']),
    handshakeTimeoutSecs: Number(flags['handshake_timeout_secs']),
  };
  return validateSessionLimits(limits) ?? limits;
}
