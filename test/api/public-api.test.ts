// Pins the public API as a user of the package meets it: only src/index.ts (and the built package
// through its name) is imported, and each export does what its documentation promises, up to a
// primary and a secondary synchronizing in this process with listeners and a drainer.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as api from '../../src/index.ts';
import {
  createCluster,
  createDrainer,
  createEngine,
  createListener,
  ErrorCode,
  executionResponse,
  GraphClient,
  GraphClientError,
  isSyncStatement,
  MetaCode,
  parse,
  serveGraph,
  splitStatements,
  SYNC_STATEMENT_KINDS,
  verifyClientVersion,
  type ClusterRole,
  type ClusterStatus,
  type Engine,
  type EngineSession,
  type GraphHandler,
  type LogRecord,
  type SyncStatusRow,
} from '../../src/index.ts';

const REPO = resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
const closers: (() => Promise<void> | void)[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nebula-sync-api-'));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Polls `check` (bounded) until it is true. */
async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function must(engine: Engine, session: EngineSession, text: string) {
  const result = await engine.execute(session, text);
  if (!result.ok) throw new Error(`${text}: [${result.error.code}] ${result.error.message}`);
  return result.value;
}

describe('parsing', () => {
  it('parse answers statements, or a coded syntax error with its position', () => {
    expect(parse('USE nba; SHOW SYNC STATUS')).toEqual({ ok: true, statements: [{ kind: 'Use', space: 'nba' }, { kind: 'ShowSyncStatus' }] });
    const bad = parse('SHOW SYNC\nSTATUSES');
    expect(bad).toMatchObject({ ok: false, error: { code: ErrorCode.E_SYNTAX_ERROR, message: "SyntaxError: syntax error near `STATUSES'" }, line: 2 });
  });

  it('splitStatements cuts at the statement separators only', () => {
    expect(splitStatements('USE nba; # a comment; really\n YIELD "a;b";;')).toEqual(['USE nba', 'YIELD "a;b"']);
  });

  it('isSyncStatement tells the synchronization statements from the others', () => {
    const parsed = parse('SIGN IN DRAINER SERVICE(127.0.0.1:9889); ADD DRAINER 127.0.0.1:9889; SET VARIABLES read_only=true; INSERT VERTEX t() VALUES "a":()');
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.statements.map(isSyncStatement)).toEqual([true, true, true, false]);
    expect(SYNC_STATEMENT_KINDS.has('ShowSyncStatus')).toBe(true);
    expect(SYNC_STATEMENT_KINDS.has('Use')).toBe(false);
  });
});

describe('an engine in this process', () => {
  it('runs statements for a session, with the permission checks, and answers the catalog and status rows as data', async () => {
    const engine = createEngine({ dataPath: tempDir(), enableAuthorize: true, fsync: false });
    closers.push(() => engine.close());
    const denied = await engine.authenticate('root', 'wrong');
    expect(denied).toEqual({ ok: false, error: { code: ErrorCode.E_BAD_USERNAME_PASSWORD, message: 'Invalid password' } });
    const login = await engine.authenticate('root', 'nebula');
    if (!login.ok) throw new Error(login.error.message);
    const root = login.value;
    expect(root).toEqual({ user: 'root' });

    await must(engine, root, 'ADD HOSTS 127.0.0.1:9779');
    await must(engine, root, 'CREATE SPACE nba(partition_num=3, vid_type=fixed_string(16))');
    await must(engine, root, 'USE nba');
    expect(root.space).toBe('nba');
    await must(engine, root, 'CREATE TAG player(name string); INSERT VERTEX player(name) VALUES "p1":("Tim")');
    expect(await must(engine, root, 'FETCH PROP ON player "p1" YIELD player.name AS name')).toEqual({ columns: ['name'], rows: [['Tim']] });

    // run(): already parsed statements.
    const parsed = parse('SIGN IN DRAINER SERVICE(127.0.0.1:9889); ADD LISTENER SYNC META 127.0.0.1:9569 STORAGE 127.0.0.1:9789 TO SPACE copy');
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(await engine.run(root, parsed.statements)).toEqual({ ok: true, value: undefined });

    const rows: readonly SyncStatusRow[] = engine.syncStatus('nba');
    expect(rows.map((r) => r.part)).toEqual([0, 1, 2, 3]);
    expect(rows.every((r) => r.status === 'OFFLINE')).toBe(true);
    expect(engine.drainerSyncStatus('nba')).toEqual([]);
    const catalog = engine.catalog();
    expect(catalog.listeners['nba']).toMatchObject({ targetSpace: 'copy', stopped: false, meta: { host: '127.0.0.1', port: 9569 } });
    expect(catalog.drainerClients['nba']).toEqual([{ host: '127.0.0.1', port: 9889 }]);

    // A user with no role in the space is refused by the executor's checks.
    await must(engine, root, "CREATE USER reader WITH PASSWORD 'pw'; GRANT ROLE GUEST ON nba TO reader");
    const reader: EngineSession = { user: 'reader', space: 'nba' };
    expect(await engine.execute(reader, 'STOP SYNC')).toEqual({ ok: false, error: { code: ErrorCode.E_BAD_PERMISSION, message: 'PermissionError: No permission to write space.' } });
    expect(await engine.execute(reader, 'SHOW SYNC STATU')).toMatchObject({ ok: false, error: { code: ErrorCode.E_SYNTAX_ERROR } });
    engine.close();
    expect(() => createEngine({ dataPath: '' })).toThrow(/dataPath/);
  });
});

