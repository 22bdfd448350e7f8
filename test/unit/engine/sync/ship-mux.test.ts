// Pins Drainer.ShipMany, both ends over a real gRPC server: virtual Ship streams keep their own
// order and answers, requests written together travel as one message, closing and ending a
// stream reach the other side, a call breaking fails every stream on it, a peer over the limits is
// cut off, and a listener falls back to plain Ship calls where the drainer has no ShipMany.
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { ShipMux, type ShipCallLike as ServerSide, type ShipManyCall } from '../../../../src/engine/sync/drainer/ship-mux.ts';
import { RpcClients } from '../../../../src/engine/sync/listener/rpc-clients.ts';
import { ShipMuxCall, type ShipCallLike } from '../../../../src/engine/sync/listener/ship-mux.ts';
import { MANY_MESSAGE_BYTES_MAX, SHIP_FRAMES_MAX, type ShipFramesMsg, type ShipReplyMsg, type ShipRequestMsg } from '../../../../src/engine/sync/wire.ts';
import { clientFor, serviceDefinition } from '../../../../src/server/rpc/proto.ts';
import { bindRpc, closeRpcPorts } from '../../../helpers/rpc-ports.ts';

let server: grpc.Server | undefined;
const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
  closeRpcPorts();
});

const hello = (part: number): ShipRequestMsg => ({ hello: { source: null as never, target_space: 't', part, listener: 'l' } });
const batch = (first: number): ShipRequestMsg => ({ batch: { first_log_id: first, last_log_id: first, entries: [] } as never });
const logIdOf = (reply: ShipReplyMsg) => reply.position?.applied_log_id;

interface Served {
  /** Messages the server received, by frame count. */
  readonly messages: number[];
  /** Server-side streams, in the order they opened. */
  readonly streams: ServerSide[];
  readonly cancelled: number[];
}

/**
 * A drainer whose every virtual stream answers each request with (part * 1000 + log id) as the
 * applied log id (the hello with part * 1000), and ends after a batch of log id 99.
 */
async function start(): Promise<{ addr: string; served: Served }> {
  const served: Served = { messages: [], streams: [], cancelled: [] };
  server = new grpc.Server();
  server.addService(serviceDefinition('Drainer'), {
    ShipMany: (call: ShipManyCall) => {
      call.on('data', (m: ShipFramesMsg) => served.messages.push(m.frames?.length ?? 0));
      new ShipMux(call, (stream) => {
        const index = served.streams.push(stream) - 1;
        let part = 0;
        stream.on('data', (req: ShipRequestMsg) => {
          if (req.hello?.part === 66) {
            // A refused hello: the answer, then the end, in one message.
            stream.write({ code: -1005, message: 'SpaceNotFound', position: null });
            return void stream.end();
          }
          if (req.hello) part = req.hello.part;
          const logId = req.batch ? Number(req.batch.first_log_id) : 0;
          stream.write({ code: 0, message: '', position: { applied_log_id: String(part * 1000 + logId), applied_ts: '0', needs_snapshot: false } });
          if (logId === 99) stream.end();
        });
        stream.on('cancelled', () => served.cancelled.push(index));
      });
    },
  });
  const port = await bindRpc(server, '127.0.0.1:0');
  return { addr: `127.0.0.1:${port}`, served };
}

/** Everything a client-side stream heard. */
function record(call: ShipCallLike) {
  const heard = { replies: [] as string[], ended: false, error: undefined as Error | undefined };
  call.on('data', (r) => heard.replies.push(String(logIdOf(r))));
  call.on('end', () => (heard.ended = true));
  call.on('error', (e) => (heard.error = e));
  return heard;
}

