// Pins the primary's WAL tails: Storage.TailWal streams a partition's entries contiguously from
// from_log_id, then each new commit as it happens, answers `gone` once retention dropped the start,
// and refuses unknown spaces and partitions; Meta.TailMetaWal covers the meta WAL's ranges with the
// space's schema changes only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import { decodeWalEntry } from '../../../../../src/engine/wal/wal-codec.ts';
import { num, type WalBatchMsg } from '../../../../../src/engine/sync/wire.ts';
import { metaClient, startPrimary, storageClient, StreamReader, type Primary } from './primary-fixture.ts';

let primary: Primary;
let storage: grpc.Client;
let meta: grpc.Client;
let spaceId: number;

/** Every log id the batches carry, checking each batch's range matches its entries. */
function dataLogIds(batches: readonly WalBatchMsg[]): number[] {
  const ids: number[] = [];
  for (const b of batches) {
    const entries = b.entries.map((e) => decodeWalEntry(e));
    expect(entries.map((e) => e.logId)).toEqual(entries.map((_, i) => num(b.first_log_id) + i));
    expect(num(b.last_log_id)).toBe(num(b.first_log_id) + entries.length - 1);
    expect(num(b.last_ts)).toBe(entries[entries.length - 1]!.ts);
    ids.push(...entries.map((e) => e.logId));
  }
  return ids;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

beforeAll(async () => {
  primary = await startPrimary();
  storage = storageClient(primary);
  meta = metaClient(primary);
  // One partition, so every insert is the next entry of partition 1.
  await primary.run('CREATE SPACE s(partition_num=1, vid_type=fixed_string(30))', 'USE s', 'CREATE TAG player(name string, age int)');
  spaceId = primary.cluster.metaStore.catalog().spaces['s']!.id;
  for (let i = 1; i <= 30; i++) await primary.run(`INSERT VERTEX player(name, age) VALUES "p${i}":("P${i}", ${i})`);
});
afterAll(async () => {
  storage?.close();
  meta?.close();
  await primary?.close();
});

describe('Storage.TailWal', () => {
  it('streams every entry from from_log_id, then live entries as they commit', async () => {
    const tail = new StreamReader<WalBatchMsg>(storage, 'TailWal', { space_id: spaceId, part: 1, from_log_id: 5 });
    await tail.until((m) => dataLogIds(m).length >= 26);
    expect(dataLogIds(tail.messages)).toEqual(range(5, 30));
    expect(num(tail.messages.at(-1)!.source_last_log_id)).toBe(30);

    await primary.run('INSERT VERTEX player(name, age) VALUES "live":("Live", 99)');
    await tail.until((m) => dataLogIds(m).length >= 27);
    const last = decodeWalEntry(tail.messages.at(-1)!.entries.at(-1)!);
    expect(last.logId).toBe(31);
    expect(last.ops).toEqual([expect.objectContaining({ op: 'putTag', vid: 'live' })]);
    tail.cancel();
  });

  it('answers from the first entry when from_log_id is 0', async () => {
    const tail = new StreamReader<WalBatchMsg>(storage, 'TailWal', { space_id: spaceId, part: 1, from_log_id: 0 });
    await tail.until((m) => dataLogIds(m).length >= 31);
    expect(dataLogIds(tail.messages).slice(0, 3)).toEqual([1, 2, 3]);
    tail.cancel();
  });

  it('refuses an unknown space with NOT_FOUND and a bad partition with INVALID_ARGUMENT', async () => {
    const unknown = new StreamReader<WalBatchMsg>(storage, 'TailWal', { space_id: 999, part: 1, from_log_id: 1 });
    await unknown.until(() => false).catch(() => undefined);
    expect(unknown.error?.code).toBe(grpc.status.NOT_FOUND);
    const badPart = new StreamReader<WalBatchMsg>(storage, 'TailWal', { space_id: spaceId, part: 2, from_log_id: 1 });
    await badPart.until(() => false).catch(() => undefined);
    expect(badPart.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('answers gone, with the first retained log id, once retention dropped from_log_id', async () => {
    // Everything is older than wal_ttl an hour from now; the purge keeps the partition's last id.
    primary.cluster.storage.purgeExpired(Date.now() + 24 * 3600 * 1000);
    await primary.run('INSERT VERTEX player(name, age) VALUES "after":("After", 1)');
    const tail = new StreamReader<WalBatchMsg>(storage, 'TailWal', { space_id: spaceId, part: 1, from_log_id: 3 });
    const messages = await tail.until(() => false).catch(() => tail.messages);
    expect(tail.ended).toBe(true);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ gone: true, entries: [] });
    expect(num(messages[0]!.retained_first_log_id)).toBe(32);
    // From the first retained entry the tail works as before.
    const fresh = new StreamReader<WalBatchMsg>(storage, 'TailWal', { space_id: spaceId, part: 1, from_log_id: 32 });
    await fresh.until((m) => dataLogIds(m).length >= 1);
    expect(dataLogIds(fresh.messages)).toEqual([32]);
    fresh.cancel();
  });
});

describe('Meta.TailMetaWal', () => {
  /** The log ids the batches cover, checking they follow each other and carry no raw entries. */
  function covered(batches: readonly WalBatchMsg[], from: number): number[] {
    let next = from;
    for (const b of batches) {
      expect(num(b.first_log_id)).toBe(next);
      expect(b.entries).toEqual([]);
      for (const c of b.schema_changes) expect(num(c.log_id)).toBeGreaterThanOrEqual(num(b.first_log_id));
      for (const c of b.schema_changes) expect(num(c.log_id)).toBeLessThanOrEqual(num(b.last_log_id));
      next = num(b.last_log_id) + 1;
    }
    return range(from, next - 1);
  }

  it("covers every meta entry from from_log_id with the space's schema changes only, then each new one", async () => {
    const lastBefore = primary.cluster.metaStore.lastLogId();
    const tail = new StreamReader<WalBatchMsg>(meta, 'TailMetaWal', { space_id: spaceId, from_log_id: 1 });
    await tail.until((m) => covered(m, 1).length >= lastBefore);
    expect(covered(tail.messages, 1)).toEqual(range(1, lastBefore));
    expect(tail.messages.flatMap((b) => b.schema_changes).map((c) => [c.kind, c.name, c.version])).toEqual([['TAG', 'player', 0]]);
    expect(num(tail.messages.at(-1)!.last_ts)).toBe(primary.cluster.metaStore.lastTs());

    await primary.run('CREATE USER IF NOT EXISTS tailer WITH PASSWORD "tail-secret"', 'USE s', 'CREATE EDGE follow(degree int)');
    await tail.until((m) => covered(m, 1).length >= lastBefore + 2);
    expect(covered(tail.messages, 1)).toEqual(range(1, lastBefore + 2));
    expect(tail.messages.flatMap((b) => b.schema_changes).at(-1)).toMatchObject({ log_id: String(lastBefore + 2), kind: 'EDGE', name: 'follow' });
    expect(num(tail.messages.at(-1)!.source_last_log_id)).toBe(lastBefore + 2);
    expect(JSON.stringify(tail.messages)).not.toMatch(/tailer|scrypt|root/);
    tail.cancel();
  });

  it('starts after from_log_id and refuses an unknown space or a log id beyond 2^53', async () => {
    const tail = new StreamReader<WalBatchMsg>(meta, 'TailMetaWal', { space_id: spaceId, from_log_id: 3 });
    await tail.until((m) => m.length > 0);
    expect(num(tail.messages[0]!.first_log_id)).toBe(3);
    tail.cancel();
    const unknown = new StreamReader<WalBatchMsg>(meta, 'TailMetaWal', { space_id: 999, from_log_id: 1 });
    await unknown.until(() => false).catch(() => undefined);
    expect(unknown.error?.code).toBe(grpc.status.NOT_FOUND);
    const huge = new StreamReader<WalBatchMsg>(meta, 'TailMetaWal', { space_id: spaceId, from_log_id: '9223372036854775807' });
    await huge.until(() => false).catch(() => undefined);
    expect(huge.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
  });
});
