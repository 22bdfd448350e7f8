// Pins our GraphClient's promises to its callers: concurrent calls queue and resolve in order,
// and a refused connection, a silent server or a hang-up rejects with a GraphClientError.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphClient, GraphClientError } from '../../../src/client/graph-client.ts';
import { GraphServer } from '../../../src/server/graph-server.ts';
import { FakeGraphHandler } from '../server/fake-graph-handler.ts';

const server = new GraphServer({ host: '127.0.0.1', port: 0, handler: new FakeGraphHandler() });
let port = 0;
beforeAll(async () => {
  ({ port } = await server.start());
});
afterAll(() => server.close());

/** A TCP server that accepts and then does `onSocket` with each connection. */
async function rawServer(onSocket: (s: import('node:net').Socket) => void): Promise<{ srv: Server; port: number }> {
  const srv = createServer(onSocket);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const addr = srv.address();
  return { srv, port: typeof addr === 'object' && addr ? addr.port : 0 };
}

describe('GraphClient', () => {
  it('queues concurrent calls and resolves each with its own answer', async () => {
    const client = await GraphClient.connect({ host: '127.0.0.1', port, timeoutMs: 5000 });
    await client.authenticate('root', 'nebula');
    const answers = await Promise.all(['SLOW 20 a', 'ECHO b', 'SLOW 1 c', 'ECHO d'].map((s) => client.execute(s)));
    expect(answers.map((a) => a.data?.rows[0]?.[0])).toEqual(['a', 'b', 'c', 'd']);
    await client.close();
  });

  it('rejects with CONNECT when nothing listens', async () => {
    const { srv, port: deadPort } = await rawServer(() => undefined);
    await new Promise<void>((r) => srv.close(() => r()));
    const err = await GraphClient.connect({ host: '127.0.0.1', port: deadPort, timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphClientError);
    expect((err as GraphClientError).code).toBe('CONNECT');
  });

  it('rejects with TIMEOUT when the server never answers, and stays failed', async () => {
    const { srv, port: silentPort } = await rawServer(() => undefined);
    const client = await GraphClient.connect({ host: '127.0.0.1', port: silentPort, timeoutMs: 100 });
    await expect(client.execute('YIELD 1')).rejects.toMatchObject({ code: 'TIMEOUT' });
    await expect(client.execute('YIELD 1')).rejects.toMatchObject({ code: 'TIMEOUT' });
    await client.close();
    srv.close();
  });

  it('rejects with CLOSED when the server hangs up mid-call', async () => {
    const { srv, port: rudePort } = await rawServer((s) => s.once('data', () => s.destroy()));
    const client = await GraphClient.connect({ host: '127.0.0.1', port: rudePort, timeoutMs: 5000 });
    await expect(client.authenticate('root', 'nebula')).rejects.toMatchObject({ code: 'CLOSED' });
    await client.close();
    srv.close();
  });
});
