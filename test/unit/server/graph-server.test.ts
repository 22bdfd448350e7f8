// Pins what a client of the graph service sees through our GraphClient and raw frames: answers in
// order, signout without reply, unknown methods as exceptions, JSON, caps, and that garbage on one
// connection never takes the server down for the others.
import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphClient } from '../../../src/client/graph-client.ts';
import { GraphServer } from '../../../src/server/graph-server.ts';
import { frame, FrameAssembler } from '../../../src/server/thrift/frame-assembler.ts';
import { writeExecuteArgs } from '../../../src/server/thrift/graph-requests.ts';
import { readAppException, readExecutionResponse, readResult } from '../../../src/server/thrift/graph-responses.ts';
import { MessageType, TType } from '../../../src/server/thrift/thrift-types.ts';
import { encodeMessage, FRAMED_BINARY, openMessage } from '../../../src/server/thrift/wire-envelope.ts';
import { BIG_ROW, FakeGraphHandler, TIM } from './fake-graph-handler.ts';

const FRAME_CAP = 64 * 1024;
const handler = new FakeGraphHandler();
const server = new GraphServer({ host: '127.0.0.1', port: 0, handler, frameBytesMax: FRAME_CAP });
let port = 0;

beforeAll(async () => {
  ({ port } = await server.start());
});
afterAll(async () => {
  await server.close();
});

async function signedIn(): Promise<GraphClient> {
  const client = await GraphClient.connect({ host: '127.0.0.1', port, timeoutMs: 5000 });
  const auth = await client.authenticate('root', 'nebula');
  if (!auth.ok) throw new Error(auth.error.message);
  return client;
}

/** Opens a raw socket and collects reply frames. */
async function rawSocket(): Promise<{ socket: Socket; replies: Buffer[]; closed: Promise<void> }> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const asm = new FrameAssembler(1 << 24);
  const replies: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => replies.push(...asm.push(chunk)));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, replies, closed };
}

const executeFrame = (seqid: number, sessionId: bigint, stmt: string): Buffer =>
  encodeMessage(FRAMED_BINARY, 'execute', MessageType.CALL, seqid, (w) => writeExecuteArgs(w, { sessionId, stmt }));

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
}

describe('GraphServer with our GraphClient', () => {
  it('authenticates, executes and decodes int64 extremes, unicode, floats and maps', async () => {
    const client = await signedIn();
    const resp = await client.execute('BIG');
    expect(resp.errorCode).toBe(0);
    expect(resp.data).toEqual({ columns: ['max', 'min', 's', 'f', 'm'], rows: [BIG_ROW] });
    expect((await client.execute('USE nba')).spaceName).toBe('nba');
    expect(client.spaceName).toBe('nba');
    await client.close();
  });

  it('answers a refused password and a syntax error as values', async () => {
    const client = await GraphClient.connect({ host: '127.0.0.1', port, timeoutMs: 5000 });
    const bad = await client.authenticate('root', 'wrong');
    expect(bad).toEqual({ ok: false, error: { code: -1001, message: 'Invalid password' } });
    await client.authenticate('root', 'nebula');
    const resp = await client.execute('SELEC 1');
    expect(resp.errorCode).toBe(-1004);
    expect(resp.errorMsg).toBe("SyntaxError: syntax error near `SELEC'");
    await client.close();
  });

  it('passes parameters of executeWithParameter through', async () => {
    const client = await signedIn();
    const resp = await client.execute('PARAM', new Map([['p', TIM]]));
    expect(resp.data?.rows).toEqual([[TIM]]);
    await client.close();
  });

  it('verifies the client version nebula clients send and refuses others', async () => {
    const client = await GraphClient.connect({ host: '127.0.0.1', port, timeoutMs: 5000 });
    expect(await client.verifyClientVersion()).toEqual({ ok: true });
    expect(await client.verifyClientVersion('1.0.0')).toMatchObject({ ok: false, error: { code: -3061 } });
    await client.close();
  });

  it('signs out without a reply, so the next call still gets its own answer', async () => {
    const client = await signedIn();
    const id = client.sessionId!;
    await client.signout();
    const after = await client.execute('ECHO x');
    expect(after.errorCode).toBe(-1002);
    await until(() => handler.signouts.includes(id));
    await client.close();
  });

  it('answers executeJson with NebulaGraph-shaped JSON', async () => {
    const client = await signedIn();
    const body = JSON.parse(await client.executeJson('FETCH'));
    expect(body.errors).toEqual([{ code: 0 }]);
    expect(body.results[0].columns).toEqual(['properties(VERTEX)']);
    expect(body.results[0].data[0].row).toEqual([{ name: 'Tim Duncan', age: 42 }]);
    expect(body.results[0].spaceName).toBe('');
    await client.close();
  });

  it('turns a handler failure into an exception reply and keeps the connection', async () => {
    const client = await signedIn();
    await expect(client.execute('THROW')).rejects.toThrow(/Internal error/);
    expect((await client.execute('YIELD 1')).data?.rows).toEqual([[1n]]);
    await client.close();
  });
});

