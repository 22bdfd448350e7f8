// Pins the drainer's apply stream to the secondary: answers resolve the requests in the order they
// were sent, and a stream that breaks fails every waiting request instead of leaving it hanging.
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { DataChannel } from '../../../../../src/engine/sync/drainer/data-channel.ts';
import type { ApplyReplyMsg, ApplyRequestMsg } from '../../../../../src/engine/sync/wire.ts';
import { clientFor, serviceDefinition } from '../../../../../src/server/rpc/proto.ts';
import { bindRpc, closeRpcPorts } from '../../../../helpers/rpc-ports.ts';

let server: grpc.Server | undefined;
let client: grpc.Client | undefined;
afterEach(() => {
  client?.close();
  closeRpcPorts();
});

/** A storage service whose apply stream answers each request with its part as the position. */
async function start(answerAfterMs: (req: ApplyRequestMsg) => number): Promise<string> {
  server = new grpc.Server();
  server.addService(serviceDefinition('Storage'), {
    ApplyDataStream: (call: grpc.ServerDuplexStream<ApplyRequestMsg, ApplyReplyMsg>) => {
      let chain = Promise.resolve();
      call.on('data', (req: ApplyRequestMsg) => {
        chain = chain.then(async () => {
          await new Promise((r) => setTimeout(r, answerAfterMs(req)));
          call.write({ code: 0, message: '', position: { applied_log_id: String(req.part), applied_ts: '0', needs_snapshot: false } });
        });
      });
      call.on('error', () => undefined);
    },
  });
  const port = await bindRpc(server, '127.0.0.1:0');
  return `127.0.0.1:${port}`;
}

const request = (part: number) => ({ part, target_space: 't', drainer: 'd', position_only: true }) as unknown as ApplyRequestMsg;

describe('DataChannel', () => {
  it('resolves answers in the order the requests went out', async () => {
    const addr = await start((req) => (req.part === 1 ? 30 : 0));
    client = clientFor('Storage', addr);
    const channel = new DataChannel(client);
    const answers = await Promise.all([1, 2, 3].map((p) => channel.apply(request(p))));
    expect(answers.map((a) => a.position!.applied_log_id)).toEqual(['1', '2', '3']);
    channel.close();
    await expect(channel.apply(request(4))).rejects.toThrow(/closed/);
  });

  it('fails every waiting request when the secondary goes away', async () => {
    const addr = await start(() => 10_000);
    client = clientFor('Storage', addr);
    const channel = new DataChannel(client);
    const waiting = [channel.apply(request(1)), channel.apply(request(2))];
    await new Promise((r) => setTimeout(r, 100));
    closeRpcPorts();
    for (const w of waiting) await expect(w).rejects.toThrow();
    expect(channel.broken).toBe(true);
  });
});
