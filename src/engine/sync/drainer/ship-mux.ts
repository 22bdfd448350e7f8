/**
 * The drainer's side of Drainer.ShipMany: one gRPC stream from a listener carrying the frames of
 * many virtual Ship streams (one per source partition), numbered upwards by the listener (a
 * number is never used again; frames for a stream that already ended are dropped). Each one is
 * handed to the drainer as a `ShipCallLike`, exactly what a Ship call gives it, so a ShipStream
 * cannot tell the two apart: its hello, batches and answers, in order, per stream.
 *
 * Why: one INSERT on the primary is one WAL entry in each partition it touches; shipped on their
 * own streams, every entry and every answer was a gRPC message of its own, and the messages cost
 * listener and drainer more CPU than the rows. Here the answers written in one turn of the event
 * loop leave as one message (`TurnBatch`), as the listener's side does for the requests.
 *
 * Bounds, for a peer that does not play by the rules: at most SHIP_FRAMES_MAX frames a message
 * (else the call ends with INVALID_ARGUMENT) and SHIP_MANY_STREAMS_MAX open virtual streams (else
 * RESOURCE_EXHAUSTED); a virtual stream that is sent more than SHIP_QUEUE_MAX requests while its
 * ShipStream asked for no more (`pause`) is ended, since the listener's window never does that.
 * The call ending for any reason cancels every virtual stream on it.
 */
import { EventEmitter } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import { TurnBatch } from '../turn-batch.ts';
import { SHIP_FRAMES_MAX, SHIP_MANY_STREAMS_MAX, type ShipFrameMsg, type ShipFramesMsg, type ShipReplyMsg, type ShipRequestMsg } from '../wire.ts';

/** What a ShipStream uses of its call: a Ship call, or one virtual stream of a ShipMany call. */
export interface ShipCallLike {
  on(event: 'data', listener: (req: ShipRequestMsg) => void): unknown;
  on(event: 'end' | 'cancelled', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  pause(): unknown;
  resume(): unknown;
  write(reply: ShipReplyMsg): unknown;
  end(): unknown;
  readonly cancelled: boolean;
  readonly writable: boolean;
}

export type ShipManyCall = grpc.ServerDuplexStream<ShipFramesMsg, ShipFramesMsg>;

/** Requests a paused virtual stream may still be sent (the listener's window is far below it). */
const PAUSED_REQUESTS_MAX = 32;

class VirtualShipCall extends EventEmitter implements ShipCallLike {
  cancelled = false;
  writable = true;
  private paused = false;
  private pausedRequests = 0;

  constructor(
    private readonly id: number,
    private readonly mux: ShipMux,
  ) {
    super();
  }

  pause(): void {
    this.paused = true;
    this.pausedRequests = 0;
  }

  resume(): void {
    this.paused = false;
  }

  write(reply: ShipReplyMsg): boolean {
    if (this.writable) this.mux.send({ stream: this.id, reply });
    return true;
  }

  end(): void {
    if (!this.writable) return;
    this.writable = false;
    this.mux.send({ stream: this.id, close: true });
    this.mux.forget(this.id);
  }

  /** A request from the listener. */
  deliver(req: ShipRequestMsg): void {
    if (this.paused && ++this.pausedRequests > PAUSED_REQUESTS_MAX) {
      // Ended for the listener (a close frame), cancelled for its ShipStream.
      this.end();
      this.cancel();
      return;
    }
    this.emit('data', req);
  }

  /** The listener closed the stream, or the call is gone. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.writable = false;
    this.emit('cancelled');
  }
}

export class ShipMux {
  private readonly streams = new Map<number, VirtualShipCall>();
  /** Highest stream number seen: the listener numbers streams upwards and never reuses one. */
  private highestId = 0;
  private readonly outbox = new TurnBatch<ShipFrameMsg>((frames) => this.flush(frames));
  private ended = false;

  /** `open` takes each new virtual stream, as the drainer takes a Ship call. */
  constructor(
    private readonly call: ShipManyCall,
    private readonly open: (call: ShipCallLike) => void,
  ) {
    call.on('data', (msg: ShipFramesMsg) => this.received(msg));
    call.on('end', () => {
      this.shutDown();
      if (call.writable) call.end();
    });
    call.on('cancelled', () => this.shutDown());
    call.on('error', () => this.shutDown());
  }

  send(frame: ShipFrameMsg): void {
    if (!this.ended) this.outbox.push(frame);
  }

  forget(id: number): void {
    this.streams.delete(id);
  }

  private flush(frames: ShipFrameMsg[]): void {
    for (let i = 0; i < frames.length && !this.ended && !this.call.cancelled && this.call.writable; i += SHIP_FRAMES_MAX) {
      this.call.write({ frames: frames.slice(i, i + SHIP_FRAMES_MAX) });
    }
  }

  private received(msg: ShipFramesMsg): void {
    if (this.ended) return;
    const frames = msg?.frames;
    if (!Array.isArray(frames) || frames.length > SHIP_FRAMES_MAX) {
      return this.refuse(grpc.status.INVALID_ARGUMENT, `ShipMany: a message carries at most ${SHIP_FRAMES_MAX} frames`);
    }
    for (const frame of frames) {
      if (this.ended) return;
      const id = frame.stream;
      let stream = this.streams.get(id);
      if (frame.close === true) {
        stream?.cancel();
        this.streams.delete(id);
        continue;
      }
      if (frame.request === null || frame.request === undefined) continue;
      if (stream === undefined) {
        // A request for a stream that ended here and that the listener had not yet heard of.
        if (id <= this.highestId) continue;
        if (this.streams.size >= SHIP_MANY_STREAMS_MAX) {
          return this.refuse(grpc.status.RESOURCE_EXHAUSTED, `ShipMany: at most ${SHIP_MANY_STREAMS_MAX} streams on one call`);
        }
        this.highestId = id;
        stream = new VirtualShipCall(id, this);
        this.streams.set(id, stream);
        this.open(stream);
      }
      stream.deliver(frame.request);
    }
  }

  private refuse(code: grpc.status, details: string): void {
    this.shutDown();
    this.call.emit('error', { code, details, metadata: new grpc.Metadata() });
  }

  /** The call is over: every virtual stream on it is cancelled. */
  private shutDown(): void {
    if (this.ended) return;
    this.ended = true;
    for (const stream of this.streams.values()) stream.cancel();
    this.streams.clear();
    this.outbox.clear();
  }
}