describe('GraphServer with raw frames', () => {
  it('answers pipelined calls in order with their seqids', async () => {
    const { socket, replies } = await rawSocket();
    const client = await signedIn();
    const sid = client.sessionId!;
    socket.write(Buffer.concat([executeFrame(1, sid, 'SLOW 40 a'), executeFrame(2, sid, 'ECHO b'), executeFrame(3, sid, 'SLOW 5 c')]));
    await until(() => replies.length === 3);
    const decoded = replies.map((r) => {
      const { message, reader } = openMessage(r);
      return [message.seqid, readResult(reader, TType.STRUCT, readExecutionResponse)?.data?.rows[0]?.[0]];
    });
    expect(decoded).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
    socket.destroy();
    await client.close();
  });

  it('answers an unknown method with UNKNOWN_METHOD and stays up', async () => {
    const { socket, replies } = await rawSocket();
    socket.write(encodeMessage(FRAMED_BINARY, 'frobnicate', MessageType.CALL, 9, (w) => {
      w.writeStructBegin();
      w.writeFieldStop();
      w.writeStructEnd();
    }));
    socket.write(executeFrame(10, 0n, 'YIELD 1'));
    await until(() => replies.length === 2);
    const first = openMessage(replies[0]!);
    expect(first.message).toEqual({ name: 'frobnicate', type: MessageType.EXCEPTION, seqid: 9 });
    expect(readAppException(first.reader)).toEqual({ message: "Invalid method name: 'frobnicate'", type: 1 });
    expect(openMessage(replies[1]!).message.seqid).toBe(10);
    socket.destroy();
  });

  it('closes only the connection that sends an oversized frame', async () => {
    const { socket, closed } = await rawSocket();
    const header = Buffer.alloc(4);
    header.writeUInt32BE(FRAME_CAP + 1);
    socket.write(header);
    await closed;
    const client = await signedIn();
    expect((await client.execute('YIELD 1')).errorCode).toBe(0);
    await client.close();
  });

  it('survives random bytes, truncated frames and oversized lengths on other connections', async () => {
    const good = await signedIn();
    const valid = executeFrame(1, good.sessionId!, 'ECHO garbage');
    const garbage = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => Buffer.from(b)),
      fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => frame(Buffer.from(b))),
      fc.nat().map((n) => valid.subarray(0, n % valid.length)),
      fc.nat().map((n) => {
        const corrupt = Buffer.from(valid);
        corrupt[4 + (n % (corrupt.length - 4))] ^= 0xff;
        return corrupt;
      }),
      fc.integer({ min: FRAME_CAP + 1, max: 2 ** 32 - 1 }).map((len) => {
        const b = Buffer.alloc(8);
        b.writeUInt32BE(len);
        return b;
      }),
    );
    await fc.assert(
      fc.asyncProperty(garbage, async (bytes) => {
        const { socket, closed } = await rawSocket();
        socket.end(bytes);
        await closed;
        const resp = await good.execute('ECHO still here');
        expect(resp.data?.rows).toEqual([['still here']]);
      }),
      { numRuns: 60 },
    );
    await until(() => server.connectionCount === 1);
    await good.close();
  });
});

describe('GraphServer limits and shutdown', () => {
  it('answers E_TOO_MANY_CONNECTIONS beyond the cap, except to root in its reserve', async () => {
    const small = new GraphServer({ host: '127.0.0.1', port: 0, handler, connectionsMax: 1, rootConnectionsReserved: 1 });
    const { port: smallPort } = await small.start();
    const connect = () => GraphClient.connect({ host: '127.0.0.1', port: smallPort, timeoutMs: 5000 });
    const first = await connect();
    expect((await first.authenticate('guest', 'nebula')).ok).toBe(true);
    // Over the cap, only root is heard; anyone else is told why and hung up on.
    const second = await connect();
    expect(await second.authenticate('guest', 'nebula')).toEqual({ ok: false, error: { code: -1010, message: 'Too many connections' } });
    await second.close();
    await until(() => small.connectionCount === 1);
    const root = await connect();
    expect((await root.authenticate('root', 'nebula')).ok).toBe(true);
    expect((await root.execute('YIELD 1')).errorCode).toBe(0);
    // The reserve is full too: even root is refused now.
    const third = await connect();
    expect(await third.authenticate('root', 'nebula')).toMatchObject({ ok: false, error: { code: -1010 } });
    await Promise.all([third.close(), root.close(), first.close()]);
    await small.close();
  });

  it('ends open connections on close()', async () => {
    const other = new GraphServer({ host: '127.0.0.1', port: 0, handler });
    const { port: otherPort } = await other.start();
    const client = await GraphClient.connect({ host: '127.0.0.1', port: otherPort, timeoutMs: 5000 });
    await client.authenticate('root', 'nebula');
    await other.close();
    await expect(client.execute('YIELD 1')).rejects.toThrow(/closed/);
    await client.close();
  });
});
