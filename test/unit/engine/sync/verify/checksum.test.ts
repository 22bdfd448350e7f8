// Pins the VERIFY SYNC checksum: the same rows give the same per-source-partition sums whatever the
// partition count, schema ids and stored property order of the side holding them, and one changed
// prop, a missing row or an extra row changes exactly its partition's sum.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SchemaDesc } from '../../../../../src/catalog/types.ts';
import type { DataOp, SpaceStore, Vid } from '../../../../../src/engine/storage/types.ts';
import { PartSums } from '../../../../../src/engine/sync/verify/part-sums.ts';
import { schemaNames } from '../../../../../src/engine/sync/verify/row-digest.ts';
import { scanSpace, type PartPlacement } from '../../../../../src/engine/sync/verify/space-scan.ts';
import { tempEngine, type TempEngine } from '../../storage/temp-engine.ts';

const SOURCE_PARTS = 15;

let t: TempEngine;
beforeEach(() => {
  t = tempEngine();
});
afterEach(() => t.cleanup());

const schema = (kind: 'TAG' | 'EDGE', name: string, id: number): SchemaDesc => ({ id, kind, name, versions: [{ version: 0, props: [] }] });

/** One side: a space with its own partition count and its own ids for player / follow. */
interface Side {
  readonly store: SpaceStore;
  readonly tagId: number;
  readonly edgeId: number;
  readonly placement: PartPlacement;
}

function side(spaceId: number, partitions: number, ids: { tag: number; edge: number }, vidType: 'FIXED_STRING' | 'INT64' = 'FIXED_STRING'): Side {
  const store = t.engine.openSpace(spaceId, partitions, vidType);
  const placement: PartPlacement = partitions === SOURCE_PARTS ? { kind: 'own' } : { kind: 'hash', partitions: SOURCE_PARTS };
  return { store, tagId: ids.tag, edgeId: ids.edge, placement };
}

async function sumsOf(s: Side): Promise<PartSums> {
  const sums = new PartSums(SOURCE_PARTS, true);
  const view = s.store.readView();
  try {
    await scanSpace({
      view,
      tags: schemaNames({ player: schema('TAG', 'player', s.tagId) }),
      edges: schemaNames({ follow: schema('EDGE', 'follow', s.edgeId) }),
      placement: s.placement,
      sums,
    });
  } finally {
    view.close();
  }
  return sums;
}

const table = (sums: PartSums) => Array.from({ length: SOURCE_PARTS }, (_, i) => sums.of(i + 1));

function rows(s: Side, vids: readonly Vid[], reversedProps = false): DataOp[] {
  const ops: DataOp[] = [];
  vids.forEach((vid, i) => {
    const props = reversedProps ? { age: BigInt(i), name: `n${i}` } : { name: `n${i}`, age: BigInt(i) };
    ops.push({ op: 'putTag', vid, tagId: s.tagId, ver: 0, props });
    if (i > 0) ops.push({ op: 'putEdge', src: vids[i - 1]!, etype: s.edgeId, rank: BigInt(i - 5), dst: vid, ver: 0, props: { degree: BigInt(i) } });
  });
  return ops;
}

// More rows than one scan page (VERIFY_SCAN_PAGE_ROWS) of each table, so that paging is exercised.
const ROWS = 2_100;
const stringVids = Array.from({ length: ROWS }, (_, i) => `player${i}`);
const totalRows = (sums: readonly { rows: number }[]) => sums.reduce((n, p) => n + p.rows, 0);

