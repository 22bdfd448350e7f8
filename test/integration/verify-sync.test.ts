// Pins VERIFY SYNC and `nebula-sync verify` across five real processes: all 16 partitions match
// after the seed's Steps 1-3 (exit 0; a wrong --secondary exits 2) and under a write load, only DBA
// and up may run it, and a row changed in the secondary's SQLite file while it was stopped shows as
// exactly its partition, named by --keys, with exit code 1.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@nebula-contrib/nebula-nodejs';
import { BIN } from '../../src/cli/children.ts';
import { partOfString } from '../../src/engine/storage/partition-of.ts';
import { tagRowCrc } from '../../src/engine/storage/row-checksum.ts';
import { decodeProps, encodeProps } from '../../src/engine/wal/value-codec.ts';
import { REPO, stopAll } from '../helpers/processes.ts';
import { eventually, must, PRIMARY_SPACE, rootClient, setUpSync, startTopology, TARGET_SPACE, type Topology } from '../helpers/topology.ts';
import { startWriteLoad } from '../helpers/write-load.ts';

type NebulaClient = ReturnType<typeof createClient>;
type Table = Record<string, unknown[]>;

let t: Topology;
let primary: NebulaClient;

function nebula(port: number, space: string, user = 'root', password = 'nebula'): NebulaClient {
  const client = createClient({ servers: [`127.0.0.1:${port}`], userName: user, password, space, poolSize: 1, executeTimeout: 120_000 });
  client.on('error', () => undefined);
  return client;
}

async function verifyTable(): Promise<Table> {
  return (await primary.execute('VERIFY SYNC')).data as Table;
}

function verifyCli(...extra: string[]): { status: number | null; stdout: string; stderr: string } {
  const secondary = extra.some((a) => a.startsWith('--secondary=')) ? [] : [`--secondary=127.0.0.1:${t.secondary.ports.graph}`];
  const r = spawnSync(
    process.execPath,
    [BIN, 'verify', `--primary=127.0.0.1:${t.primary.ports.graph}`, ...secondary, '-u', 'root', '-p', 'nebula', `--space=${PRIMARY_SPACE}`, ...extra],
    { cwd: REPO, encoding: 'utf8', timeout: 120_000 },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function lagZero(): Promise<void> {
  await eventually(
    'SHOW SYNC STATUS at 0',
    async () => {
      const tb = (await primary.execute('SHOW SYNC STATUS')).data as Table;
      return (tb['LogId Lag'] as number[]).every((n) => n === 0);
    },
    60_000,
  );
}

beforeAll(async () => {
  t = await startTopology();
  const { primary: p, secondary: s } = await setUpSync(t);
  await must(p, 'CREATE TAG player(name string, age int)');
  await must(p, 'CREATE EDGE follow(degree int)');
  await must(p, 'INSERT VERTEX player(name, age) VALUES "player100":("Tim Duncan", 42)');
  await must(p, 'INSERT VERTEX player(name, age) VALUES "player101":("Tony Parker", 36)');
  await must(p, 'INSERT EDGE follow(degree) VALUES "player101" -> "player100":(95)');
  await must(p, `CREATE USER IF NOT EXISTS reader WITH PASSWORD 'pw'`);
  await must(p, `GRANT ROLE USER ON ${PRIMARY_SPACE} TO reader`);
  await p.close();
  await s.close();
  primary = nebula(t.primary.ports.graph, PRIMARY_SPACE);
  await lagZero();
}, 180_000);

afterEach((ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  for (const name of ['primary', 'secondary', 'drainer'] as const) console.error(`--- ${name} log tail ---\n${t[name].stderr().slice(-4000)}`);
});

afterAll(async () => {
  await primary?.close().catch(() => undefined);
  await stopAll();
});

describe('VERIFY SYNC across real processes', () => {
  it('after the seed Steps 1-3: one matching row per partition 0..15, and nebula-sync verify exits 0', async () => {
    const tb = await verifyTable();
    expect(Object.keys(tb)).toEqual(['PartId', 'LogId', 'Rows', 'Primary checksum', 'Secondary checksum', 'Match']);
    expect(tb['PartId']).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(tb['Match']).toEqual(Array(16).fill(true));
    expect((tb['Rows'] as number[]).reduce((a, b) => a + b, 0)).toBe(2 + 3);
    const cli = verifyCli();
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toContain('All 16 partitions of basketballplayer match.');
    expect(cli.status).toBe(0);
    // Naming a cluster that is not the secondary of this space is an error, not a verdict.
    const wrong = verifyCli(`--secondary=127.0.0.1:${t.primary.ports.graph}`);
    expect(wrong.stderr).toMatch(/^Error: the target space replication_basketballplayer is not on 127\.0\.0\.1:\d+/);
    expect(wrong.status).toBe(2);
  });

  it('is refused to a user below DBA', async () => {
    const reader = nebula(t.primary.ports.graph, PRIMARY_SPACE, 'reader', 'pw');
    try {
      await expect(reader.execute('VERIFY SYNC')).rejects.toMatchObject({ errno: -1008, message: expect.stringMatching(/^PermissionError: /) });
    } finally {
      await reader.close();
    }
  });

  it('matches while a write load runs on the primary', async () => {
    const load = startWriteLoad(() => t.primary.ports.graph, 'w');
    try {
      await load.waitAcked(10);
      for (let round = 0; round < 2; round++) {
        const before = load.acked();
        expect((await verifyTable())['Match']).toEqual(Array(16).fill(true));
        await load.waitAcked(1);
        expect(load.acked()).toBeGreaterThan(before);
      }
    } finally {
      await load.stop();
    }
    await lagZero();
  }, 120_000);

  it('finds a row changed in the secondary SQLite file while it was stopped: that partition only, --keys names it, exit 1', async () => {
    await t.secondary.stop();
    const file = readdirSync(t.secondary.dataPath).find((f) => /^space-\d+\.db$/.test(f))!;
    const db = new Database(join(t.secondary.dataPath, file));
    try {
      // As the product would write it: the stored props decoded, one value changed, encoded again,
      // with the row checksum the storage engine keeps, so the row reads back as valid.
      const row = db.prepare("SELECT part, tag_id, ver, props FROM tags WHERE vid = 'player100'").get() as { part: number; tag_id: number; ver: number; props: Buffer };
      const blob = encodeProps({ ...decodeProps(row.props), age: 43n });
      const crc = tagRowCrc(row.part, 'player100', row.tag_id, row.ver, blob);
      db.prepare("UPDATE tags SET props = ?, crc = ? WHERE part = ? AND vid = 'player100' AND tag_id = ?").run(blob, crc, row.part, row.tag_id);
    } finally {
      db.close();
    }
    await t.restart('secondary');
    const s = await rootClient(t.secondary.ports.graph, TARGET_SPACE);
    expect((await must(s, 'FETCH PROP ON player "player100" YIELD player.age AS age')).data?.rows).toEqual([[43n]]);
    await s.close();

    const part = partOfString('player100', 15);
    await eventually('the verify runs again', async () => (await primary.execute('VERIFY SYNC').catch(() => undefined)) !== undefined, 30_000);
    const tb = await verifyTable();
    expect((tb['PartId'] as number[]).filter((_, i) => tb['Match']![i] === false)).toEqual([part]);

    const keys = (await primary.execute('VERIFY SYNC WITH KEYS')).data as Table;
    expect(keys['Key']).toEqual(['player100/player']);
    expect(keys['Difference']).toEqual(['props differ']);

    const cli = verifyCli('--keys');
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain(`Partitions that differ: ${part}.`);
    expect(cli.stdout).toContain('player100/player');
  }, 120_000);
});
