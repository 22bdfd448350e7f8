// Pins partition 0's backlog: the index, fed incrementally, always agrees with a plain filter over the whole meta WAL (only this space's schema ops after the acknowledged log id, history reset by DROP SPACE).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MetaEntry, MetaOp } from '../../../../../src/catalog/types.ts';
import { SchemaEntryIndex, schemaSpaceOf } from '../../../../../src/engine/sync/status/schema-entry-index.ts';

const SPACES = ['a', 'b'] as const;

const opArb: fc.Arbitrary<MetaOp> = fc.oneof(
  fc.constantFrom(...SPACES).map((space): MetaOp => ({ op: 'createSchema', space, kind: 'TAG', name: 't', props: [] })),
  fc.constantFrom(...SPACES).map((space): MetaOp => ({ op: 'alterSchema', space, kind: 'EDGE', name: 'e', props: [] })),
  fc.constantFrom(...SPACES).map((space): MetaOp => ({ op: 'dropSchema', space, kind: 'TAG', name: 't' })),
  fc.constantFrom(...SPACES).map((space): MetaOp => ({ op: 'syncSchema', space, kind: 'TAG', name: 't', sourceId: 1, version: 0, props: [] })),
  fc.constantFrom(...SPACES).map((space): MetaOp => ({ op: 'syncDropSchema', space, kind: 'TAG', name: 't', sourceId: 1 })),
  fc.constantFrom(...SPACES).map((space): MetaOp => ({ op: 'setReadOnly', space, readOnly: true })),
  fc.constantFrom(...SPACES).map((name): MetaOp => ({ op: 'dropSpace', name })),
  fc.constant<MetaOp>({ op: 'putUser', name: 'u', passwordHash: 'h' }),
);

/** The backlog computed the slow, obvious way. */
function model(entries: readonly MetaEntry[], space: string, acked: number): { count: number; oldestTs: number; newestTs: number } {
  let since = 0;
  entries.forEach((e, i) => {
    if (e.op.op === 'dropSpace' && e.op.name === space) since = i + 1;
  });
  const hits = entries.slice(since).filter((e) => schemaSpaceOf(e.op) === space && e.logId > acked);
  return { count: hits.length, oldestTs: hits[0]?.ts ?? 0, newestTs: hits[hits.length - 1]?.ts ?? 0 };
}

describe('SchemaEntryIndex', () => {
  it('agrees with a full filter of the meta WAL at every point of a growing log', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(opArb, fc.boolean(), fc.nat(40)), { maxLength: 60 }), (steps) => {
        const wal: MetaEntry[] = [];
        const index = new SchemaEntryIndex({
          lastLogId: () => wal.length,
          readWal: (from, max) => wal.slice(from - 1, from - 1 + max),
        });
        for (const [op, ask, ackBack] of steps) {
          wal.push({ logId: wal.length + 1, term: 1, ts: 1000 + wal.length * 7, op });
          if (!ask) continue;
          const acked = Math.max(0, wal.length - ackBack);
          for (const space of SPACES) expect(index.backlog(space, acked)).toEqual(model(wal, space, acked));
        }
      }),
    );
  });
});
