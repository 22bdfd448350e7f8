// Pins which meta entries become SchemaChanges for a synced space: only schema ops of the space
// incarnation the assignment names (a dropped and recreated space of the same name is another
// source), full images after the op, drops with the id the schema had, and no change for a no-op.
import { describe, expect, it } from 'vitest';
import { apply } from '../../../../../src/catalog/apply.ts';
import { emptyCatalog } from '../../../../../src/catalog/empty.ts';
import type { Catalog, MetaEntry, MetaOp, PropDef } from '../../../../../src/catalog/types.ts';
import { encodeJson } from '../../../../../src/engine/meta/meta-codec.ts';
import { schemaChangesOf } from '../../../../../src/engine/sync/primary/schema-changes.ts';
import type { SchemaChangeMsg, SourceSpaceMsg } from '../../../../../src/engine/sync/wire.ts';

const props: PropDef[] = [{ name: 'name', type: { name: 'string' }, nullable: true }];
const space = (name: string): MetaOp => ({
  op: 'createSpace',
  space: { name, partitionNum: 1, replicaFactor: 1, vidType: { kind: 'INT64' }, charset: 'utf8', collate: 'utf8_bin' },
});

/** Replays ops from an empty catalog, answering the changes each one made for `source`. */
function replay(ops: MetaOp[], source: (cat: Catalog) => SourceSpaceMsg): SchemaChangeMsg[][] {
  let cat = emptyCatalog();
  const entries: { before: Catalog; after: Catalog; entry: MetaEntry }[] = [];
  for (const op of ops) {
    const entry: MetaEntry = { logId: cat.logId + 1, term: 1, ts: 1000 + cat.logId, op };
    const before = cat;
    cat = apply(cat, entry);
    entries.push({ before, after: cat, entry });
  }
  const src = source(cat);
  return entries.map((e) => schemaChangesOf(e.before, e.after, e.entry, src));
}

const sourceOf = (cat: Catalog, name: string): SourceSpaceMsg => ({
  cluster_id: 'c',
  space_name: name,
  space_id: cat.spaces[name]!.id,
  partition_num: 1,
  vid_type: 'INT64',
  vid_length: 8,
});

describe('schemaChangesOf', () => {
  it('answers full images for create, alter and drop, and nothing for other ops or spaces', () => {
    const out = replay(
      [
        space('s'),
        space('other'),
        { op: 'createSchema', space: 's', kind: 'TAG', name: 'player', props },
        { op: 'createSchema', space: 'other', kind: 'TAG', name: 'player', props },
        { op: 'alterSchema', space: 's', kind: 'TAG', name: 'player', props: [...props, { name: 'age', type: { name: 'int64' }, nullable: true }], comment: 'c' },
        { op: 'createSchema', space: 's', kind: 'TAG', name: 'player', props },
        { op: 'setReadOnly', space: 's', readOnly: true },
        { op: 'dropSchema', space: 's', kind: 'TAG', name: 'player' },
        { op: 'dropSchema', space: 's', kind: 'TAG', name: 'player' },
      ],
      (cat) => sourceOf(cat, 's'),
    );
    expect(out.map((c) => c.length)).toEqual([0, 0, 1, 0, 1, 0, 0, 1, 0]);
    expect(out[2]![0]).toMatchObject({ log_id: 3, ts: 1002, kind: 'TAG', name: 'player', version: 0, props_json: encodeJson(props), dropped: false });
    expect(out[4]![0]).toMatchObject({ version: 1, comment: 'c', source_id: out[2]![0]!.source_id });
    expect(out[7]![0]).toMatchObject({ dropped: true, version: 1, props_json: '', source_id: out[2]![0]!.source_id });
  });

  it('ignores an earlier incarnation of a space with the same name', () => {
    const out = replay(
      [
        space('s'),
        { op: 'createSchema', space: 's', kind: 'EDGE', name: 'follow', props },
        { op: 'dropSpace', name: 's' },
        space('s'),
        { op: 'createSchema', space: 's', kind: 'EDGE', name: 'follow', props },
      ],
      (cat) => sourceOf(cat, 's'),
    );
    expect(out.map((c) => c.length)).toEqual([0, 0, 0, 0, 1]);
    expect(out[4]![0]).toMatchObject({ kind: 'EDGE', name: 'follow', version: 0 });
  });

  it('ships a secondary-side syncSchema as a change too, so chains carry schemas on', () => {
    const out = replay(
      [space('s'), { op: 'syncSchema', space: 's', kind: 'TAG', name: 'p', sourceId: 9, version: 3, props }],
      (cat) => sourceOf(cat, 's'),
    );
    expect(out[1]).toEqual([expect.objectContaining({ name: 'p', version: 3, dropped: false })]);
  });
});
