/**
 * One Storage.ApplyDataMany stream to one secondary storage host, shared by every Ship stream of
 * the drainer that applies there. One INSERT on the primary becomes one WAL entry in each
 * partition it touches, and so one request per partition arriving here at nearly the same moment;
 * sent one message each, the messages (and their answers) cost the drainer and the secondary more
 * CPU than the rows. Here the requests made during one turn of the event loop leave as one
 * message (`TurnBatch`), and the secondary applies them together (one group
 * commit) and answers them in one message.
 *
 * Order: each Ship stream has at most one request in flight and the secondary applies a
 * partition's requests in arrival order, so a partition's order is kept; messages are answered in
 * the order they went out, each answer resolving its message's requests. A broken stream, an
 * answer that does not fit its message, or one that takes longer than APPLY_DEADLINE_MS fails
 * every waiting request (each Ship stream holds its batch and retries, as for any E_RPC_FAILURE);
 * a broken channel is replaced, never reused. A secondary without ApplyDataMany (UNIMPLEMENTED,
 * an older version) makes `legacy` true: the link then uses one ApplyDataStream per Ship stream.
 */
import type * as grpc from '@grpc/grpc-js';
import { openManyCall } from '../rpc-call.ts';
import { TurnBatch } from '../turn-batch.ts';
import { APPLY_MANY_ITEMS_MAX, MANY_MESSAGE_BYTES_MAX, payloadBytes, type ApplyManyReplyMsg, type ApplyManyRequestMsg, type ApplyReplyMsg, type ApplyRequestMsg } from '../wire.ts';
import { APPLY_DEADLINE_MS } from './data-channel.ts';

/** Payload bytes of one message, at most (a single larger request still goes, alone). */
export const APPLY_MANY_BYTES_MAX = MANY_MESSAGE_BYTES_MAX;

interface Item {
  readonly req: ApplyRequestMsg;
  readonly bytes: number;
  readonly resolve: (reply: ApplyReplyMsg) => void;
  readonly reject: (error: Error) => void;
}

interface Sent {
  readonly items: readonly Item[];
  readonly timer: NodeJS.Timeout;
}

export class ApplyManyChannel {
  private readonly call: grpc.ClientDuplexStream<ApplyManyRequestMsg, ApplyManyReplyMsg>;
  private readonly pending = new TurnBatch<Item>((items) => this.flush(items));
  private readonly sent: Sent[] = [];
  private failure: Error | undefined;
  /** The secondary does not know ApplyDataMany. */
  legacy = false;

  constructor(client: grpc.Client) {
    this.call = openManyCall<ApplyManyRequestMsg, ApplyManyReplyMsg>(client, 'ApplyDataMany', 'the secondary ended the apply stream', (reply) => this.answered(reply), (error, legacy) => {
      if (legacy) this.legacy = true;
      this.fail(error);
    });
  }

  /** Whether the channel broke; a broken channel is replaced, never reused. */
  get broken(): boolean {
    return this.failure !== undefined;
  }

  apply(req: ApplyRequestMsg): Promise<ApplyReplyMsg> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.pending.push({ req, bytes: payloadBytes(req), resolve, reject }));
  }

  close(): void {
    this.fail(new Error('closed'));
  }

  /** Send `pending` as few messages as the limits allow. */
  private flush(pending: Item[]): void {
    while (pending.length > 0) {
      if (this.failure !== undefined) {
        for (const item of pending) item.reject(this.failure);
        return;
      }
      let n = 0;
      let bytes = 0;
      while (n < pending.length && n < APPLY_MANY_ITEMS_MAX && (n === 0 || bytes + pending[n]!.bytes <= APPLY_MANY_BYTES_MAX)) {
        bytes += pending[n]!.bytes;
        n++;
      }
      const items = pending.splice(0, n);
      const timer = setTimeout(() => this.fail(new Error(`no answer in ${APPLY_DEADLINE_MS} ms`)), APPLY_DEADLINE_MS);
      this.sent.push({ items, timer });
      this.call.write({ items: items.map((i) => i.req) });
    }
  }

  private answered(reply: ApplyManyReplyMsg): void {
    const head = this.sent.shift();
    if (head === undefined) return this.fail(new Error('an answer nobody asked for'));
    clearTimeout(head.timer);
    const replies = reply.items ?? [];
    if (replies.length !== head.items.length) {
      this.sent.unshift(head);
      return this.fail(new Error(`an answer of ${replies.length} items to a message of ${head.items.length}`));
    }
    head.items.forEach((item, i) => item.resolve(replies[i]!));
  }

  private fail(error: Error): void {
    if (this.failure === undefined) {
      this.failure = error;
      this.call.cancel();
    }
    for (const s of this.sent.splice(0)) {
      clearTimeout(s.timer);
      for (const item of s.items) item.reject(error);
    }
    for (const item of this.pending.clear()) item.reject(error);
  }
}