describe('the roles in this process', () => {
  it('a primary and a secondary synchronize through listeners and a drainer, each with status and log callbacks', async () => {
    const states: string[] = [];
    const logs: LogRecord[] = [];
    const cluster = (graphPort: number | false): ClusterRole => {
      const role = createCluster({ dataPath: tempDir(), graphPort, heartbeatIntervalSecs: 1, fsync: false });
      closers.push(() => role.close());
      return role;
    };
    const primary = cluster(0);
    const secondary = cluster(false);
    primary.onStatus((s: ClusterStatus) => states.push(s.state));
    primary.onLog((line) => logs.push(line));
    expect(primary.status()).toMatchObject({ state: 'new', ports: { graph: 0, meta: 0 } });
    const p = await primary.start();
    const s = await secondary.start();
    expect(states).toEqual(['starting', 'running']);
    expect(p.graph).toBeGreaterThan(0);
    expect(s.graph).toBe(0);
    expect(primary.status()).toMatchObject({ state: 'running', ports: p });
    expect(logs.some((l) => l.msg === 'cluster started' && l.level === 'info')).toBe(true);
    await expect(primary.start()).rejects.toThrow(/once/);

    const metaListener = createListener({ role: 'meta', metaServerAddrs: [`127.0.0.1:${p.meta}`], heartbeatIntervalSecs: 1 });
    const storageListener = createListener({ role: 'storage', metaServerAddrs: [`127.0.0.1:${p.meta}`], heartbeatIntervalSecs: 1 });
    const drainer = createDrainer({ metaServerAddrs: [`127.0.0.1:${s.meta}`], heartbeatIntervalSecs: 1 });
    const drainerStates: string[] = [];
    drainer.onStatus((st) => drainerStates.push(`${st.state} ${st.address.endsWith(':0') ? 'unbound' : 'bound'}`));
    for (const role of [metaListener, storageListener, drainer]) closers.push(() => role.close());
    const ml = await metaListener.start();
    const sl = await storageListener.start();
    const d = await drainer.start();
    expect(storageListener.status()).toEqual({ state: 'running', role: 'storage', address: `127.0.0.1:${sl.port}` });
    expect(drainerStates).toEqual(['starting unbound', 'running bound']);

    const onPrimary = { user: 'root' };
    const onSecondary = { user: 'root' };
    await must(primary.engine, onPrimary, `ADD HOSTS 127.0.0.1:${p.storage}`);
    await must(secondary.engine, onSecondary, `ADD HOSTS 127.0.0.1:${s.storage}`);
    await must(primary.engine, onPrimary, 'CREATE SPACE nba(partition_num=3, vid_type=fixed_string(30)); USE nba');
    await must(primary.engine, onPrimary, `SIGN IN DRAINER SERVICE(127.0.0.1:${d.port})`);
    await must(primary.engine, onPrimary, `ADD LISTENER SYNC META 127.0.0.1:${ml.port} STORAGE 127.0.0.1:${sl.port} TO SPACE copy`);
    await must(secondary.engine, onSecondary, 'CREATE SPACE copy(partition_num=3, vid_type=fixed_string(30)); USE copy');
    await must(secondary.engine, onSecondary, `ADD DRAINER 127.0.0.1:${d.port}; SET VARIABLES read_only=true`);
    await must(primary.engine, onPrimary, 'CREATE TAG player(name string, age int)');
    await must(primary.engine, onPrimary, 'INSERT VERTEX player(name, age) VALUES "player100":("Tim Duncan", 42)');

    const fetch = 'FETCH PROP ON player "player100" YIELD properties(vertex) AS p';
    await eventually('the vertex on the secondary', async () => (await secondary.engine.execute({ user: 'root', space: 'copy' }, fetch)).ok);
    await eventually('SHOW SYNC STATUS all ONLINE', () => primary.engine.syncStatus('nba').every((r) => r.status === 'ONLINE' && r.logIdLag === 0));
    expect(secondary.engine.drainerSyncStatus('copy').length).toBeGreaterThan(0);

    // The graph port serves the same engine.
    const client = await GraphClient.connect({ host: '127.0.0.1', port: p.graph, timeoutMs: 10_000 });
    expect((await client.authenticate('root', 'nebula')).ok).toBe(true);
    expect((await client.execute('USE nba; SHOW SYNC STATUS')).data?.rows).toHaveLength(4);
    await client.close();

    await drainer.close();
    expect(drainer.status().state).toBe('closed');
    for (const role of [metaListener, storageListener]) await role.close();
    await primary.close();
    expect(states).toEqual(['starting', 'running', 'closing', 'closed']);
    secondary.destroy();
    expect(secondary.status().state).toBe('closed');
    expect(() => createListener({ role: 'storage', metaServerAddrs: [] })).toThrow(/meta/);
  });
});

