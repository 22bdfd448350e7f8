// Pins that sessions and connections of a real `nebula-sync cluster` cannot be exhausted: a GUEST's
// session flood stops at max_sessions_per_ip_per_user, idle sessions expire, 1,000 silent sockets
// are closed after the handshake timeout and never keep root out, and a password-guessing flood is
// throttled while root's `YIELD 1` keeps being answered.
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { createClient } from '@nebula-contrib/nebula-nodejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphClient } from '../../src/client/graph-client.ts';
import { startCluster, stopAll, tempDir, type ClusterProcess } from '../helpers/processes.ts';
import { must, rootClient } from '../helpers/topology.ts';

const SESSIONS_PER_IP_USER = 20;
const HANDSHAKE_SECS = 3;
const IDLE_SOCKETS = 1000;

let cluster: ClusterProcess;
let idleCluster: ClusterProcess;
let root: GraphClient;

beforeAll(async () => {
  const dir = tempDir('security-sessions');
  [cluster, idleCluster] = await Promise.all([
    startCluster(join(dir, 'a'), [
      '--enable_authorize=true',
      '--wal_fsync=false',
      `--max_sessions_per_ip_per_user=${SESSIONS_PER_IP_USER}`,
      `--handshake_timeout_secs=${HANDSHAKE_SECS}`,
    ]),
    startCluster(join(dir, 'b'), ['--enable_authorize=true', '--wal_fsync=false', '--session_idle_timeout_secs=2']),
  ]);
  root = await rootClient(cluster.ports.graph);
  await must(root, `ADD HOSTS 127.0.0.1:${cluster.ports.storage}`);
  await must(root, 'CREATE SPACE sec(partition_num=3, replica_factor=1, vid_type=fixed_string(16))');
  await must(root, "CREATE USER guest WITH PASSWORD 'guest_pw'");
  await must(root, 'GRANT ROLE GUEST ON sec TO guest');
  await must(root, "CREATE USER alice WITH PASSWORD 'alice_pw'");
}, 60_000);

afterAll(async () => {
  await root?.close();
  await stopAll();
});

async function login(port: number, user: string, password: string): Promise<{ client: GraphClient; error?: { code: number; message: string } }> {
  const client = await GraphClient.connect({ host: '127.0.0.1', port, timeoutMs: 20_000 });
  const auth = await client.authenticate(user, password);
  return auth.ok ? { client } : { client, error: auth.error };
}

