/**
 * A THeader + compact client built from Apache Thrift's own Node classes (as nebula-console >= 3.4
 * speaks): one call per connection, replies decoded into plain values (structs as {fieldId: value}).
 */
import { createRequire } from 'node:module';
import { connect } from 'node:net';

const require = createRequire(import.meta.url);
// The library is CommonJS without usable typings for what is used here.
type Any = any;
export const thrift: Any = require('thrift');
const Int64: Any = require('node-int64');

/** A thrift i64 argument from a bigint, exact over the whole range. */
export function i64(value: bigint): unknown {
  const buf = Buffer.alloc(8);
  buf.writeBigInt64BE(value);
  return new Int64(buf);
}

/** Apache Thrift's own THeader + compact encoding of a call, built with its protocol classes. */
export function theaderCall(name: string, seqid: number, writeArgs: (p: Any) => void): Buffer {
  let out: Buffer | undefined;
  const trans = new thrift.TBufferedTransport(undefined, (buf: Buffer) => {
    out = buf;
  });
  trans.setProtocolId(thrift.THeaderTransport?.SubprotocolId?.COMPACT ?? 2);
  const proto = new thrift.THeaderProtocol(trans);
  proto.writeMessageBegin(name, thrift.Thrift.MessageType.CALL, seqid);
  proto.writeStructBegin(`${name}_args`);
  writeArgs(proto);
  proto.writeFieldStop();
  proto.writeStructEnd();
  proto.writeMessageEnd();
  proto.flush();
  return out!;
}

/** Reads any Thrift value into plain JS: structs as {fieldId: value}, i64 as bigint. */
export function readAny(p: Any, type: number): unknown {
  const T = thrift.Thrift.Type;
  switch (type) {
    case T.STRUCT: {
      const out: Record<number, unknown> = {};
      p.readStructBegin();
      for (;;) {
        const f = p.readFieldBegin();
        if (f.ftype === T.STOP) break;
        out[f.fid] = readAny(p, f.ftype);
        p.readFieldEnd();
      }
      p.readStructEnd();
      return out;
    }
    case T.LIST:
    case T.SET: {
      const h = type === T.LIST ? p.readListBegin() : p.readSetBegin();
      return Array.from({ length: h.size }, () => readAny(p, h.etype));
    }
    case T.MAP: {
      const h = p.readMapBegin();
      return Array.from({ length: h.size }, () => [readAny(p, h.ktype), readAny(p, h.vtype)]);
    }
    case T.STRING:
      return p.readBinary().toString('utf8');
    case T.I64:
      return BigInt.asIntN(64, BigInt(`0x${p.readI64().toOctetString()}`));
    case T.BOOL:
      return p.readBool();
    case T.BYTE:
      return p.readByte();
    case T.I16:
      return p.readI16();
    case T.I32:
      return p.readI32();
    case T.DOUBLE:
      return p.readDouble();
    default:
      throw new Error(`type ${type}`);
  }
}

/** Sends one THeader frame and decodes the reply with Apache Thrift's THeaderProtocol. */
export async function theaderRoundTrip(port: number, request: Buffer): Promise<{ header: Any; result: Any }> {
  const socket = connect({ host: '127.0.0.1', port });
  const reply = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      const all = Buffer.concat(chunks);
      if (all.length >= 4 && all.length >= 4 + all.readUInt32BE(0)) resolve(all);
    });
    socket.on('error', reject);
    socket.write(request);
  });
  socket.destroy();
  let decoded: { header: Any; result: Any } | undefined;
  thrift.TBufferedTransport.receiver((trans: Any) => {
    const proto = new thrift.THeaderProtocol(trans);
    const header = proto.readMessageBegin();
    decoded = { header, result: readAny(proto, thrift.Thrift.Type.STRUCT) };
  })(reply);
  return decoded!;
}

