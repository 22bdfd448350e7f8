// Pins how frames are cut from a TCP stream (any split, many per chunk, a cap) and that THeader
// frames parse back to what was built, as fbthrift clients lay them out.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frame, FrameAssembler, FrameTooLargeError } from '../../../src/server/thrift/frame-assembler.ts';
import { buildTHeader, isTHeader, parseTHeader } from '../../../src/server/thrift/theader.ts';
import { ThriftDecodeError } from '../../../src/server/thrift/thrift-types.ts';
import { encodeMessage, openMessage } from '../../../src/server/thrift/wire-envelope.ts';

/** Cuts `bytes` at the given (sorted, deduplicated) offsets. */
function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let at = 0;
  for (const p of points) {
    out.push(bytes.subarray(at, p));
    at = p;
  }
  out.push(bytes.subarray(at));
  return out;
}

describe('FrameAssembler', () => {
  it('yields the same frames however the stream is split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (payloads, cuts) => {
          const stream = Buffer.concat(payloads.map((p) => frame(Buffer.from(p))));
          const asm = new FrameAssembler(1024);
          const got = split(stream, cuts).flatMap((chunk) => asm.push(chunk));
          expect(got.map((b) => [...b])).toEqual(payloads.map((p) => [...p]));
          expect(asm.pendingBytes).toBe(0);
        },
      ),
    );
  });

  it('answers several frames from one chunk and keeps a partial one', () => {
    const asm = new FrameAssembler(100);
    const stream = Buffer.concat([frame(Buffer.from('ab')), frame(Buffer.from('cde')), frame(Buffer.from('fgh')).subarray(0, 5)]);
    expect(asm.push(stream).map(String)).toEqual(['ab', 'cde']);
    expect(asm.pendingBytes).toBe(5);
    expect(asm.push(Buffer.from('gh')).map(String)).toEqual(['fgh']);
  });

  it('refuses a frame longer than the cap as soon as its length arrives', () => {
    const asm = new FrameAssembler(16);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(17);
    expect(() => asm.push(header.subarray(0, 2))).not.toThrow();
    expect(() => asm.push(header.subarray(2))).toThrow(FrameTooLargeError);
  });
});

describe('THeader', () => {
  it('parses back what it builds, info headers included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.constantFrom(0, 2),
        fc.array(fc.tuple(fc.string(), fc.string()), { maxLength: 4 }),
        fc.uint8Array({ maxLength: 50 }),
        (seqid, protocolId, info, body) => {
          const built = buildTHeader({ seqid, protocolId, info: new Map(info) }, Buffer.from(body));
          expect(built.readUInt32BE(0)).toBe(built.length - 4);
          const payload = built.subarray(4);
          expect(isTHeader(payload)).toBe(true);
          const { header, body: got } = parseTHeader(payload);
          expect(header.seqid).toBe(seqid);
          expect(header.protocolId).toBe(protocolId);
          expect(header.info).toEqual(new Map(info));
          expect([...got]).toEqual([...body]);
        },
      ),
    );
  });

  it('refuses a header that runs past its frame', () => {
    const built = buildTHeader({ seqid: 1, protocolId: 2 }, Buffer.alloc(0));
    const payload = Buffer.from(built.subarray(4));
    payload.writeUInt16BE(200, 8);
    expect(() => parseTHeader(payload)).toThrow(ThriftDecodeError);
  });

  it('carries a compact message whose reply goes back the same way', () => {
    const request = encodeMessage(
      { framing: 'header', protocol: { kind: 'compact', version: 2 }, headerSeqid: 5 },
      'execute',
      1,
      5,
      (w) => {
        w.writeStructBegin();
        w.writeFieldStop();
        w.writeStructEnd();
      },
    );
    const incoming = openMessage(request.subarray(4));
    expect(incoming.format).toEqual({ framing: 'header', protocol: { kind: 'compact', version: 2 }, headerSeqid: 5 });
    expect(incoming.message).toEqual({ name: 'execute', type: 1, seqid: 5 });
  });
});
