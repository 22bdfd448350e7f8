// Shared builders for catalog tests: ops that make a small catalog, applied in logId order.
import { apply } from '../../../src/catalog/apply.ts';
import { emptyCatalog } from '../../../src/catalog/empty.ts';
import type { Catalog, MetaOp, PropDef } from '../../../src/catalog/types.ts';

export const TS = 1_700_000_000_000;

/** Apply `op` as the next entry of `cat`. */
export function step(cat: Catalog, op: MetaOp, ts = TS): Catalog {
  return apply(cat, { logId: cat.logId + 1, term: 1, ts, op });
}

export function run(ops: readonly MetaOp[], from: Catalog = emptyCatalog()): Catalog {
  return ops.reduce((cat, op) => step(cat, op), from);
}

export const nameProp: PropDef = { name: 'name', type: { name: 'string' }, nullable: true };
export const ageProp: PropDef = { name: 'age', type: { name: 'int64' }, nullable: false, defaultValue: 18n, defaultText: '18' };

export const createSpace = (name: string, partitionNum = 15): MetaOp => ({
  op: 'createSpace',
  space: { name, partitionNum, replicaFactor: 1, vidType: { kind: 'FIXED_STRING', length: 30 }, charset: 'utf8', collate: 'utf8_bin' },
});

/** A catalog with a user, a space s with tag player and edge follow, and every per-space record set. */
export function richCatalog(): Catalog {
  return run([
    { op: 'putUser', name: 'root', passwordHash: 'h-root' },
    { op: 'putUser', name: 'alice', passwordHash: 'h-alice' },
    createSpace('s'),
    createSpace('t', 10),
    { op: 'createSchema', space: 's', kind: 'TAG', name: 'player', props: [nameProp, ageProp], comment: 'people' },
    { op: 'createSchema', space: 's', kind: 'EDGE', name: 'follow', props: [] },
    { op: 'grantRole', space: 's', user: 'alice', role: 'DBA' },
    { op: 'grantRole', space: 't', user: 'alice', role: 'GUEST' },
    { op: 'signInDrainers', space: 's', drainers: [{ host: '10.0.0.4', port: 9889 }] },
    { op: 'addListenerSync', space: 's', meta: { host: '10.0.0.3', port: 9569 }, storage: [{ host: '10.0.0.3', port: 9789 }], targetSpace: 'r' },
    { op: 'addDrainers', space: 's', drainers: [{ host: '10.0.0.4', port: 9889 }] },
    { op: 'addJob', space: 's', command: 'STATS', time: TS },
    { op: 'finishJob', id: 1, status: 'FINISHED', time: TS + 5, stats: { tags: { player: 2 }, edges: { follow: 1 }, vertices: 2, edgeCount: 1 } },
    { op: 'addJob', space: 't', command: 'STATS', time: TS + 10 },
  ]);
}
