/**
 * A stand-in for a listener in drainer tests: one Ship stream, requests written in order, answers
 * read one at a time (or 'end' once the drainer ended the stream).
 */
import type * as grpc from '@grpc/grpc-js';
import type { ShipReplyMsg, SourceSpaceMsg } from '../../../../../src/engine/sync/wire.ts';
import { clientFor } from '../../../../../src/server/rpc/proto.ts';

export class ShipClient {
  private readonly client: grpc.Client;
  private readonly call: grpc.ClientDuplexStream<object, ShipReplyMsg>;
  private readonly answers: (ShipReplyMsg | 'end')[] = [];
  private waiter: (() => void) | undefined;

  constructor(drainerAddr: string) {
    this.client = clientFor('Drainer', drainerAddr);
    this.call = (this.client as unknown as { Ship(): grpc.ClientDuplexStream<object, ShipReplyMsg> }).Ship();
    this.call.on('data', (reply: ShipReplyMsg) => this.push(reply));
    this.call.on('end', () => this.push('end'));
    this.call.on('error', () => this.push('end'));
  }

  private push(answer: ShipReplyMsg | 'end'): void {
    this.answers.push(answer);
    this.waiter?.();
  }

  hello(source: SourceSpaceMsg, part: number, target = 'target'): this {
    this.call.write({ hello: { source, target_space: target, part, listener: '127.0.0.1:9789' } });
    return this;
  }

  send(body: object): this {
    this.call.write(body);
    return this;
  }

  /** The next answer, or 'end'; rejects after `timeoutMs`. */
  async next(timeoutMs = 10_000): Promise<ShipReplyMsg | 'end'> {
    const deadline = Date.now() + timeoutMs;
    while (this.answers.length === 0) {
      if (Date.now() > deadline) throw new Error('no answer from the drainer');
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 50);
      });
    }
    return this.answers.shift()!;
  }

  /** Whether an answer is already waiting (used to show a batch is held back). */
  hasAnswer(): boolean {
    return this.answers.length > 0;
  }

  close(): void {
    this.call.end();
    this.client.close();
  }
}
