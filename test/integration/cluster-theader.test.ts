// Pins that a `nebula-sync cluster` process serves nebula-console's wire (fbthrift THeader + compact):
// verifyClientVersion, authenticate, executeWithParameter with a DataSet back, and coded errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { i64, theaderCall, theaderRoundTrip, thrift } from '../helpers/theader-client.ts';
import { runConsole, startCluster, stopAll, tempDir, type ClusterProcess } from '../helpers/processes.ts';

type Any = any;
const T = thrift.Thrift.Type;
let cluster: ClusterProcess;

beforeAll(async () => {
  cluster = await startCluster(tempDir('theader'), ['--enable_authorize=true']);
  const setup = runConsole(cluster.ports.graph, [
    '-e',
    `ADD HOSTS 127.0.0.1:${cluster.ports.storage}; CREATE SPACE nba(partition_num=3, vid_type=fixed_string(30)); USE nba; CREATE TAG player(name string, age int); INSERT VERTEX player(name, age) VALUES "player100":("Tim Duncan", 42)`,
  ]);
  expect(setup.status, setup.stdout + setup.stderr).toBe(0);
});
afterAll(stopAll);

function execute(sessionId: bigint, seqid: number, stmt: string): Promise<{ header: Any; result: Any }> {
  return theaderRoundTrip(
    cluster.ports.graph,
    theaderCall('executeWithParameter', seqid, (p) => {
      p.writeFieldBegin('sessionId', T.I64, 1);
      p.writeI64(i64(sessionId));
      p.writeFieldBegin('stmt', T.STRING, 2);
      p.writeString(stmt);
      p.writeFieldBegin('parameterMap', T.MAP, 3);
      p.writeMapBegin(T.STRING, T.STRUCT, 0);
      p.writeMapEnd();
    }),
  );
}

describe('nebula-sync cluster over THeader + compact', () => {
  it('verifies the client version, authenticates and answers the seed FETCH table', async () => {
    const version = await theaderRoundTrip(
      cluster.ports.graph,
      theaderCall('verifyClientVersion', 1, (p) => {
        p.writeFieldBegin('req', T.STRUCT, 1);
        p.writeStructBegin('VerifyClientVersionReq');
        p.writeFieldBegin('version', T.STRING, 1);
        p.writeString('3.0.0');
        p.writeFieldStop();
        p.writeStructEnd();
      }),
    );
    expect(version.result[0][1]).toBe(0);

    const wrong = await theaderRoundTrip(
      cluster.ports.graph,
      theaderCall('authenticate', 2, (p) => {
        p.writeFieldBegin('username', T.STRING, 1);
        p.writeString('root');
        p.writeFieldBegin('password', T.STRING, 2);
        p.writeString('wrong');
      }),
    );
    expect(wrong.result[0][1]).toBe(-1001);

    const auth = await theaderRoundTrip(
      cluster.ports.graph,
      theaderCall('authenticate', 3, (p) => {
        p.writeFieldBegin('username', T.STRING, 1);
        p.writeString('root');
        p.writeFieldBegin('password', T.STRING, 2);
        p.writeString('nebula');
      }),
    );
    expect(auth.header).toMatchObject({ fname: 'authenticate', rseqid: 3 });
    expect(auth.result[0][1]).toBe(0);
    const sessionId = auth.result[0][3] as bigint;

    expect((await execute(sessionId, 4, 'USE nba;')).result[0][1]).toBe(0);
    const fetched = await execute(sessionId, 5, 'FETCH PROP ON player "player100" YIELD properties(vertex)');
    const resp = fetched.result[0];
    expect(resp[1]).toBe(0);
    expect(resp[3][1]).toEqual(['properties(VERTEX)']);
    const cell = resp[3][2][0][1][0];
    expect(new Map(cell[13][1])).toEqual(
      new Map<string, unknown>([
        ['age', { 3: 42n }],
        ['name', { 5: 'Tim Duncan' }],
      ]),
    );

    const bad = await execute(sessionId, 6, 'FETCH PROP ON nope "x" YIELD properties(vertex)');
    expect(bad.result[0][1]).toBe(-1005);
    expect(bad.result[0][5]).toBe('TagNotFound: TagName `nope`');

    const unknown = await execute(12345n, 7, 'YIELD 1');
    expect(unknown.result[0][1]).toBe(-1002);
  });
});
