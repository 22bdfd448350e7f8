// Pins that unmodified third-party clients work against the graph service: the real
// @nebula-contrib/nebula-nodejs client (framed binary) and Apache Thrift's Node library speaking
// THeader + compact (as nebula-console >= 3.4 does), each decoding ints, strings and maps correctly.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphServer } from '../../../src/server/graph-server.ts';
import { i64, theaderCall, theaderRoundTrip, thrift } from '../../helpers/theader-client.ts';
import { FakeGraphHandler } from './fake-graph-handler.ts';

const require = createRequire(import.meta.url);
// Both libraries are CommonJS without usable typings for what is used here.
type Any = any;
const nebula: Any = require('@nebula-contrib/nebula-nodejs');

const handler = new FakeGraphHandler();
const server = new GraphServer({ host: '127.0.0.1', port: 0, handler });
let port = 0;

beforeAll(async () => {
  ({ port } = await server.start());
});
afterAll(async () => {
  server.destroy();
});

describe('@nebula-contrib/nebula-nodejs client', () => {
  it('authenticates, uses the space and receives bigint, string and map values', async () => {
    const client = nebula.createClient({
      servers: [`127.0.0.1:${port}`],
      userName: 'root',
      password: 'nebula',
      space: 'nba',
      poolSize: 1,
      executeTimeout: 5000,
    });
    client.on('error', () => undefined);
    try {
      const fetched = await client.execute('FETCH');
      expect(fetched.error_code).toBe(0);
      expect(fetched.space_name).toBe('nba');
      expect(fetched.data['properties(VERTEX)']).toEqual([{ age: 42, name: 'Tim Duncan' }]);
      const big = await client.execute('BIG');
      expect(big.data.s).toEqual(['ünïcødé ✓']);
      expect(big.data.f).toEqual([1.5]);
      // The client turns an int64 beyond 2^53 into its exact decimal string.
      expect(big.data.max).toEqual(['9223372036854775807']);
      expect(big.data.min).toEqual(['-9223372036854775808']);
      expect(big.data.m).toEqual([{ age: 42, name: 'Tim Duncan' }]);
      await expect(client.execute('SELEC 1')).rejects.toMatchObject({ errno: -1004, message: "SyntaxError: syntax error near `SELEC'" });
    } finally {
      await client.close();
    }
    // Closing signs the session out (oneway), which the handler must have seen.
    while (handler.signouts.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(handler.signouts).toHaveLength(1);
  });
});

describe('Apache Thrift THeader + compact client', () => {
  it('authenticates and executes, decoding a DataSet with a map and int64 values', async () => {
    const T = thrift.Thrift.Type;
    const auth = await theaderRoundTrip(
      port,
      theaderCall('authenticate', 1, (p) => {
        p.writeFieldBegin('username', T.STRING, 1);
        p.writeString('root');
        p.writeFieldBegin('password', T.STRING, 2);
        p.writeString('nebula');
      }),
    );
    expect(auth.header).toMatchObject({ fname: 'authenticate', mtype: thrift.Thrift.MessageType.REPLY, rseqid: 1 });
    const authResp = auth.result[0];
    expect(authResp[1]).toBe(0);
    const sessionId = authResp[3] as bigint;

    const exec = await theaderRoundTrip(
      port,
      theaderCall('executeWithParameter', 2, (p) => {
        p.writeFieldBegin('sessionId', T.I64, 1);
        p.writeI64(i64(sessionId));
        p.writeFieldBegin('stmt', T.STRING, 2);
        p.writeString('BIG');
        p.writeFieldBegin('parameterMap', T.MAP, 3);
        p.writeMapBegin(T.STRING, T.STRUCT, 0);
        p.writeMapEnd();
      }),
    );
    expect(exec.header).toMatchObject({ fname: 'executeWithParameter', rseqid: 2 });
    const resp = exec.result[0];
    expect(resp[1]).toBe(0);
    const [columns, rows] = [resp[3][1], resp[3][2]];
    expect(columns).toEqual(['max', 'min', 's', 'f', 'm']);
    const cells = rows[0][1] as Record<number, unknown>[];
    expect(cells[0]).toEqual({ 3: 2n ** 63n - 1n });
    expect(cells[1]).toEqual({ 3: -(2n ** 63n) });
    expect(cells[2]).toEqual({ 5: 'ünïcødé ✓' });
    // Apache Thrift's compact protocol is version 1 (little-endian doubles); the reply must match.
    expect(cells[3]).toEqual({ 4: 1.5 });
    expect(cells[4]).toEqual({
      13: {
        1: [
          ['name', { 5: 'Tim Duncan' }],
          ['age', { 3: 42n }],
        ],
      },
    });
  });
});
