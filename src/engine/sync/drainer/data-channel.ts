/**
 * One Storage.ApplyDataStream to the secondary, owned by one Ship stream (one source partition):
 * requests go out in order and each answer resolves the oldest waiting request. A broken stream,
 * or an answer that takes longer than APPLY_DEADLINE_MS, fails every waiting request; the owner
 * answers its listener with the failure and the listener reconnects.
 */
import type * as grpc from '@grpc/grpc-js';
import type { ApplyReplyMsg, ApplyRequestMsg } from '../wire.ts';

/** Longest wait for one answer: a large batch with fsync can take a while. */
export const APPLY_DEADLINE_MS = 30_000;

interface Waiting {
  readonly resolve: (reply: ApplyReplyMsg) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export class DataChannel {
  private readonly call: grpc.ClientDuplexStream<ApplyRequestMsg, ApplyReplyMsg>;
  private readonly waiting: Waiting[] = [];
  private failure: Error | undefined;

  constructor(client: grpc.Client) {
    const open = (client as unknown as { ApplyDataStream(): grpc.ClientDuplexStream<ApplyRequestMsg, ApplyReplyMsg> }).ApplyDataStream;
    this.call = open.call(client);
    this.call.on('data', (reply: ApplyReplyMsg) => {
      const head = this.waiting.shift();
      if (head === undefined) return this.fail(new Error('an answer nobody asked for'));
      clearTimeout(head.timer);
      head.resolve(reply);
    });
    this.call.on('error', (error: Error) => this.fail(error));
    this.call.on('end', () => this.fail(new Error('the secondary ended the apply stream')));
  }

  /** Whether the channel broke; a broken channel is replaced, never reused. */
  get broken(): boolean {
    return this.failure !== undefined;
  }

  apply(req: ApplyRequestMsg): Promise<ApplyReplyMsg> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error(`no answer in ${APPLY_DEADLINE_MS} ms`)), APPLY_DEADLINE_MS);
      this.waiting.push({ resolve, reject, timer });
      this.call.write(req);
    });
  }

  close(): void {
    this.fail(new Error('closed'));
  }

  private fail(error: Error): void {
    if (this.failure === undefined) {
      this.failure = error;
      this.call.cancel();
    }
    for (const w of this.waiting.splice(0)) {
      clearTimeout(w.timer);
      w.reject(error);
    }
  }
}
