// Pins durability of the meta WAL: after kill -9, every commit the writer acknowledged is in the reopened catalog.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { MetaStore } from '../../../../src/engine/meta/meta-store.ts';

const ACKS_BEFORE_KILL = 60;
const writer = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

it('keeps every acknowledged commit across SIGKILL', async () => {
  dir = mkdtempSync(join(tmpdir(), 'meta-crash-'));
  const child = spawn(process.execPath, ['--import', 'tsx', writer, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const acked: number[] = [];
  let buffered = '';
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () => resolve());
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) acked.push(Number(line));
      if (acked.length >= ACKS_BEFORE_KILL) child.kill('SIGKILL');
    });
  });
  expect(child.signalCode).toBe('SIGKILL');
  expect(acked.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
  const store = MetaStore.open({ dataPath: dir, fsync: true, checkpointEvery: 7 });
  const lastAcked = acked[acked.length - 1];
  expect(store.lastLogId()).toBeGreaterThanOrEqual(lastAcked);
  // Entry 1 is root; entry n added the (n-2)th host, so every acknowledged host must be there.
  const hosts = new Set(store.catalog().storageHosts);
  for (const logId of acked.filter((id) => id >= 2)) {
    const i = logId - 2;
    expect(hosts.has(`10.0.${Math.floor(i / 250)}.${i % 250}:9779`)).toBe(true);
  }
  expect(store.catalog().users.root).toBeDefined();
  store.close();
});
