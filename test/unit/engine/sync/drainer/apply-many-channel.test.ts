// Pins the drainer's shared apply stream to the secondary: requests made together leave as one
// message and are answered from one reply, in order; limits split messages; a broken stream, a
// reply that does not fit, or a secondary without ApplyDataMany fails every waiting request, and
// the link then falls back to ApplyDataStream.
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../../src/errors.ts';
import { APPLY_MANY_BYTES_MAX, ApplyManyChannel } from '../../../../../src/engine/sync/drainer/apply-many-channel.ts';
import type { AssignmentPoller } from '../../../../../src/engine/sync/drainer/assignment-poller.ts';
import { SecondaryLink } from '../../../../../src/engine/sync/drainer/secondary-link.ts';
import { APPLY_MANY_ITEMS_MAX, type ApplyManyReplyMsg, type ApplyManyRequestMsg, type ApplyRequestMsg } from '../../../../../src/engine/sync/wire.ts';
import { clientFor, serviceDefinition } from '../../../../../src/server/rpc/proto.ts';
import { bindRpc, closeRpcPorts } from '../../../../helpers/rpc-ports.ts';

let server: grpc.Server | undefined;
let client: grpc.Client | undefined;
afterEach(() => {
  client?.close();
  closeRpcPorts();
});

type Answer = (msg: ApplyManyRequestMsg) => ApplyManyReplyMsg | 'hang';

/** A storage service whose ApplyDataMany records each message's parts and answers with `answer`. */
async function start(seen: number[][], answer: Answer): Promise<string> {
  server = new grpc.Server();
  server.addService(serviceDefinition('Storage'), {
    ApplyDataMany: (call: grpc.ServerDuplexStream<ApplyManyRequestMsg, ApplyManyReplyMsg>) => {
      call.on('data', (msg: ApplyManyRequestMsg) => {
        seen.push(msg.items.map((i) => i.part));
        const reply = answer(msg);
        if (reply !== 'hang') call.write(reply);
      });
      call.on('error', () => undefined);
    },
  });
  const port = await bindRpc(server, '127.0.0.1:0');
  return `127.0.0.1:${port}`;
}

/** Each item answered with its part as the applied log id. */
const echo: Answer = (msg) => ({
  items: msg.items.map((i) => ({ code: 0, message: '', position: { applied_log_id: String(i.part), applied_ts: '0', needs_snapshot: false } })),
});

const request = (part: number, entryBytes = 0) =>
  ({ part, target_space: 't', drainer: 'd', batch: { first_log_id: 1, last_log_id: 1, entries: entryBytes > 0 ? [Buffer.alloc(entryBytes)] : [] } }) as unknown as ApplyRequestMsg;

describe('ApplyManyChannel', () => {
  it('sends the requests of one moment as one message and resolves each with its own answer', async () => {
    const seen: number[][] = [];
    client = clientFor('Storage', await start(seen, echo));
    const channel = new ApplyManyChannel(client);
    const answers = await Promise.all([3, 1, 2].map((p) => channel.apply(request(p))));
    expect(answers.map((a) => a.position!.applied_log_id)).toEqual(['3', '1', '2']);
    expect(seen).toEqual([[3, 1, 2]]);
    // A later request is another message.
    expect((await channel.apply(request(7))).position!.applied_log_id).toBe('7');
    expect(seen).toEqual([[3, 1, 2], [7]]);
    channel.close();
    await expect(channel.apply(request(4))).rejects.toThrow(/closed/);
  });

  it('keeps a message within the item and byte limits, in order', async () => {
    const seen: number[][] = [];
    client = clientFor('Storage', await start(seen, echo));
    const channel = new ApplyManyChannel(client);
    const parts = Array.from({ length: APPLY_MANY_ITEMS_MAX + 5 }, (_, i) => i + 1);
    await Promise.all(parts.map((p) => channel.apply(request(p))));
    expect(seen.map((m) => m.length)).toEqual([APPLY_MANY_ITEMS_MAX, 5]);
    expect(seen.flat()).toEqual(parts);
    seen.length = 0;
    const big = Math.floor(APPLY_MANY_BYTES_MAX / 2) + 1;
    await Promise.all([1, 2, 3].map((p) => channel.apply(request(p, big))));
    expect(seen).toEqual([[1], [2], [3]]);
    channel.close();
  });

  it('fails every waiting request when a reply does not fit its message', async () => {
    const seen: number[][] = [];
    client = clientFor('Storage', await start(seen, () => ({ items: [] })));
    const channel = new ApplyManyChannel(client);
    const waiting = [channel.apply(request(1)), channel.apply(request(2))];
    for (const w of waiting) await expect(w).rejects.toThrow(/answer of 0 items to a message of 2/);
    expect(channel.broken).toBe(true);
  });

  it('fails every waiting request when the secondary goes away', async () => {
    const seen: number[][] = [];
    client = clientFor('Storage', await start(seen, () => 'hang'));
    const channel = new ApplyManyChannel(client);
    const waiting = [channel.apply(request(1)), channel.apply(request(2))];
    await new Promise((r) => setTimeout(r, 100));
    closeRpcPorts();
    for (const w of waiting) await expect(w).rejects.toThrow();
    expect(channel.broken).toBe(true);
    expect(channel.legacy).toBe(false);
  });

  it('marks a secondary without ApplyDataMany as legacy', async () => {
    server = new grpc.Server();
    server.addService(serviceDefinition('Storage'), {});
    client = clientFor('Storage', `127.0.0.1:${await bindRpc(server, '127.0.0.1:0')}`);
    const channel = new ApplyManyChannel(client);
    await expect(channel.apply(request(1))).rejects.toThrow();
    expect(channel.legacy).toBe(true);
  });
});

describe('SecondaryLink', () => {
  it('falls back to one ApplyDataStream per session where the secondary has no ApplyDataMany', async () => {
    server = new grpc.Server();
    server.addService(serviceDefinition('Storage'), {
      ApplyDataStream: (call: grpc.ServerDuplexStream<ApplyRequestMsg, unknown>) => {
        call.on('data', (req: ApplyRequestMsg) => call.write({ code: 0, message: '', position: { applied_log_id: String(req.part), applied_ts: '0', needs_snapshot: false } }));
        call.on('error', () => undefined);
      },
    });
    const addr = `127.0.0.1:${await bindRpc(server, '127.0.0.1:0')}`;
    const assignment = { storageHosts: [addr], refresh: async () => false } as unknown as AssignmentPoller;
    const link = new SecondaryLink(clientFor('Meta', addr), assignment);
    const session = link.session();
    // The first try meets UNIMPLEMENTED and answers a failure the ship stream retries (held).
    expect((await session.apply(request(2))).code).toBe(ErrorCode.E_RPC_FAILURE);
    const answer = await session.apply(request(2));
    expect(answer.code).toBe(0);
    expect(answer.position!.applied_log_id).toBe('2');
    session.close();
    link.close();
  });
});
