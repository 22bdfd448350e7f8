// Pins the graph service's connection time bounds and accounting: sockets that never authenticate
// are closed after the handshake timeout (even when they keep talking), quiet connections after the
// idle timeout, and silent sockets that fill every slot give way to a new client.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GraphClient } from '../../../src/client/graph-client.ts';
import { GraphServer, HANDSHAKE_EVICTABLE_AFTER_MS } from '../../../src/server/graph-server.ts';
import { writeVerifyClientVersionArgs } from '../../../src/server/thrift/graph-requests.ts';
import { MessageType } from '../../../src/server/thrift/thrift-types.ts';
import { encodeMessage, FRAMED_BINARY } from '../../../src/server/thrift/wire-envelope.ts';
import { FakeGraphHandler } from './fake-graph-handler.ts';

const servers: GraphServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) s.destroy();
});

async function serve(opts: Partial<ConstructorParameters<typeof GraphServer>[0]>): Promise<{ server: GraphServer; port: number }> {
  const server = new GraphServer({ host: '127.0.0.1', port: 0, handler: new FakeGraphHandler(), ...opts });
  servers.push(server);
  const { port } = await server.start();
  return { server, port };
}

async function rawSocket(port: number): Promise<{ socket: Socket; closed: Promise<number> }> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.on('error', () => undefined);
  const opened = Date.now();
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - opened)));
  return { socket, closed };
}

async function signedIn(port: number, user = 'root'): Promise<GraphClient> {
  const client = await GraphClient.connect({ host: '127.0.0.1', port, timeoutMs: 5000 });
  const auth = await client.authenticate(user, 'nebula');
  if (!auth.ok) throw new Error(auth.error.message);
  return client;
}

const verifyFrame = (seqid: number): Buffer =>
  encodeMessage(FRAMED_BINARY, 'verifyClientVersion', MessageType.CALL, seqid, (w) => writeVerifyClientVersionArgs(w, '3.0.0'));

describe('GraphServer handshake timeout', () => {
  it('closes a socket that never authenticates, even one that keeps sending calls', async () => {
    const { port } = await serve({ handshakeMs: 300 });
    const silent = await rawSocket(port);
    const chatty = await rawSocket(port);
    const timer = setInterval(() => chatty.socket.write(verifyFrame(1)), 50);
    const client = await signedIn(port);
    try {
      expect(await silent.closed).toBeLessThan(3000);
      expect(await chatty.closed).toBeLessThan(3000);
    } finally {
      clearInterval(timer);
    }
    // An authenticated connection is past its handshake and stays.
    expect((await client.execute('YIELD 1')).errorCode).toBe(0);
    await client.close();
  });
});

describe('GraphServer idle timeout', () => {
  it('closes a signed-in connection that stays quiet, not one in the middle of a long call', async () => {
    const { port } = await serve({ idleMs: 300 });
    const quiet = await signedIn(port);
    const slow = await signedIn(port);
    // The long call outlasts the idle time; it is answered all the same.
    expect((await slow.execute('SLOW 700 done')).data?.rows).toEqual([['done']]);
    await new Promise((r) => setTimeout(r, 200));
    await expect(quiet.execute('YIELD 1')).rejects.toThrow(/closed/);
    await Promise.all([quiet.close(), slow.close()]);
  });
});

describe('GraphServer connection accounting', () => {
  it('lets a new client replace the oldest silent socket when every slot is taken', async () => {
    const { server, port } = await serve({ connectionsMax: 5, rootConnectionsReserved: 1, handshakeMs: 60_000 });
    const silent = await Promise.all(Array.from({ length: 6 }, () => rawSocket(port)));
    await new Promise((r) => setTimeout(r, HANDSHAKE_EVICTABLE_AFTER_MS + 100));
    // Not root: the reserve would not take it, so it must get a slot a silent socket held.
    const guest = await signedIn(port, 'guest');
    expect((await guest.execute('YIELD 1')).errorCode).toBe(0);
    expect(await Promise.race([silent[0]!.closed, new Promise((r) => setTimeout(() => r('open'), 2000))])).not.toBe('open');
    expect(server.connectionCount).toBe(6);
    await guest.close();
    for (const s of silent) s.socket.destroy();
  });

  it('never evicts a signed-in connection to make room', async () => {
    const { port } = await serve({ connectionsMax: 1, rootConnectionsReserved: 0, handshakeMs: 60_000 });
    const root = await signedIn(port);
    await new Promise((r) => setTimeout(r, HANDSHAKE_EVICTABLE_AFTER_MS + 100));
    const late = await GraphClient.connect({ host: '127.0.0.1', port, timeoutMs: 5000 });
    expect(await late.authenticate('root', 'nebula')).toMatchObject({ ok: false, error: { code: -1010 } });
    expect((await root.execute('YIELD 1')).errorCode).toBe(0);
    await Promise.all([late.close(), root.close()]);
  });
});

describe('GraphServer warnings', () => {
  it('writes one line per period, with a count, for connections a stranger drops with oversized frames', async () => {
    const lines: Array<[string, Record<string, unknown> | undefined]> = [];
    const log = { info: () => undefined, warn: (msg: string, fields?: Record<string, unknown>) => void lines.push([msg, fields]) };
    const { port } = await serve({ log, frameBytesMax: 1024 });
    const oversized = Buffer.from([0x7f, 0xff, 0xff, 0xf0]);
    for (let i = 0; i < 20; i++) {
      const { socket, closed } = await rawSocket(port);
      socket.write(oversized);
      await closed;
    }
    const closing = lines.filter(([msg]) => msg === 'closing graph connection');
    expect(closing).toHaveLength(1);
    expect(closing[0]![1]).toMatchObject({ count: 1 });
    expect(String(closing[0]![1]!['reason'])).toMatch(/exceeds/);
  });
});
