// Pins VERIFY SYNC end to end on in-process clusters (graph service -> drainer -> secondary): one
// row per partition that matches after the sync caught up (other partition counts, INT64 vids),
// and keeps matching under a write load; rows changed, removed or added on the secondary show as
// exactly their partitions, and WITH KEYS names those keys; a drainer that is gone is an error.
import { afterEach, describe, expect, it } from 'vitest';
import type { GraphClient } from '../../../../../src/client/graph-client.ts';
import type { ExecutionResponse } from '../../../../../src/server/graph-handler.ts';
import { caughtUp, run, startVerifyWorld, TARGET, type VerifyWorld } from './verify-fixture.ts';

let w: VerifyWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const plain = (v: unknown): unknown =>
  typeof v === 'bigint' ? Number(v) : v instanceof Map ? Object.fromEntries([...v].map(([k, x]) => [k, plain(x)])) : v;

function rowsOf(res: ExecutionResponse): unknown[][] {
  expect(res.errorMsg ?? '', 'statement failed').toBe('');
  return res.data!.rows.map((r) => r.map((c) => (typeof c === 'object' && c !== null && 'kind' in c && c.kind === 'map' ? plain(c.entries) : plain(c))));
}

async function load(p: GraphClient, prefix: string, count: number, quote = true): Promise<void> {
  const vid = (i: number) => (quote ? `"${prefix}${i}"` : String(i));
  const vs = Array.from({ length: count }, (_, i) => `${vid(i)}:("n${i}", ${i})`);
  expect((await run(p, `INSERT VERTEX player(name, age) VALUES ${vs.join(', ')}`)).errorMsg ?? '').toBe('');
  const es = Array.from({ length: count - 1 }, (_, i) => `${vid(i)}->${vid(i + 1)}@${i % 3}:(${i})`);
  expect((await run(p, `INSERT EDGE follow(degree) VALUES ${es.join(', ')}`)).errorMsg ?? '').toBe('');
}

const matches = (rows: unknown[][]) => rows.map((r) => r[5]);

describe('VERIFY SYNC', () => {
  it('answers one matching row per partition once the sync caught up, with another partition count', async () => {
    w = await startVerifyWorld({ partitions: 15, targetPartitions: 7 });
    await load(w.p, 'player', 300);
    await caughtUp(w.p);
    const res = await run(w.p, 'VERIFY SYNC');
    expect(res.data!.columns).toEqual(['PartId', 'LogId', 'Rows', 'Primary checksum', 'Secondary checksum', 'Match']);
    const rows = rowsOf(res);
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(matches(rows).every((m) => m === true)).toBe(true);
    expect(rows[0]![2]).toBe(2);
    expect(rows.slice(1).reduce((n, r) => n + (r[2] as number), 0)).toBe(599);
    expect(rows.every((r) => r[3] === r[4] && /^[0-9a-f]{16}$/.test(r[3] as string))).toBe(true);
  }, 60_000);

  it('matches for INT64 vids too', async () => {
    w = await startVerifyWorld({ partitions: 5, targetPartitions: 3, vidType: 'INT64' });
    await load(w.p, '', 100, false);
    await caughtUp(w.p);
    expect(matches(rowsOf(await run(w.p, 'VERIFY SYNC'))).every((m) => m === true)).toBe(true);
  }, 60_000);

  it('shows rows changed, removed or added on the secondary as their partitions, and WITH KEYS names them', async () => {
    w = await startVerifyWorld({ partitions: 15, targetPartitions: 7 });
    await load(w.p, 'player', 300);
    await caughtUp(w.p);
    const space = w.secondary.metaStore.catalog().spaces[TARGET]!;
    const store = w.secondary.storage.space(space.id)!;
    const player = space.tags['player']!.id;
    const follow = space.edges['follow']!.id;
    await store.write([
      { op: 'putTag', vid: 'player5', tagId: player, ver: 0, props: { name: 'n5', age: 55n } },
      { op: 'deleteEdge', src: 'player20', etype: follow, rank: 2n, dst: 'player21' },
      { op: 'putTag', vid: 'stranger', tagId: player, ver: 0, props: { name: 'who', age: 1n } },
    ]);
    const primaryStore = w.primary.storage.space(w.primary.metaStore.catalog().spaces['basketballplayer']!.id)!;
    const partsOf = ['player5', 'player20', 'stranger'].map((v) => primaryStore.partOf(v));
    const rows = rowsOf(await run(w.p, 'VERIFY SYNC'));
    expect(rows.filter((r) => r[5] === false).map((r) => r[0])).toEqual([...new Set(partsOf)].sort((a, b) => a - b));

    const keys = await run(w.p, 'VERIFY SYNC WITH KEYS');
    expect(keys.data!.columns).toEqual(['PartId', 'Key', 'Difference', 'Primary', 'Secondary']);
    const listed = rowsOf(keys).map((r) => [r[1], r[2], r[3], r[4]]);
    expect(listed).toHaveLength(3);
    expect(listed).toContainEqual(['player5/player', 'props differ', { name: 'n5', age: 5 }, { name: 'n5', age: 55 }]);
    expect(listed).toContainEqual(['player20->player21@2/follow', 'missing on secondary', { degree: 20 }, { kind: 'empty' }]);
    expect(listed).toContainEqual(['stranger/player', 'only on secondary', { kind: 'empty' }, { name: 'who', age: 1 }]);
  }, 60_000);

  it('keeps matching while the primary takes writes', async () => {
    w = await startVerifyWorld({ partitions: 15, targetPartitions: 15 });
    await load(w.p, 'player', 200);
    await caughtUp(w.p);
    const writer = await w.world.client(w.primary);
    expect((await run(writer, 'USE basketballplayer')).errorCode).toBe(0);
    let writing = true;
    let written = 0;
    const loop = (async () => {
      for (let i = 0; writing; i++) {
        const res = await run(writer, `INSERT VERTEX player(name, age) VALUES "w${i % 50}":("w${i}", ${i}), "x${i}":("x", ${i})`);
        if (res.errorCode !== 0) throw new Error(res.errorMsg);
        written++;
      }
    })();
    try {
      for (let round = 0; round < 3; round++) {
        const before = written;
        const rows = rowsOf(await run(w.p, 'VERIFY SYNC'));
        expect(matches(rows).every((m) => m === true)).toBe(true);
        expect(written).toBeGreaterThan(before);
      }
    } finally {
      writing = false;
      await loop;
    }
  }, 90_000);

  it('is an error that names the drainer when no drainer answers', async () => {
    w = await startVerifyWorld();
    await load(w.p, 'player', 10);
    await caughtUp(w.p);
    await w.drainer.close();
    const res = await run(w.p, 'VERIFY SYNC');
    expect(res.errorCode).toBe(-1005);
    expect(res.errorMsg).toMatch(new RegExp(`^VerifyFailed: no drainer of space \`basketballplayer' could start a verify on the secondary: drainer 127.0.0.1:${w.drainerPort} did not answer`));
  }, 60_000);
});
