// Pins that Values, DataSets and graph responses survive the binary and compact protocols exactly,
// and that truncated or random input is refused with a decode error instead of a crash.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BinaryReader, BinaryWriter } from '../../../src/server/thrift/binary-protocol.ts';
import { CompactReader } from '../../../src/server/thrift/compact-reader.ts';
import { CompactWriter } from '../../../src/server/thrift/compact-writer.ts';
import {
  readAuthResponse,
  readExecutionResponse,
  writeAuthResponse,
  writeExecutionResponse,
} from '../../../src/server/thrift/graph-responses.ts';
import { readExecuteArgs, writeExecuteArgs } from '../../../src/server/thrift/graph-requests.ts';
import { ThriftDecodeError, type TReader, type TWriter } from '../../../src/server/thrift/thrift-types.ts';
import { readDataSet, readValue } from '../../../src/server/thrift/value-reader.ts';
import { writeDataSet, writeValue } from '../../../src/server/thrift/value-writer.ts';
import { EMPTY, type Value } from '../../../src/value/types.ts';
import { dataSetArb, int64, valueArb } from './value-arbitrary.ts';

interface Proto {
  readonly name: string;
  writer(): TWriter;
  reader(buf: Buffer): TReader;
}

const protocols: readonly Proto[] = [
  { name: 'binary', writer: () => new BinaryWriter(), reader: (b) => new BinaryReader(b) },
  { name: 'compact v2', writer: () => new CompactWriter(2), reader: (b) => new CompactReader(b, 0, b.length, 2) },
  { name: 'compact v1', writer: () => new CompactWriter(1), reader: (b) => new CompactReader(b, 0, b.length, 1) },
];

function encode(p: Proto, write: (w: TWriter) => void): Buffer {
  const w = p.writer();
  write(w);
  return Buffer.from(w.finish());
}

describe.each(protocols)('$name protocol', (p) => {
  it('round-trips any Value', () => {
    fc.assert(
      fc.property(valueArb, (v) => {
        const buf = encode(p, (w) => writeValue(w, v));
        const r = p.reader(buf);
        expect(readValue(r)).toEqual(v);
        expect(r.remaining()).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips any DataSet', () => {
    fc.assert(
      fc.property(dataSetArb, (ds) => {
        const buf = encode(p, (w) => writeDataSet(w, ds));
        expect(readDataSet(p.reader(buf))).toEqual(ds);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps int64 extremes and unicode exact', () => {
    const values: Value[] = [-(2n ** 63n), 2n ** 63n - 1n, 'Tim Duncan ✓ 中文 😀', '', EMPTY, null, -0.5, 1e308];
    for (const v of values) expect(readValue(p.reader(encode(p, (w) => writeValue(w, v))))).toEqual(v);
  });

  it('refuses every strict prefix of an encoded value with a decode error', () => {
    fc.assert(
      fc.property(valueArb, fc.nat(), (v, cut) => {
        const buf = encode(p, (w) => writeValue(w, v));
        const prefix = buf.subarray(0, cut % buf.length);
        expect(() => readValue(p.reader(prefix))).toThrow(ThriftDecodeError);
      }),
      { numRuns: 300 },
    );
  });

  it('never fails on random bytes with anything but a decode error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          readValue(p.reader(Buffer.from(bytes)));
        } catch (e) {
          expect(e).toBeInstanceOf(ThriftDecodeError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips an ExecutionResponse with and without data', () => {
    fc.assert(
      fc.property(fc.option(dataSetArb, { nil: undefined }), fc.nat(), (data, latencyUs) => {
        const resp = { errorCode: 0, latencyUs, spaceName: 'basketballplayer', ...(data ? { data } : {}) };
        expect(readExecutionResponse(p.reader(encode(p, (w) => writeExecutionResponse(w, resp))))).toEqual(resp);
      }),
      { numRuns: 50 },
    );
    const failed = { errorCode: -1004, latencyUs: 3, spaceName: '', errorMsg: "SyntaxError: syntax error near `x'" };
    expect(readExecutionResponse(p.reader(encode(p, (w) => writeExecutionResponse(w, failed))))).toEqual(failed);
  });

  it('round-trips an AuthResponse and execute arguments with parameters', () => {
    const auth = { errorCode: 0, sessionId: 2n ** 62n + 7n, timeZoneOffsetSeconds: 0, timeZoneName: 'UTC' };
    expect(readAuthResponse(p.reader(encode(p, (w) => writeAuthResponse(w, auth))))).toEqual(auth);
    fc.assert(
      fc.property(int64, fc.string(), valueArb, (sessionId, stmt, v) => {
        const args = { sessionId, stmt, params: new Map([['p', v]]) };
        expect(readExecuteArgs(p.reader(encode(p, (w) => writeExecuteArgs(w, args))))).toEqual(args);
      }),
      { numRuns: 50 },
    );
  });
});

describe('compact protocol versions', () => {
  it('writes doubles big-endian in version 2 and little-endian in version 1', () => {
    const be = encode(protocols[1]!, (w) => w.writeDouble(1.5));
    const le = encode(protocols[2]!, (w) => w.writeDouble(1.5));
    expect(be.toString('hex')).toBe('3ff8000000000000');
    expect(le.toString('hex')).toBe('000000000000f83f');
  });

  it('learns the version from the message header', () => {
    const w = new CompactWriter(1);
    w.writeMessageBegin('execute', 1, 7);
    w.writeDouble(2.25);
    const r = new CompactReader(Buffer.from(w.finish()));
    expect(r.readMessageBegin()).toEqual({ name: 'execute', type: 1, seqid: 7 });
    expect(r.readDouble()).toBe(2.25);
  });
});

describe('binary message headers', () => {
  it('reads strict and old non-strict headers alike', () => {
    const w = new BinaryWriter();
    w.writeMessageBegin('authenticate', 1, 42);
    expect(new BinaryReader(Buffer.from(w.finish())).readMessageBegin()).toEqual({ name: 'authenticate', type: 1, seqid: 42 });
    const old = Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from('execute'), Buffer.from([1, 0, 0, 0, 9])]);
    expect(new BinaryReader(old).readMessageBegin()).toEqual({ name: 'execute', type: 1, seqid: 9 });
  });
});
