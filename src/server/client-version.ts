/**
 * Which client versions the graph service speaks with (graphd's client white list): the 3.x line,
 * whose clients send "3.0.0". One rule for the cluster and for any server built on the library.
 */
import { ErrorCode, type NgError } from '../errors.ts';

/** Client versions we speak with: nebula clients of the 3.x line send "3.0.0". */
const ACCEPTED_CLIENT_VERSION = /^3\.\d+\.\d+/;

/**
 * `{ ok: true }` for a version the graph service accepts, else graphd's E_CLIENT_SERVER_INCOMPATIBLE
 * refusal: the `verifyClientVersion` of a `GraphHandler` that speaks with the clients ours speaks with.
 *
 * @example
 * ```ts
 * verifyClientVersion('3.0.0'); // { ok: true }
 * verifyClientVersion('2.6.0'); // { ok: false, error: { code: -3061, message: 'Graph client version(2.6.0) is not accepted, ...' } }
 * ```
 */
export function verifyClientVersion(version: string): { readonly ok: true } | { readonly ok: false; readonly error: NgError } {
  if (ACCEPTED_CLIENT_VERSION.test(version)) return { ok: true };
  return {
    ok: false,
    error: {
      code: ErrorCode.E_CLIENT_SERVER_INCOMPATIBLE,
      message: `Graph client version(${version}) is not accepted, current graph client white list: 3.0.0:3.x.`,
    },
  };
}
