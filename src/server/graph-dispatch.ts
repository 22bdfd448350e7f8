/**
 * One decoded GraphService call in, one encoded reply out (or none, for `signout`).
 *
 * The dispatcher reads the method's arguments, asks the `GraphHandler`, and writes the result in
 * the caller's wire format with the caller's method name and seqid. An unknown method answers a
 * TApplicationException (UNKNOWN_METHOD) and the connection stays up. Malformed arguments throw
 * `ThriftDecodeError`, which the connection turns into a close.
 */
import { ErrorCode } from '../errors.ts';
import { ROOT_USER } from '../executor/permissions.ts';
import type { ExecutionResponse, GraphHandler, Peer } from './graph-handler.ts';
import { executeJsonBody } from './execute-json.ts';
import {
  GraphMethod,
  readAuthenticateArgs,
  readExecuteArgs,
  readSignoutArgs,
  readVerifyClientVersionArgs,
} from './thrift/graph-requests.ts';
import {
  AppExceptionType,
  writeAppException,
  writeAuthResponse,
  writeExecutionResponse,
  writeResult,
  writeVerifyClientVersionResp,
  type AuthResponseWire,
} from './thrift/graph-responses.ts';
import { MessageType, TType, type TWriter } from './thrift/thrift-types.ts';
import { encodeMessage, type IncomingMessage } from './thrift/wire-envelope.ts';

const TOO_MANY_CONNECTIONS = 'Too many connections';

export interface DispatchOptions {
  /** Answer every call with E_TOO_MANY_CONNECTIONS (the connection is over the cap). */
  readonly refuse?: boolean;
  /** The connection is in root's reserve: an authenticate as anyone else gets E_TOO_MANY_CONNECTIONS. */
  readonly rootOnly?: boolean;
  /** Who is calling; handed to `authenticate` (sessions are counted per user and IP). */
  readonly peer: Peer;
  /** Told when an authenticate succeeds (the connection is then past its handshake). */
  readonly onAuthenticated?: () => void;
}

/** Answers the encoded reply frame, or undefined when the call gets no reply. */
export async function dispatch(
  incoming: IncomingMessage,
  handler: GraphHandler,
  opts: DispatchOptions,
): Promise<Buffer | undefined> {
  const { message, reader, format } = incoming;
  const reply = (writeBody: (w: TWriter) => void): Buffer =>
    encodeMessage(format, message.name, MessageType.REPLY, message.seqid, writeBody);
  const refused = (): ExecutionResponse => ({
    errorCode: ErrorCode.E_TOO_MANY_CONNECTIONS,
    latencyUs: 0,
    spaceName: '',
    errorMsg: TOO_MANY_CONNECTIONS,
  });

  switch (message.name) {
    case GraphMethod.authenticate: {
      const args = readAuthenticateArgs(reader);
      let resp: AuthResponseWire;
      if (opts.refuse || (opts.rootOnly && args.username !== ROOT_USER)) {
        resp = { errorCode: ErrorCode.E_TOO_MANY_CONNECTIONS, errorMsg: TOO_MANY_CONNECTIONS };
      } else {
        const result = await handler.authenticate(args.username, args.password, opts.peer);
        if (result.ok) opts.onAuthenticated?.();
        resp = authWire(result);
      }
      return reply((w) => writeResult(w, (w2) => writeAuthResponse(w2, resp)));
    }
    case GraphMethod.signout: {
      const args = readSignoutArgs(reader);
      if (!opts.refuse) handler.signout(args.sessionId);
      return undefined;
    }
    case GraphMethod.execute:
    case GraphMethod.executeWithParameter: {
      const args = readExecuteArgs(reader);
      const resp = opts.refuse ? refused() : await handler.execute(args.sessionId, args.stmt, args.params);
      return reply((w) => writeResult(w, (w2) => writeExecutionResponse(w2, resp)));
    }
    case GraphMethod.executeJson:
    case GraphMethod.executeJsonWithParameter: {
      const args = readExecuteArgs(reader);
      const resp = opts.refuse ? refused() : await handler.execute(args.sessionId, args.stmt, args.params);
      const body = executeJsonBody(resp);
      return reply((w) => writeResult(w, (w2) => w2.writeString(body), TType.STRING));
    }
    case GraphMethod.verifyClientVersion: {
      const { version } = readVerifyClientVersionArgs(reader);
      const verdict = handler.verifyClientVersion(version);
      const resp = verdict.ok ? { errorCode: 0 } : { errorCode: verdict.error.code, errorMsg: verdict.error.message };
      return reply((w) => writeResult(w, (w2) => writeVerifyClientVersionResp(w2, resp)));
    }
    default:
      if (message.type === MessageType.ONEWAY) return undefined;
      return encodeMessage(format, message.name, MessageType.EXCEPTION, message.seqid, (w) =>
        writeAppException(w, `Invalid method name: '${message.name}'`, AppExceptionType.UNKNOWN_METHOD),
      );
  }
}

/** The reply when the handler itself failed (a bug, not a user mistake): the caller is told so. */
export function internalErrorReply(incoming: IncomingMessage, what: string): Buffer | undefined {
  const { message, format } = incoming;
  if (message.type === MessageType.ONEWAY || message.name === GraphMethod.signout) return undefined;
  return encodeMessage(format, message.name, MessageType.EXCEPTION, message.seqid, (w) =>
    writeAppException(w, `Internal error: ${what}`, AppExceptionType.INTERNAL_ERROR),
  );
}

function authWire(result: Awaited<ReturnType<GraphHandler['authenticate']>>): AuthResponseWire {
  if (!result.ok) return { errorCode: result.error.code, errorMsg: result.error.message };
  return {
    errorCode: ErrorCode.SUCCEEDED,
    sessionId: result.sessionId,
    timeZoneOffsetSeconds: result.timeZoneOffsetSeconds,
    timeZoneName: result.timeZoneName,
  };
}