describe('per-partition checksums', () => {
  it('are equal for the same rows in 15 or 7 partitions, under other schema ids and another prop order', async () => {
    const a = side(1, SOURCE_PARTS, { tag: 2, edge: 3 });
    const b = side(2, 7, { tag: 40, edge: 17 });
    await a.store.write(rows(a, stringVids));
    await b.store.write(rows(b, stringVids, true));
    const sa = table(await sumsOf(a));
    expect(totalRows(sa)).toBe(2 * ROWS - 1);
    expect(table(await sumsOf(b))).toEqual(sa);
  });

  it('do the same for INT64 vids, negative ones included', async () => {
    const vids = Array.from({ length: ROWS }, (_, i) => BigInt(i * 7919 - 5_000_000) * 4_294_967_311n);
    const a = side(1, SOURCE_PARTS, { tag: 2, edge: 3 }, 'INT64');
    const b = side(2, 4, { tag: 9, edge: 8 }, 'INT64');
    await a.store.write(rows(a, vids));
    await b.store.write(rows(b, vids));
    const sa = table(await sumsOf(a));
    expect(totalRows(sa)).toBe(2 * ROWS - 1);
    expect(table(await sumsOf(b))).toEqual(sa);
  });

  it('change only the partition of one changed prop, one missing row or one extra row', async () => {
    const a = side(1, SOURCE_PARTS, { tag: 2, edge: 3 });
    const b = side(2, 7, { tag: 5, edge: 6 });
    await a.store.write(rows(a, stringVids));
    await b.store.write(rows(b, stringVids));
    const before = table(await sumsOf(a));
    const differing = async (): Promise<number[]> => {
      const now = table(await sumsOf(b));
      return now.flatMap((p, i) => (p.rows === before[i]!.rows && p.checksum === before[i]!.checksum ? [] : [i + 1]));
    };
    expect(await differing()).toEqual([]);

    await b.store.write([{ op: 'putTag', vid: 'player42', tagId: 5, ver: 0, props: { name: 'n42', age: 43n } }]);
    const partOf42 = a.store.partOf('player42');
    expect(await differing()).toEqual([partOf42]);
    await b.store.write([{ op: 'putTag', vid: 'player42', tagId: 5, ver: 0, props: { name: 'n42', age: 42n } }]);
    expect(await differing()).toEqual([]);

    await b.store.write([{ op: 'deleteEdge', src: 'player7', etype: 6, rank: 3n, dst: 'player8' }]);
    expect(await differing()).toEqual([a.store.partOf('player7')]);
    await b.store.write([{ op: 'putEdge', src: 'player7', etype: 6, rank: 3n, dst: 'player8', ver: 0, props: { degree: 8n } }]);
    expect(await differing()).toEqual([]);

    await b.store.write([{ op: 'putTag', vid: 'stranger', tagId: 5, ver: 0, props: { name: 'x', age: 1n } }]);
    expect(await differing()).toEqual([a.store.partOf('stranger')]);
  });

  it('tell a null prop from a missing one and a string "1" from an int 1', async () => {
    const a = side(1, SOURCE_PARTS, { tag: 2, edge: 3 });
    const b = side(2, SOURCE_PARTS, { tag: 2, edge: 3 });
    await a.store.write([{ op: 'putTag', vid: 'v', tagId: 2, ver: 0, props: { name: null, age: 1n } }]);
    await b.store.write([{ op: 'putTag', vid: 'v', tagId: 2, ver: 0, props: { age: 1n } }]);
    expect(table(await sumsOf(b))).not.toEqual(table(await sumsOf(a)));
    await b.store.write([{ op: 'putTag', vid: 'v', tagId: 2, ver: 0, props: { name: null, age: '1' } }]);
    expect(table(await sumsOf(b))).not.toEqual(table(await sumsOf(a)));
    await b.store.write([{ op: 'putTag', vid: 'v', tagId: 2, ver: 0, props: { name: null, age: 1n } }]);
    expect(table(await sumsOf(b))).toEqual(table(await sumsOf(a)));
  });

  it('skip rows of a schema the catalog does not know', async () => {
    const a = side(1, SOURCE_PARTS, { tag: 2, edge: 3 });
    await a.store.write([{ op: 'putTag', vid: 'v', tagId: 99, ver: 0, props: {} }]);
    expect(table(await sumsOf(a)).every((p) => p.rows === 0)).toBe(true);
  });
});
