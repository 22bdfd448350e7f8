/**
 * graph.thrift request argument structs (`<method>_args`), both directions: the server reads them
 * and our client writes them. The four execute variants share one layout (session, statement and,
 * for the *WithParameter ones, a parameter map).
 */
import type { Value } from '../../value/types.ts';
import { readStruct, ThriftDecodeError, TType, type TReader, type TWriter } from './thrift-types.ts';
import { readValue } from './value-reader.ts';
import { writeValue } from './value-writer.ts';

/** The methods of GraphService, as named on the wire. */
export const GraphMethod = {
  authenticate: 'authenticate',
  signout: 'signout',
  execute: 'execute',
  executeWithParameter: 'executeWithParameter',
  executeJson: 'executeJson',
  executeJsonWithParameter: 'executeJsonWithParameter',
  verifyClientVersion: 'verifyClientVersion',
} as const;

export interface AuthenticateArgs {
  readonly username: string;
  readonly password: string;
}

export interface ExecuteArgs {
  readonly sessionId: bigint;
  readonly stmt: string;
  readonly params?: ReadonlyMap<string, Value>;
}

export function readAuthenticateArgs(r: TReader): AuthenticateArgs {
  let username = '';
  let password = '';
  readStruct(r, (type, id) => {
    if (id === 1 && type === TType.STRING) username = r.readString();
    else if (id === 2 && type === TType.STRING) password = r.readString();
    else return false;
    return true;
  });
  return { username, password };
}

export function writeAuthenticateArgs(w: TWriter, args: AuthenticateArgs): void {
  w.writeStructBegin();
  w.writeFieldBegin(TType.STRING, 1);
  w.writeString(args.username);
  w.writeFieldBegin(TType.STRING, 2);
  w.writeString(args.password);
  w.writeFieldStop();
  w.writeStructEnd();
}

export function readSignoutArgs(r: TReader): { sessionId: bigint } {
  let sessionId = 0n;
  readStruct(r, (type, id) => {
    if (id !== 1 || type !== TType.I64) return false;
    sessionId = r.readI64();
    return true;
  });
  return { sessionId };
}

export function writeSignoutArgs(w: TWriter, sessionId: bigint): void {
  w.writeStructBegin();
  w.writeFieldBegin(TType.I64, 1);
  w.writeI64(sessionId);
  w.writeFieldStop();
  w.writeStructEnd();
}

export function readExecuteArgs(r: TReader): ExecuteArgs {
  let sessionId = 0n;
  let stmt = '';
  let params: Map<string, Value> | undefined;
  readStruct(r, (type, id) => {
    if (id === 1 && type === TType.I64) sessionId = r.readI64();
    else if (id === 2 && type === TType.STRING) stmt = r.readString();
    else if (id === 3 && type === TType.MAP) params = readParams(r);
    else return false;
    return true;
  });
  return params === undefined ? { sessionId, stmt } : { sessionId, stmt, params };
}

function readParams(r: TReader): Map<string, Value> {
  const h = r.readMapBegin();
  const out = new Map<string, Value>();
  if (h.size === 0) return out;
  if (h.keyType !== TType.STRING || h.valueType !== TType.STRUCT) {
    throw new ThriftDecodeError('parameter map is not map<binary, Value>');
  }
  for (let i = 0; i < h.size; i++) {
    const key = r.readString();
    out.set(key, readValue(r));
  }
  return out;
}

export function writeExecuteArgs(w: TWriter, args: ExecuteArgs): void {
  w.writeStructBegin();
  w.writeFieldBegin(TType.I64, 1);
  w.writeI64(args.sessionId);
  w.writeFieldBegin(TType.STRING, 2);
  w.writeString(args.stmt);
  if (args.params !== undefined) {
    w.writeFieldBegin(TType.MAP, 3);
    w.writeMapBegin(TType.STRING, TType.STRUCT, args.params.size);
    for (const [key, value] of args.params) {
      w.writeString(key);
      writeValue(w, value);
    }
  }
  w.writeFieldStop();
  w.writeStructEnd();
}

/** `verifyClientVersion_args { 1: VerifyClientVersionReq req }` with `req { 1: binary version }`. */
export function readVerifyClientVersionArgs(r: TReader): { version: string } {
  // fbthrift's default for the field, used when a client leaves it out.
  let version = '3.0.0';
  readStruct(r, (type, id) => {
    if (id !== 1 || type !== TType.STRUCT) return false;
    readStruct(r, (t, fid) => {
      if (fid !== 1 || t !== TType.STRING) return false;
      version = r.readString();
      return true;
    });
    return true;
  });
  return { version };
}

export function writeVerifyClientVersionArgs(w: TWriter, version: string): void {
  w.writeStructBegin();
  w.writeFieldBegin(TType.STRUCT, 1);
  w.writeStructBegin();
  w.writeFieldBegin(TType.STRING, 1);
  w.writeString(version);
  w.writeFieldStop();
  w.writeStructEnd();
  w.writeFieldStop();
  w.writeStructEnd();
}