/** Root through the real NebulaGraph Node client (which always sends USE first): YIELD 1, then close. */
async function nodeClientRootYield(port: number): Promise<unknown> {
  const client = createClient({ servers: [`127.0.0.1:${port}`], userName: 'root', password: 'nebula', space: 'sec', poolSize: 1, executeTimeout: 20_000 });
  try {
    const res = await client.execute('YIELD 1');
    return res.data;
  } finally {
    await client.close().catch(() => undefined);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Infinity;
}

describe('a session flood by a GUEST', () => {
  it('stops at max_sessions_per_ip_per_user with NebulaGraph words, and root still gets in', async () => {
    const attempts = await Promise.all(
      Array.from({ length: SESSIONS_PER_IP_USER + 5 }, () => login(cluster.ports.graph, 'guest', 'guest_pw')),
    );
    const refused = attempts.filter((a) => a.error !== undefined);
    expect(attempts.length - refused.length).toBe(SESSIONS_PER_IP_USER);
    expect(refused.map((a) => a.error)).toEqual(
      Array(5).fill({
        code: -1002,
        message:
          `Create Session failed: Too many sessions created from 127.0.0.1 by user guest. the threshold is ${SESSIONS_PER_IP_USER}. ` +
          "You can change it by modifying 'max_sessions_per_ip_per_user' in nebula-graphd.conf",
      }),
    );
    expect(await nodeClientRootYield(cluster.ports.graph)).toEqual({ '1': [1] });
    // Signing out gives the slots back.
    await Promise.all(attempts.map((a) => a.client.close()));
    const again = await login(cluster.ports.graph, 'guest', 'guest_pw');
    expect(again.error).toBeUndefined();
    await again.client.close();
  });

  it('ends the sessions of a dropped user', async () => {
    await must(root, "CREATE USER temp WITH PASSWORD 'temp_pw'");
    const temp = await login(cluster.ports.graph, 'temp', 'temp_pw');
    expect((await temp.client.execute('YIELD 1')).errorCode).toBe(0);
    await must(root, 'DROP USER temp');
    expect((await temp.client.execute('YIELD 1')).errorCode).toBe(-1002);
    await temp.client.close();
  });
});

describe('idle sessions', () => {
  it('closes a session unused for session_idle_timeout_secs; its next statement gets E_SESSION_INVALID', async () => {
    const { client } = await login(idleCluster.ports.graph, 'root', 'nebula');
    const busy = await login(idleCluster.ports.graph, 'root', 'nebula');
    expect((await client.execute('YIELD 1')).errorCode).toBe(0);
    // The busy session is used every half second and outlives the idle one.
    for (let i = 0; i < 7; i++) {
      await new Promise((r) => setTimeout(r, 500));
      expect((await busy.client.execute('YIELD 1')).errorCode).toBe(0);
    }
    const expired = await client.execute('YIELD 1');
    expect(expired.errorCode).toBe(-1002);
    expect(expired.errorMsg).toMatch(/^Session `\d+' not found$/);
    await Promise.all([client.close(), busy.client.close()]);
  });
});

describe('1,000 sockets that never authenticate', () => {
  it('do not keep root out, and are closed by the server after the handshake timeout', async () => {
    const sockets: { socket: Socket; closedAfterMs: Promise<number> }[] = [];
    for (let i = 0; i < IDLE_SOCKETS; i++) {
      const socket = connect({ host: '127.0.0.1', port: cluster.ports.graph });
      socket.on('error', () => undefined);
      const opened = Date.now();
      sockets.push({ socket, closedAfterMs: new Promise((resolve) => socket.once('close', () => resolve(Date.now() - opened))) });
    }
    await Promise.all(sockets.map((s) => new Promise((resolve) => (s.socket.connecting ? s.socket.once('connect', resolve) : resolve(undefined)))));
    try {
      // Root, at once, through the real Node client and ours.
      expect(await nodeClientRootYield(cluster.ports.graph)).toEqual({ '1': [1] });
      const rootLogin = await login(cluster.ports.graph, 'root', 'nebula');
      expect(rootLogin.error).toBeUndefined();
      await rootLogin.client.close();
      // Every silent socket is hung up on by the server, within the handshake timeout (plus slack
      // for a loaded machine), not after the 8-hour idle timeout.
      const closedAfter = await Promise.all(sockets.map((s) => s.closedAfterMs));
      expect(Math.max(...closedAfter)).toBeLessThan((HANDSHAKE_SECS + 10) * 1000);
    } finally {
      for (const s of sockets) s.socket.destroy();
    }
    // An ordinary user gets in too.
    const guest = await login(cluster.ports.graph, 'guest', 'guest_pw');
    expect(guest.error).toBeUndefined();
    expect((await guest.client.execute('YIELD 1')).errorCode).toBe(0);
    await guest.client.close();
  }, 60_000);
});

describe('a password-guessing flood', () => {
  // Runs last in this file: it leaves 127.0.0.1 in backoff for everyone but root.
  it("is throttled, and root's YIELD 1 keeps being answered during it", async () => {
    const FLOOD_MS = 4000;
    const GUESSERS = 8;
    let stop = false;
    const answers: string[] = [];
    const guesser = async (n: number): Promise<void> => {
      let client: GraphClient | undefined;
      for (let i = 0; !stop; i++) {
        try {
          client ??= await GraphClient.connect({ host: '127.0.0.1', port: cluster.ports.graph, timeoutMs: 20_000 });
          const auth = await client.authenticate('alice', `guess_${n}_${i}`);
          answers.push(auth.ok ? 'LOGGED IN' : `${auth.error.code} ${auth.error.message}`);
        } catch {
          // The handshake timeout hangs up on a guesser that never gets in: it reconnects.
          client = undefined;
        }
      }
      await client?.close();
    };
    const flood = Array.from({ length: GUESSERS }, (_, n) => guesser(n));

    const latenciesMs: number[] = [];
    const deadline = Date.now() + FLOOD_MS;
    while (Date.now() < deadline) {
      const started = performance.now();
      const res = await root.execute('YIELD 1');
      latenciesMs.push(performance.now() - started);
      expect(res.errorCode).toBe(0);
      await new Promise((r) => setTimeout(r, 20));
    }
    // Root can also open a new session from the guessers' own IP in the middle of the flood.
    const rootLogin = await login(cluster.ports.graph, 'root', 'nebula');
    expect(rootLogin.error).toBeUndefined();
    await rootLogin.client.close();
    stop = true;
    await Promise.all(flood);

    expect(answers).not.toContain('LOGGED IN');
    expect(answers.filter((a) => a.startsWith('-1001 Too many failed login attempts; retry after ')).length).toBeGreaterThan(answers.length / 2);
    expect(answers.every((a) => a.startsWith('-1001 '))).toBe(true);
    // A generous robustness bound, not a benchmark: with scrypt on the event loop this flood took
    // root's YIELD 1 from 4 ms to 409 ms (p50); now failed logins are refused before hashing and
    // hashing runs on the thread pool.
    expect(median(latenciesMs)).toBeLessThan(100);
  }, 60_000);
});
