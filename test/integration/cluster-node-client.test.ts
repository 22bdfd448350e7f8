// Pins that a `nebula-sync cluster` process serves the real @nebula-contrib/nebula-nodejs client:
// authentication, USE, DDL, DML, FETCH, GO, and errors with NebulaGraph's codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@nebula-contrib/nebula-nodejs';
import { runConsole, startCluster, stopAll, tempDir, type ClusterProcess } from '../helpers/processes.ts';

type NebulaClient = ReturnType<typeof createClient>;

let cluster: ClusterProcess;
let client: NebulaClient;

async function expectError(stmt: string): Promise<{ errno: number; message: string }> {
  try {
    await client.execute(stmt);
  } catch (error) {
    const e = error as { errno: number; message: string };
    return { errno: e.errno, message: e.message };
  }
  throw new Error(`expected ${stmt} to fail`);
}

beforeAll(async () => {
  cluster = await startCluster(tempDir('node-client'), ['--enable_authorize=true']);
  // The Node client always sends `Use <space>` first, so the space must exist before it connects.
  const setup = runConsole(cluster.ports.graph, [
    '-e',
    `ADD HOSTS 127.0.0.1:${cluster.ports.storage}; CREATE SPACE basketballplayer(partition_num=15, replica_factor=1, vid_type=fixed_string(30))`,
  ]);
  expect(setup.status, setup.stderr + setup.stdout).toBe(0);
  client = createClient({
    servers: [`127.0.0.1:${cluster.ports.graph}`],
    userName: 'root',
    password: 'nebula',
    space: 'basketballplayer',
    poolSize: 2,
    executeTimeout: 20_000,
  });
});

afterAll(async () => {
  await client?.close().catch(() => undefined);
  await stopAll();
});

describe('nebula-sync cluster with the NebulaGraph Node client', () => {
  it('answers the ping the client sends', async () => {
    const res = await client.execute('YIELD 1');
    expect(res.error_code).toBe(0);
    expect(res.data).toEqual({ '1': [1] });
  });

  it('runs the seed Step 3 statements and answers its tables', async () => {
    await client.execute('CREATE TAG player(name string, age int)');
    await client.execute('CREATE EDGE follow(degree int)');
    await client.execute('INSERT VERTEX player(name, age) VALUES "player100":("Tim Duncan", 42)');
    await client.execute('INSERT VERTEX player(name, age) VALUES "player101":("Tony Parker", 36)');
    await client.execute('INSERT EDGE follow(degree) VALUES "player101" -> "player100":(95)');

    const fetched = await client.execute('FETCH PROP ON player "player100" YIELD properties(vertex)');
    expect(fetched.data).toEqual({ 'properties(VERTEX)': [{ age: 42, name: 'Tim Duncan' }] });

    const go = await client.execute('GO FROM "player101" OVER follow YIELD dst(edge)');
    expect(go.data).toEqual({ 'dst(EDGE)': ['player100'] });

    await client.execute('SUBMIT JOB STATS');
    const stats = await client.execute('SHOW STATS');
    expect(stats.data).toEqual({
      Type: ['Tag', 'Edge', 'Space', 'Space'],
      Name: ['player', 'follow', 'vertices', 'edges'],
      Count: [2, 1, 2, 1],
    });
  });

  it('keeps int64 values exact beyond 2^53', async () => {
    await client.execute('CREATE TAG IF NOT EXISTS big(n int)');
    await client.execute('INSERT VERTEX big(n) VALUES "b1":(9007199254740993)');
    const res = await client.execute('FETCH PROP ON big "b1" YIELD big.n AS n');
    // The client turns int64s it cannot hold in a double into decimal strings.
    expect(String(res.data.n[0])).toBe('9007199254740993');
  });

  it('answers errors with NebulaGraph codes and words', async () => {
    const syntax = await expectError('INSERT VERTEX player(name, age) VALUE "x":("y", 1)');
    expect(syntax.errno).toBe(-1004);
    expect(syntax.message).toMatch(/^SyntaxError: syntax error near `VALUE'/);

    const tag = await expectError('INSERT VERTEX nope(name) VALUES "x":("y")');
    expect(tag.errno).toBe(-1005);
    expect(tag.message).toBe('TagNotFound: TagName `nope`');

    const space = await expectError('USE no_such_space');
    expect(space.errno).toBe(-1005);
    expect(space.message).toBe('SpaceNotFound: Space not existed!');

    const tooLong = await expectError('INSERT VERTEX player(name, age) VALUES "a_vid_that_is_longer_than_thirty_bytes":("x", 1)');
    expect(tooLong.errno).toBe(-1005);

    const wrongType = await expectError('INSERT VERTEX player(name, age) VALUES "p9":(1, "forty")');
    expect(wrongType.errno).not.toBe(0);
    const none = await client.execute('FETCH PROP ON player "p9" YIELD properties(vertex)');
    expect(none.data).toEqual({ 'properties(VERTEX)': [] });
  });

  it('refuses a non-root user signing in a drainer service with PermissionError -1008', async () => {
    await client.execute("CREATE USER IF NOT EXISTS alice WITH PASSWORD 'secret'");
    await client.execute('GRANT ROLE ADMIN ON basketballplayer TO alice');
    const alice = createClient({
      servers: [`127.0.0.1:${cluster.ports.graph}`],
      userName: 'alice',
      password: 'secret',
      space: 'basketballplayer',
      poolSize: 1,
    });
    try {
      await alice.execute('SIGN IN DRAINER SERVICE(127.0.0.1:9889)');
      throw new Error('alice was allowed to sign in a drainer service');
    } catch (error) {
      expect((error as { errno: number }).errno).toBe(-1008);
      expect((error as Error).message).toMatch(/^PermissionError: /);
    } finally {
      await alice.close().catch(() => undefined);
    }
    const clients = await client.execute('SHOW DRAINER CLIENTS');
    expect(clients.data).toEqual({ Type: [], Host: [], Port: [] });
  });
});