describe('the graph protocol', () => {
  it('serveGraph puts a handler on a port that graph clients speak to; executionResponse shapes its answers', async () => {
    const handler: GraphHandler = {
      authenticate: async (user) =>
        user === 'root' ? { ok: true, sessionId: 7n, timeZoneOffsetSeconds: 0, timeZoneName: 'UTC' } : { ok: false, error: { code: ErrorCode.E_BAD_USERNAME_PASSWORD, message: 'User not exist' } },
      signout: () => undefined,
      execute: async (_session, stmt) => {
        const parsed = parse(stmt);
        if (!parsed.ok) return executionResponse(parsed, { spaceName: '' });
        return executionResponse({ ok: true, value: { columns: ['kind'], rows: parsed.statements.map((s) => [s.kind]) } }, { spaceName: 'nba', latencyUs: 5 });
      },
      verifyClientVersion,
    };
    const service = await serveGraph({ handler });
    closers.push(() => service.close());
    const client = await GraphClient.connect({ host: '127.0.0.1', port: service.port, timeoutMs: 10_000 });
    expect(await client.verifyClientVersion()).toEqual({ ok: true });
    expect(await client.authenticate('nobody', 'x')).toEqual({ ok: false, error: { code: -1001, message: 'User not exist' } });
    expect((await client.authenticate('root', 'x')).ok).toBe(true);
    const answer = await client.execute('SHOW SYNC STATUS');
    expect([answer.errorCode, answer.spaceName, answer.data?.rows]).toEqual([0, 'nba', [['ShowSyncStatus']]]);
    const refused = await client.execute('SHOW SYNC');
    expect([refused.errorCode, refused.errorMsg]).toEqual([ErrorCode.E_SYNTAX_ERROR, "SyntaxError: syntax error near `SYNC'"]);
    await client.close();
    await service.close();
    await expect(GraphClient.connect({ host: '127.0.0.1', port: service.port, timeoutMs: 5_000 })).rejects.toBeInstanceOf(GraphClientError);

    expect(verifyClientVersion('2.6.0')).toMatchObject({ ok: false, error: { code: ErrorCode.E_CLIENT_SERVER_INCOMPATIBLE } });
    expect(executionResponse({ ok: true, value: undefined }, { spaceName: '' })).toEqual({ errorCode: 0, latencyUs: 0, spaceName: '' });
  });

  it('the error code tables carry NebulaGraph numbers', () => {
    expect([ErrorCode.SUCCEEDED, ErrorCode.E_SYNTAX_ERROR, ErrorCode.E_BAD_PERMISSION]).toEqual([0, -1004, -1008]);
    expect([MetaCode.E_SYNC_LISTENER_NOT_FOUND, MetaCode.E_LOG_GAP]).toEqual([-32, -4001]);
  });
});

describe('the built package', () => {
  it("imports as 'nebula-sync' (exports map, dist/) with the same exports as src/index.ts, and refuses deep paths", () => {
    const script = [
      "const m = await import('nebula-sync');",
      "const deep = await import('nebula-sync/dist/main.js').then(() => 'allowed', (e) => e.code);",
      "console.log(JSON.stringify({ names: Object.keys(m).sort(), parsed: m.parse('SHOW SYNC STATUS'), deep }));",
    ].join('\n');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { names: string[]; parsed: unknown; deep: string };
    expect(out.names).toEqual(Object.keys(api).sort());
    expect(out.parsed).toEqual({ ok: true, statements: [{ kind: 'ShowSyncStatus' }] });
    expect(out.deep).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});
