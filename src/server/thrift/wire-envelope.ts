/**
 * From a frame payload to a message reader, and from a reply body to a frame, in the caller's
 * framing (framed or THeader) and protocol (binary or compact, with the compact version echoed).
 */
import { BinaryReader, BinaryWriter } from './binary-protocol.ts';
import { COMPACT_PROTOCOL_ID, COMPACT_VERSION_BE } from './compact-protocol.ts';
import { CompactReader } from './compact-reader.ts';
import { CompactWriter } from './compact-writer.ts';
import { frame } from './frame-assembler.ts';
import { buildTHeader, isTHeader, parseTHeader, THeaderProtocolId } from './theader.ts';
import { ThriftDecodeError, type MessageHeader, type TReader, type TWriter } from './thrift-types.ts';

export type WireProtocol = { readonly kind: 'binary' } | { readonly kind: 'compact'; readonly version: number };

/** How a peer frames and encodes its messages; replies go back the same way. */
export interface WireFormat {
  readonly framing: 'framed' | 'header';
  readonly protocol: WireProtocol;
  /** THeader fields echoed in replies. */
  readonly headerSeqid?: number;
}

export interface IncomingMessage {
  readonly format: WireFormat;
  readonly message: MessageHeader;
  /** Positioned at the message's argument struct. */
  readonly reader: TReader;
}

export const FRAMED_BINARY: WireFormat = Object.freeze({ framing: 'framed', protocol: Object.freeze({ kind: 'binary' }) });

/** Decodes the framing and message header of one frame payload. Throws `ThriftDecodeError`. */
export function openMessage(payload: Buffer): IncomingMessage {
  if (isTHeader(payload)) {
    const { header, body } = parseTHeader(payload);
    if (header.transforms.length > 0) {
      throw new ThriftDecodeError(`THeader transforms ${header.transforms.join(',')} are not supported`);
    }
    if (header.protocolId === THeaderProtocolId.BINARY) {
      return open(body, { framing: 'header', protocol: { kind: 'binary' }, headerSeqid: header.seqid });
    }
    if (header.protocolId === THeaderProtocolId.COMPACT) {
      return open(body, { framing: 'header', protocol: { kind: 'compact', version: 0 }, headerSeqid: header.seqid });
    }
    throw new ThriftDecodeError(`THeader protocol id ${header.protocolId} is not supported`);
  }
  if (payload.length > 0 && payload[0] === COMPACT_PROTOCOL_ID) {
    return open(payload, { framing: 'framed', protocol: { kind: 'compact', version: 0 } });
  }
  return open(payload, FRAMED_BINARY);
}

function open(body: Buffer, format: WireFormat): IncomingMessage {
  if (format.protocol.kind === 'binary') {
    const reader = new BinaryReader(body);
    return { format, message: reader.readMessageBegin(), reader };
  }
  const reader = new CompactReader(body);
  const message = reader.readMessageBegin();
  return { format: { ...format, protocol: { kind: 'compact', version: reader.version } }, message, reader };
}

export function newWriter(protocol: WireProtocol): TWriter {
  return protocol.kind === 'binary' ? new BinaryWriter() : new CompactWriter(protocol.version || COMPACT_VERSION_BE);
}

/** Encodes a whole message (header, body struct) and frames it in `format`. */
export function encodeMessage(
  format: WireFormat,
  name: string,
  type: number,
  seqid: number,
  writeBody: (w: TWriter) => void,
): Buffer {
  const w = newWriter(format.protocol);
  w.writeMessageBegin(name, type, seqid);
  writeBody(w);
  const body = w.finish();
  if (format.framing === 'framed') return frame(body);
  const protocolId = format.protocol.kind === 'binary' ? THeaderProtocolId.BINARY : THeaderProtocolId.COMPACT;
  return buildTHeader({ seqid: format.headerSeqid ?? seqid, protocolId }, body);
}
