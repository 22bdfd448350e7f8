/**
 * Storage write throughput: 200,000 vertex rows in 500-row writes into a 15-partition space, with
 * fsync off and on (folder: $BENCH_DIR, default the OS temp folder), from one client (each write awaited) and from 8 clients (8 writes per tick,
 * which group commit turns into one COMMIT). Also compares the WAL codec with `node:v8` serialize
 * on a 500-row entry. Run: `npx tsx bench/storage-write.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { createStorageEngine } from '../src/engine/storage/storage-engine.ts';
import type { DataOp, WalEntry } from '../src/engine/storage/types.ts';
import { decodeWalEntry, encodeWalEntry } from '../src/engine/wal/wal-codec.ts';

const ROWS = 200_000;
const BATCH_ROWS = 500;
const PARTS = 15;

function batch(start: number): DataOp[] {
  const ops: DataOp[] = new Array(BATCH_ROWS);
  for (let i = 0; i < BATCH_ROWS; i++) {
    const n = start + i;
    ops[i] = { op: 'putTag', vid: `player${n}`, tagId: 2, ver: 0, props: { name: `Player Number ${n}`, age: BigInt(n % 90) } };
  }
  return ops;
}

async function run(fsync: boolean, clients: number): Promise<void> {
  const dir = mkdtempSync(join(process.env['BENCH_DIR'] ?? tmpdir(), 'nebula-sync-bench-'));
  const engine = createStorageEngine({ dataPath: dir, walTtlSecs: 14400, fsync });
  const space = engine.openSpace(1, PARTS, 'FIXED_STRING');
  const batches = Array.from({ length: ROWS / BATCH_ROWS }, (_, i) => batch(i * BATCH_ROWS));
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < batches.length; i += clients) {
    await Promise.all(batches.slice(i, i + clients).map((b) => space.write(b)));
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuMsPerWrite = (cpu.user + cpu.system) / 1000 / batches.length;
  const label = `fsync=${fsync ? 'on ' : 'off'} clients=${clients}`;
  console.log(`${label}: ${Math.round(ROWS / secs).toLocaleString('en-US')} rows/s, ${cpuMsPerWrite.toFixed(2)} ms CPU per 500-row write`);
  engine.close();
  rmSync(dir, { recursive: true, force: true });
}

function codecs(): void {
  const entry: WalEntry = { logId: 1, term: 1, ts: Date.now(), ops: batch(0) };
  const rounds = 400;
  const time = (name: string, fn: () => void): void => {
    fn();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) fn();
    const us = Number(process.hrtime.bigint() - t0) / 1000 / rounds;
    console.log(`${name}: ${us.toFixed(0)} us per 500-row entry`);
  };
  const bin = encodeWalEntry(entry);
  const v8 = serialize(entry);
  console.log(`entry bytes: binary ${bin.length}, v8 ${v8.length}`);
  time('binary encode', () => encodeWalEntry(entry));
  time('binary decode', () => decodeWalEntry(bin));
  time('v8 encode    ', () => serialize(entry));
  time('v8 decode    ', () => deserialize(v8));
}

codecs();
for (const fsync of [false, true]) for (const clients of [1, 8]) await run(fsync, clients);