const until = async (cond: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('ShipMany', () => {
  it('carries many streams in few messages, each with its own answers in order', async () => {
    const { addr, served } = await start();
    const client = clientFor('Drainer', addr);
    closers.push(() => client.close());
    const mux = new ShipMuxCall(client);
    closers.push(() => mux.close());
    const calls = [1, 2, 3].map(() => mux.open());
    const heard = calls.map(record);
    calls.forEach((c, i) => c.write(hello(i + 1)));
    calls.forEach((c) => c.write(batch(5)));
    await until(() => heard.every((h) => h.replies.length === 2));
    expect(heard.map((h) => h.replies)).toEqual([
      ['1000', '1005'],
      ['2000', '2005'],
      ['3000', '3005'],
    ]);
    // Six requests written in one turn: one message.
    expect(served.messages).toEqual([6]);
  });

  it('splits what is written together into messages of at most MANY_MESSAGE_BYTES_MAX payload bytes', async () => {
    const { addr, served } = await start();
    const client = clientFor('Drainer', addr);
    closers.push(() => client.close());
    const mux = new ShipMuxCall(client);
    closers.push(() => mux.close());
    const calls = [1, 2, 3, 4].map(() => mux.open());
    const heard = calls.map(record);
    calls.forEach((c, i) => c.write(hello(i + 1)));
    await until(() => heard.every((h) => h.replies.length === 1));
    served.messages.length = 0;
    // Each batch carries 40% of the limit: two fit in a message, a third does not.
    const entry = Buffer.alloc(Math.floor(MANY_MESSAGE_BYTES_MAX * 0.4));
    calls.forEach((c) => c.write({ batch: { first_log_id: 5, last_log_id: 5, entries: [entry] } as never }));
    await until(() => heard.every((h) => h.replies.length === 2));
    expect(served.messages).toEqual([2, 2]);
  });

  it('tells the drainer a stream the listener closed, and the listener a stream the drainer ended', async () => {
    const { addr, served } = await start();
    const client = clientFor('Drainer', addr);
    closers.push(() => client.close());
    const mux = new ShipMuxCall(client);
    closers.push(() => mux.close());
    const [a, b] = [mux.open(), mux.open()];
    const [ha, hb] = [record(a), record(b)];
    a.write(hello(1));
    b.write(hello(2));
    await until(() => ha.replies.length === 1 && hb.replies.length === 1);
    a.cancel();
    await until(() => served.cancelled.includes(0));
    b.write(batch(99));
    await until(() => hb.ended);
    expect(hb.replies).toEqual(['2000', '2099']);
    expect(ha.error).toBeUndefined();
    // The call itself still serves new streams.
    const c = mux.open();
    const hc = record(c);
    c.write(hello(3));
    await until(() => hc.replies.length === 1);
    expect(mux.broken).toBe(false);
  });

  it('tells a refusal that came with the end before the end, as a Ship call does', async () => {
    const { addr } = await start();
    const client = clientFor('Drainer', addr);
    closers.push(() => client.close());
    const mux = new ShipMuxCall(client);
    closers.push(() => mux.close());
    const call = mux.open();
    const events: string[] = [];
    call.on('data', (r) => {
      events.push(`reply ${r.code}`);
      // What a ShipSession does with it runs in a later microtask; the end must not overtake it.
      void Promise.resolve().then(() => events.push('reply handled'));
    });
    call.on('end', () => events.push('end'));
    call.write(hello(66));
    await until(() => events.includes('end'));
    expect(events).toEqual(['reply -1005', 'reply handled', 'end']);
  });

  it('ends a stream that is sent more than it may hold while paused, and tells the listener', async () => {
    server = new grpc.Server();
    const cancelled: number[] = [];
    server.addService(serviceDefinition('Drainer'), {
      ShipMany: (call: ShipManyCall) =>
        void new ShipMux(call, (stream) => {
          // A ShipStream whose queue is full: it asked for no more and reads nothing.
          stream.pause();
          stream.on('cancelled', () => cancelled.push(1));
        }),
    });
    const client = clientFor('Drainer', `127.0.0.1:${await bindRpc(server, '127.0.0.1:0')}`);
    closers.push(() => client.close());
    const call = (client as unknown as { ShipMany(): grpc.ClientDuplexStream<ShipFramesMsg, ShipFramesMsg> }).ShipMany();
    const back: ShipFramesMsg[] = [];
    call.on('data', (m: ShipFramesMsg) => back.push(m));
    call.on('error', () => undefined);
    call.write({ frames: [{ stream: 1, request: hello(1) }, ...Array.from({ length: 40 }, (_, i) => ({ stream: 1, request: batch(i + 1) }))] });
    await until(() => back.length > 0 && cancelled.length > 0);
    expect(back.flatMap((m) => m.frames).map((f) => [f.stream, f.close])).toEqual([[1, true]]);
    call.cancel();
  });

  it('cuts off a call with more frames in a message than allowed, failing its streams', async () => {
    const { addr, served } = await start();
    const client = clientFor('Drainer', addr);
    closers.push(() => client.close());
    const call = (client as unknown as { ShipMany(): grpc.ClientDuplexStream<ShipFramesMsg, ShipFramesMsg> }).ShipMany();
    const status = new Promise<number>((resolve) => call.on('error', (e: grpc.ServiceError) => resolve(e.code)));
    call.on('data', () => undefined);
    call.write({ frames: [{ stream: 1, request: hello(1) }] });
    await until(() => served.streams.length === 1);
    call.write({ frames: Array.from({ length: SHIP_FRAMES_MAX + 1 }, (_, i) => ({ stream: i + 2, request: hello(i + 2) })) });
    expect(await status).toBe(grpc.status.INVALID_ARGUMENT);
    expect(served.cancelled).toEqual([0]);
    expect(served.streams.length).toBe(1);
  });

  it('fails every stream of a call that broke, and a new stream opens a new call', async () => {
    const { addr } = await start();
    const clients = new RpcClients();
    closers.push(() => clients.close());
    const a = clients.shipCall(addr);
    const ha = record(a);
    a.write(hello(1));
    await until(() => ha.replies.length === 1);
    closeRpcPorts();
    await until(() => ha.error !== undefined);
    const again = await start();
    const b = clients.shipCall(again.addr);
    const hb = record(b);
    b.write(hello(4));
    await until(() => hb.replies.length === 1);
    expect(hb.replies).toEqual(['4000']);
  });

  it('falls back to a Ship call per stream where the drainer has no ShipMany', async () => {
    server = new grpc.Server();
    server.addService(serviceDefinition('Drainer'), {
      Ship: (call: grpc.ServerDuplexStream<ShipRequestMsg, ShipReplyMsg>) => {
        call.on('data', (req: ShipRequestMsg) => call.write({ code: 0, message: '', position: { applied_log_id: String(req.hello?.part ?? 0), applied_ts: '0', needs_snapshot: false } }));
        call.on('error', () => undefined);
      },
    });
    const addr = `127.0.0.1:${await bindRpc(server, '127.0.0.1:0')}`;
    const clients = new RpcClients();
    closers.push(() => clients.close());
    const first = clients.shipCall(addr);
    const h1 = record(first);
    first.write(hello(7));
    await until(() => h1.error !== undefined);
    const second = clients.shipCall(addr);
    const h2 = record(second);
    second.write(hello(7));
    await until(() => h2.replies.length === 1);
    expect(h2.replies).toEqual(['7']);
    second.cancel();
  });
});
