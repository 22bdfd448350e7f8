// Pins Storage.Snapshot: a partition's rows at log id L streamed as bounded chunks of putTag/putEdge
// ops, every chunk stamped with L, the last one flagged, nothing written after L included, and
// every row present exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as grpc from '@grpc/grpc-js';
import { decodeWalEntry } from '../../../../../src/engine/wal/wal-codec.ts';
import { SNAPSHOT_CHUNK_BYTES_MAX, SNAPSHOT_CHUNK_ROWS } from '../../../../../src/server/rpc/primary-snapshot.ts';
import { num, type SnapshotChunkMsg } from '../../../../../src/engine/sync/wire.ts';
import { startPrimary, storageClient, StreamReader, type Primary } from './primary-fixture.ts';

const VERTICES = 1_200;
let primary: Primary;
let storage: grpc.Client;
let spaceId: number;

beforeAll(async () => {
  primary = await startPrimary();
  storage = storageClient(primary);
  await primary.run(
    'CREATE SPACE s(partition_num=1, vid_type=INT64)',
    'USE s',
    'CREATE TAG player(name string, age int)',
    'CREATE EDGE follow(degree int)',
  );
  spaceId = primary.cluster.metaStore.catalog().spaces['s']!.id;
  for (let from = 0; from < VERTICES; from += 300) {
    const rows = Array.from({ length: 300 }, (_, i) => `${from + i}:("P${from + i}", ${(from + i) % 50})`);
    await primary.run(`INSERT VERTEX player(name, age) VALUES ${rows.join(', ')}`);
  }
  await primary.run('INSERT EDGE follow(degree) VALUES 1 -> 2:(90), 2 -> 3:(80), 3 -> 1:(70)');
});
afterAll(async () => {
  storage?.close();
  await primary?.close();
});

describe('Storage.Snapshot', () => {
  it('streams every row in chunks of at most SNAPSHOT_CHUNK_ROWS, all at log id L, the last flagged', async () => {
    const L = primary.cluster.storage.space(spaceId)!.partitionState(1).lastLogId;
    const reader = new StreamReader<SnapshotChunkMsg>(storage, 'Snapshot', { space_id: spaceId, part: 1 });
    const chunks = await reader.until((m) => m.some((c) => c.last));
    await reader.until(() => false, 2_000).catch(() => undefined);
    expect(reader.ended).toBe(true);
    expect(chunks.filter((c) => c.last)).toHaveLength(1);
    expect(chunks.at(-1)!.last).toBe(true);
    const entries = chunks.map((c) => decodeWalEntry(c.rows));
    for (const [i, c] of chunks.entries()) {
      expect(num(c.log_id)).toBe(L);
      expect(entries[i]!.logId).toBe(L);
      expect(entries[i]!.ops.length).toBeLessThanOrEqual(SNAPSHOT_CHUNK_ROWS);
    }
    const ops = entries.flatMap((e) => e.ops);
    const tags = ops.filter((o) => o.op === 'putTag');
    expect(new Set(tags.map((o) => (o.op === 'putTag' ? o.vid : 0n))).size).toBe(VERTICES);
    expect(tags).toHaveLength(VERTICES);
    expect(tags).toContainEqual({ op: 'putTag', vid: 7n, tagId: expect.any(Number), ver: 0, props: { name: 'P7', age: 7n } });
    expect(ops.filter((o) => o.op === 'putEdge')).toHaveLength(3);
    expect(chunks.length).toBeGreaterThanOrEqual(Math.ceil((VERTICES + 3) / SNAPSHOT_CHUNK_ROWS));
  });

  it('holds nothing written after it began, and a later snapshot sees the new rows', async () => {
    const reader = new StreamReader<SnapshotChunkMsg>(storage, 'Snapshot', { space_id: spaceId, part: 1 });
    await reader.until((m) => m.length >= 1);
    await primary.run('INSERT VERTEX player(name, age) VALUES 5000:("Late", 1)');
    const chunks = await reader.until((m) => m.some((c) => c.last));
    const vids = chunks.flatMap((c) => decodeWalEntry(c.rows).ops.map((o) => (o.op === 'putTag' ? o.vid : undefined)));
    expect(vids).not.toContain(5000n);
    const again = new StreamReader<SnapshotChunkMsg>(storage, 'Snapshot', { space_id: spaceId, part: 1 });
    const later = await again.until((m) => m.some((c) => c.last));
    const laterVids = later.flatMap((c) => decodeWalEntry(c.rows).ops.map((o) => (o.op === 'putTag' ? o.vid : undefined)));
    expect(laterVids).toContain(5000n);
    expect(num(later[0]!.log_id)).toBe(num(chunks[0]!.log_id) + 1);
  });

  it('ends a chunk by bytes as well as rows: rows of large strings travel a few at a time, each chunk near SNAPSHOT_CHUNK_BYTES_MAX', async () => {
    const ROW_CHARS = 300_000;
    await primary.run('CREATE SPACE big(partition_num=1, vid_type=INT64)', 'USE big', 'CREATE TAG doc(body string)');
    const bigId = primary.cluster.metaStore.catalog().spaces['big']!.id;
    for (let from = 0; from < 12; from += 6) {
      const rows = Array.from({ length: 6 }, (_, i) => `${from + i}:("${String(from + i).padEnd(ROW_CHARS, 'x')}")`);
      await primary.run(`INSERT VERTEX doc(body) VALUES ${rows.join(', ')}`);
    }
    const reader = new StreamReader<SnapshotChunkMsg>(storage, 'Snapshot', { space_id: bigId, part: 1 });
    const chunks = await reader.until((m) => m.some((c) => c.last));
    // 12 rows of about 300 KB: 4 rows pass 1 MiB, so chunks of 4, 4, 4 and an empty last one.
    expect(chunks.map((c) => decodeWalEntry(c.rows).ops.length)).toEqual([4, 4, 4, 0]);
    for (const c of chunks) expect(c.rows.length).toBeLessThan(SNAPSHOT_CHUNK_BYTES_MAX + ROW_CHARS + 100);
    const bodies = chunks.flatMap((c) => decodeWalEntry(c.rows).ops.map((o) => (o.op === 'putTag' ? String(o.props['body']) : '')));
    expect(bodies.map((b) => b.length)).toEqual(Array(12).fill(ROW_CHARS));
    expect(bodies.map((b) => Number.parseInt(b, 10)).sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
  });
});
