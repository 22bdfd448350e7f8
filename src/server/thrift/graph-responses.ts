/**
 * graph.thrift response structs (ExecutionResponse, AuthResponse, VerifyClientVersionResp) and the
 * `<method>_result` wrappers that carry them, both directions: the server writes them and our
 * client reads them.
 */
import type { ExecutionResponse } from '../graph-handler.ts';
import { readStruct, TType, type TReader, type TWriter } from './thrift-types.ts';
import { readDataSet } from './value-reader.ts';
import { writeDataSet } from './value-writer.ts';

/** AuthResponse as it crosses the wire. */
export interface AuthResponseWire {
  readonly errorCode: number;
  readonly errorMsg?: string;
  readonly sessionId?: bigint;
  readonly timeZoneOffsetSeconds?: number;
  readonly timeZoneName?: string;
}

/** VerifyClientVersionResp as it crosses the wire. */
export interface VerifyClientVersionWire {
  readonly errorCode: number;
  readonly errorMsg?: string;
}

/** Writes `struct <method>_result { 0: T success }` around `writeSuccess`. */
export function writeResult(w: TWriter, writeSuccess: (w: TWriter) => void, successType: number = TType.STRUCT): void {
  w.writeStructBegin();
  w.writeFieldBegin(successType, 0);
  writeSuccess(w);
  w.writeFieldStop();
  w.writeStructEnd();
}

/** Reads `struct <method>_result`, answering field 0 via `readSuccess`, or undefined if absent. */
export function readResult<T>(r: TReader, successType: number, readSuccess: (r: TReader) => T): T | undefined {
  let out: T | undefined;
  readStruct(r, (type, id) => {
    if (id !== 0 || type !== successType) return false;
    out = readSuccess(r);
    return true;
  });
  return out;
}

export function writeExecutionResponse(w: TWriter, resp: ExecutionResponse): void {
  w.writeStructBegin();
  w.writeFieldBegin(TType.I32, 1);
  w.writeI32(resp.errorCode);
  w.writeFieldBegin(TType.I64, 2);
  w.writeI64(BigInt(Math.max(0, Math.trunc(resp.latencyUs))));
  if (resp.data !== undefined) {
    w.writeFieldBegin(TType.STRUCT, 3);
    writeDataSet(w, resp.data);
  }
  w.writeFieldBegin(TType.STRING, 4);
  w.writeString(resp.spaceName);
  if (resp.errorMsg !== undefined) {
    w.writeFieldBegin(TType.STRING, 5);
    w.writeString(resp.errorMsg);
  }
  if (resp.comment !== undefined) {
    w.writeFieldBegin(TType.STRING, 7);
    w.writeString(resp.comment);
  }
  w.writeFieldStop();
  w.writeStructEnd();
}

export function readExecutionResponse(r: TReader): ExecutionResponse {
  const out: { -readonly [K in keyof ExecutionResponse]: ExecutionResponse[K] } = {
    errorCode: 0,
    latencyUs: 0,
    spaceName: '',
  };
  readStruct(r, (type, id) => {
    if (id === 1 && type === TType.I32) out.errorCode = r.readI32();
    else if (id === 2 && type === TType.I64) out.latencyUs = Number(r.readI64());
    else if (id === 3 && type === TType.STRUCT) out.data = readDataSet(r);
    else if (id === 4 && type === TType.STRING) out.spaceName = r.readString();
    else if (id === 5 && type === TType.STRING) out.errorMsg = r.readString();
    else if (id === 7 && type === TType.STRING) out.comment = r.readString();
    else return false;
    return true;
  });
  return out;
}

export function writeAuthResponse(w: TWriter, resp: AuthResponseWire): void {
  w.writeStructBegin();
  w.writeFieldBegin(TType.I32, 1);
  w.writeI32(resp.errorCode);
  if (resp.errorMsg !== undefined) {
    w.writeFieldBegin(TType.STRING, 2);
    w.writeString(resp.errorMsg);
  }
  if (resp.sessionId !== undefined) {
    w.writeFieldBegin(TType.I64, 3);
    w.writeI64(resp.sessionId);
  }
  if (resp.timeZoneOffsetSeconds !== undefined) {
    w.writeFieldBegin(TType.I32, 4);
    w.writeI32(resp.timeZoneOffsetSeconds);
  }
  if (resp.timeZoneName !== undefined) {
    w.writeFieldBegin(TType.STRING, 5);
    w.writeString(resp.timeZoneName);
  }
  w.writeFieldStop();
  w.writeStructEnd();
}

export function readAuthResponse(r: TReader): AuthResponseWire {
  const out: { -readonly [K in keyof AuthResponseWire]: AuthResponseWire[K] } = { errorCode: 0 };
  readStruct(r, (type, id) => {
    if (id === 1 && type === TType.I32) out.errorCode = r.readI32();
    else if (id === 2 && type === TType.STRING) out.errorMsg = r.readString();
    else if (id === 3 && type === TType.I64) out.sessionId = r.readI64();
    else if (id === 4 && type === TType.I32) out.timeZoneOffsetSeconds = r.readI32();
    else if (id === 5 && type === TType.STRING) out.timeZoneName = r.readString();
    else return false;
    return true;
  });
  return out;
}

export function writeVerifyClientVersionResp(w: TWriter, resp: VerifyClientVersionWire): void {
  w.writeStructBegin();
  w.writeFieldBegin(TType.I32, 1);
  w.writeI32(resp.errorCode);
  if (resp.errorMsg !== undefined) {
    w.writeFieldBegin(TType.STRING, 2);
    w.writeString(resp.errorMsg);
  }
  w.writeFieldStop();
  w.writeStructEnd();
}

export function readVerifyClientVersionResp(r: TReader): VerifyClientVersionWire {
  const out: { errorCode: number; errorMsg?: string } = { errorCode: 0 };
  readStruct(r, (type, id) => {
    if (id === 1 && type === TType.I32) out.errorCode = r.readI32();
    else if (id === 2 && type === TType.STRING) out.errorMsg = r.readString();
    else return false;
    return true;
  });
  return out;
}

/** TApplicationException type codes (Thrift's, shared by every implementation). */
export const AppExceptionType = {
  UNKNOWN: 0,
  UNKNOWN_METHOD: 1,
  INTERNAL_ERROR: 6,
  PROTOCOL_ERROR: 7,
} as const;

export function writeAppException(w: TWriter, message: string, type: number): void {
  w.writeStructBegin();
  w.writeFieldBegin(TType.STRING, 1);
  w.writeString(message);
  w.writeFieldBegin(TType.I32, 2);
  w.writeI32(type);
  w.writeFieldStop();
  w.writeStructEnd();
}

export function readAppException(r: TReader): { message: string; type: number } {
  const out = { message: '', type: AppExceptionType.UNKNOWN as number };
  readStruct(r, (type, id) => {
    if (id === 1 && type === TType.STRING) out.message = r.readString();
    else if (id === 2 && type === TType.I32) out.type = r.readI32();
    else return false;
    return true;
  });
  return out;
}
