/**
 * The listener's side of Drainer.ShipMany: the Ship streams of all its partitions to one drainer
 * as frames of one gRPC stream (the drainer's side is src/engine/sync/drainer/ship-mux.ts). Each
 * partition's ShipSession gets a `ShipCallLike` that behaves as a Ship call: it writes requests,
 * hears answers in order, sees `end` when the drainer ended the stream and `error` when the call
 * under it broke, and `cancel()` closes it.
 *
 * Requests written during one turn of the event loop (one commit on the primary reaches every
 * partition's tail at once) leave as one message (`TurnBatch`), at most SHIP_FRAMES_MAX frames and
 * MANY_MESSAGE_BYTES_MAX payload bytes each. Streams are numbered upwards from 1 and a number is
 * never used again on a call. A broken call fails every stream on it, and the next `open()` starts
 * a new call; a drainer that answers UNIMPLEMENTED (an older version) makes `legacy` true, and the
 * listener then opens a plain Ship call per partition (rpc-clients.ts).
 */
import { EventEmitter } from 'node:events';
import type * as grpc from '@grpc/grpc-js';
import { openManyCall } from '../rpc-call.ts';
import { TurnBatch } from '../turn-batch.ts';
import { MANY_MESSAGE_BYTES_MAX, payloadBytes, SHIP_FRAMES_MAX, type ShipFrameMsg, type ShipFramesMsg, type ShipReplyMsg, type ShipRequestMsg } from '../wire.ts';

/** What a ShipSession uses of its call: a Ship call, or one virtual stream of a ShipMany call. */
export interface ShipCallLike {
  on(event: 'data', listener: (reply: ShipReplyMsg) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  write(req: ShipRequestMsg): unknown;
  cancel(): void;
}

class VirtualShipCall extends EventEmitter implements ShipCallLike {
  private open = true;

  constructor(
    readonly id: number,
    private readonly mux: ShipMuxCall,
  ) {
    super();
  }

  write(request: ShipRequestMsg): boolean {
    if (this.open) this.mux.send({ stream: this.id, request });
    return true;
  }

  cancel(): void {
    if (!this.open) return;
    this.open = false;
    this.mux.send({ stream: this.id, close: true });
    this.mux.forget(this.id);
  }

  /** The drainer answered, ended the stream, or the call broke. */
  reply(reply: ShipReplyMsg): void {
    if (this.open) this.emit('data', reply);
  }

  /**
   * The end and a failure are told a turn later, as a gRPC call tells them: an answer that came in
   * the same message as the end (a refused hello, then the end) is handled first.
   */
  ended(): void {
    if (!this.open) return;
    this.open = false;
    setImmediate(() => this.emit('end'));
  }

  failed(err: Error): void {
    if (!this.open) return;
    this.open = false;
    setImmediate(() => this.emit('error', err));
  }
}

/** One ShipMany call to one drainer and the virtual streams on it. */
export class ShipMuxCall {
  private readonly call: grpc.ClientDuplexStream<ShipFramesMsg, ShipFramesMsg>;
  private readonly streams = new Map<number, VirtualShipCall>();
  private nextId = 1;
  private readonly outbox = new TurnBatch<ShipFrameMsg>((frames) => this.flush(frames));
  private failure: Error | undefined;
  /** The drainer does not know ShipMany. */
  legacy = false;

  constructor(client: grpc.Client) {
    this.call = openManyCall<ShipFramesMsg, ShipFramesMsg>(client, 'ShipMany', 'the drainer ended the ShipMany call', (msg) => this.received(msg), (err, legacy) => {
      if (legacy) this.legacy = true;
      this.fail(err);
    });
  }

  /** Whether the call broke; a broken call is replaced, never reused. */
  get broken(): boolean {
    return this.failure !== undefined;
  }

  /** A new virtual Ship stream on this call. */
  open(): ShipCallLike {
    const stream = new VirtualShipCall(this.nextId++, this);
    this.streams.set(stream.id, stream);
    // As a call would: the failure arrives as an event, after the caller subscribed.
    if (this.failure !== undefined) stream.failed(this.failure);
    return stream;
  }

  send(frame: ShipFrameMsg): void {
    if (this.failure === undefined) this.outbox.push(frame);
  }

  forget(id: number): void {
    this.streams.delete(id);
  }

  /** End the call and every stream on it. */
  close(): void {
    this.fail(new Error('closed'));
  }

  /** Send `frames` as few messages as the limits allow: SHIP_FRAMES_MAX frames, MANY_MESSAGE_BYTES_MAX. */
  private flush(frames: ShipFrameMsg[]): void {
    let i = 0;
    while (i < frames.length && this.failure === undefined) {
      let n = 0;
      let bytes = 0;
      for (; i + n < frames.length && n < SHIP_FRAMES_MAX; n++) {
        const size = frames[i + n]!.request ? payloadBytes(frames[i + n]!.request!) : 0;
        if (n > 0 && bytes + size > MANY_MESSAGE_BYTES_MAX) break;
        bytes += size;
      }
      this.call.write({ frames: frames.slice(i, i + n) });
      i += n;
    }
  }

  private received(msg: ShipFramesMsg): void {
    for (const frame of msg.frames ?? []) {
      const stream = this.streams.get(frame.stream);
      if (stream === undefined) continue;
      if (frame.reply !== null && frame.reply !== undefined) stream.reply(frame.reply);
      if (frame.close === true) {
        this.streams.delete(frame.stream);
        stream.ended();
      }
    }
  }

  private fail(err: Error): void {
    if (this.failure !== undefined) return;
    this.failure = err;
    this.outbox.clear();
    this.call.cancel();
    const streams = [...this.streams.values()];
    this.streams.clear();
    for (const s of streams) s.failed(err);
  }
}
