// Pins apply(): what every meta op does to the catalog, id allocation, schema versions, cleanup on DROP SPACE, and that old snapshots never change.
import { describe, expect, it } from 'vitest';
import { apply } from '../../../src/catalog/apply.ts';
import { emptyCatalog } from '../../../src/catalog/empty.ts';
import type { Catalog, MetaOp } from '../../../src/catalog/types.ts';
import { ageProp, createSpace, nameProp, richCatalog, run, step, TS } from './fixtures.ts';

describe('apply: hosts and spaces', () => {
  it('adds storage hosts once each, in order, and drops them', () => {
    let cat = step(emptyCatalog(), { op: 'addHosts', hosts: ['10.0.0.1:9779', '10.0.0.2:9779'] });
    cat = step(cat, { op: 'addHosts', hosts: ['10.0.0.2:9779', '10.0.0.3:9779'] });
    expect(cat.storageHosts).toEqual(['10.0.0.1:9779', '10.0.0.2:9779', '10.0.0.3:9779']);
    cat = step(cat, { op: 'dropHosts', hosts: ['10.0.0.2:9779', '10.0.0.9:9779'] });
    expect(cat.storageHosts).toEqual(['10.0.0.1:9779', '10.0.0.3:9779']);
  });

  it('creates spaces with increasing ids, empty schemas and writable', () => {
    const cat = run([createSpace('a'), createSpace('b', 3)]);
    expect(cat.spaces.a).toMatchObject({ id: 1, name: 'a', partitionNum: 15, tags: {}, edges: {}, nextSchemaId: 1, readOnly: false });
    expect(cat.spaces.b).toMatchObject({ id: 2, partitionNum: 3 });
    expect(cat.nextSpaceId).toBe(3);
  });

  it('ignores a second createSpace of the same name and never reuses a dropped id', () => {
    let cat = run([createSpace('a'), createSpace('a', 99)]);
    expect(cat.spaces.a.partitionNum).toBe(15);
    cat = run([{ op: 'dropSpace', name: 'a' }, createSpace('a')], cat);
    expect(cat.spaces.a.id).toBe(2);
  });

  it('dropSpace removes the space and everything keyed by its name, and leaves other spaces alone', () => {
    const before = richCatalog();
    const cat = step(before, { op: 'dropSpace', name: 's' });
    expect(cat.spaces.s).toBeUndefined();
    expect(cat.roles.s).toBeUndefined();
    expect(cat.drainerClients.s).toBeUndefined();
    expect(cat.listeners.s).toBeUndefined();
    expect(cat.drainers.s).toBeUndefined();
    expect(cat.stats.s).toBeUndefined();
    expect(cat.jobs.map((j) => j.space)).toEqual(['t']);
    expect(cat.spaces.t).toEqual(before.spaces.t);
    expect(cat.roles.t).toEqual({ alice: 'GUEST' });
    expect(cat.users.alice).toBeDefined();
  });

  it('ignores dropping an unknown space but still advances logId', () => {
    const before = richCatalog();
    const cat = step(before, { op: 'dropSpace', name: 'nope' });
    expect(cat.logId).toBe(before.logId + 1);
    expect({ ...cat, logId: 0 }).toEqual({ ...before, logId: 0 });
  });

  it('sets and clears read_only', () => {
    let cat = step(richCatalog(), { op: 'setReadOnly', space: 's', readOnly: true });
    expect(cat.spaces.s.readOnly).toBe(true);
    cat = step(cat, { op: 'setReadOnly', space: 's', readOnly: false });
    expect(cat.spaces.s.readOnly).toBe(false);
  });
});

describe('apply: schemas', () => {
  it('hands out one id counter shared by tags and edges, with version 0', () => {
    const cat = run([
      createSpace('s'),
      { op: 'createSchema', space: 's', kind: 'TAG', name: 'a', props: [nameProp] },
      { op: 'createSchema', space: 's', kind: 'EDGE', name: 'e', props: [] },
      { op: 'createSchema', space: 's', kind: 'TAG', name: 'b', props: [], comment: 'c' },
    ]);
    const s = cat.spaces.s;
    expect([s.tags.a.id, s.edges.e.id, s.tags.b.id]).toEqual([1, 2, 3]);
    expect(s.nextSchemaId).toBe(4);
    expect(s.tags.a).toEqual({ id: 1, kind: 'TAG', name: 'a', versions: [{ version: 0, props: [nameProp] }] });
    expect(s.tags.b.versions[0]).toEqual({ version: 0, props: [], comment: 'c' });
  });

  it('alterSchema appends version+1 with the new props and keeps older versions and the comment', () => {
    let cat = richCatalog();
    cat = step(cat, { op: 'alterSchema', space: 's', kind: 'TAG', name: 'player', props: [nameProp] });
    cat = step(cat, { op: 'alterSchema', space: 's', kind: 'TAG', name: 'player', props: [], comment: 'new' });
    const versions = cat.spaces.s.tags.player.versions;
    expect(versions.map((v) => v.version)).toEqual([0, 1, 2]);
    expect(versions[0].props).toEqual([nameProp, ageProp]);
    expect(versions[1]).toEqual({ version: 1, props: [nameProp], comment: 'people' });
    expect(versions[2]).toEqual({ version: 2, props: [], comment: 'new' });
  });

  it('dropSchema removes one kind only; ops on dropped schemas or spaces are ignored', () => {
    let cat = step(richCatalog(), { op: 'dropSchema', space: 's', kind: 'EDGE', name: 'follow' });
    expect(cat.spaces.s.edges).toEqual({});
    expect(cat.spaces.s.tags.player).toBeDefined();
    const before = cat;
    cat = run(
      [
        { op: 'alterSchema', space: 's', kind: 'EDGE', name: 'follow', props: [] },
        { op: 'createSchema', space: 'gone', kind: 'TAG', name: 'x', props: [] },
        { op: 'createSchema', space: 's', kind: 'TAG', name: 'player', props: [] },
      ],
      cat,
    );
    expect(cat.spaces).toEqual(before.spaces);
  });
});

describe('apply: users and roles', () => {
  it('creates users, changes passwords, grants and revokes roles', () => {
    let cat = richCatalog();
    expect(cat.users.alice).toEqual({ name: 'alice', passwordHash: 'h-alice' });
    cat = step(cat, { op: 'putUser', name: 'alice', passwordHash: 'h2' });
    expect(cat.users.alice.passwordHash).toBe('h2');
    cat = step(cat, { op: 'grantRole', space: 's', user: 'alice', role: 'ADMIN' });
    expect(cat.roles.s).toEqual({ alice: 'ADMIN' });
    cat = step(cat, { op: 'revokeRole', space: 's', user: 'alice' });
    expect(cat.roles.s).toBeUndefined();
  });

  it('ignores grants to unknown users or spaces', () => {
    const before = richCatalog();
    const cat = run(
      [
        { op: 'grantRole', space: 's', user: 'bob', role: 'USER' },
        { op: 'grantRole', space: 'nope', user: 'alice', role: 'USER' },
      ],
      before,
    );
    expect(cat.roles).toEqual(before.roles);
  });

  it('dropUser removes the user and its roles in every space', () => {
    const cat = step(richCatalog(), { op: 'dropUser', name: 'alice' });
    expect(cat.users.alice).toBeUndefined();
    expect(cat.roles).toEqual({});
    expect(cat.users.root).toBeDefined();
  });
});

describe('apply: synchronization records', () => {
  it('signs drainers in and out per space', () => {
    let cat = richCatalog();
    expect(cat.drainerClients.s).toEqual([{ host: '10.0.0.4', port: 9889 }]);
    cat = step(cat, { op: 'signOutDrainers', space: 's' });
    expect(cat.drainerClients.s).toBeUndefined();
  });

  it('adds, stops, restarts and removes a listener sync', () => {
    let cat = richCatalog();
    expect(cat.listeners.s).toEqual({
      meta: { host: '10.0.0.3', port: 9569 },
      storage: [{ host: '10.0.0.3', port: 9789 }],
      targetSpace: 'r',
      stopped: false,
    });
    cat = step(cat, { op: 'setSyncStopped', space: 's', stopped: true });
    expect(cat.listeners.s.stopped).toBe(true);
    cat = step(cat, { op: 'setSyncStopped', space: 's', stopped: false });
    expect(cat.listeners.s.stopped).toBe(false);
    cat = step(cat, { op: 'removeListenerSync', space: 's' });
    expect(cat.listeners.s).toBeUndefined();
    cat = step(cat, { op: 'setSyncStopped', space: 's', stopped: true });
    expect(cat.listeners.s).toBeUndefined();
  });

  it('adds and removes drainers of a target space', () => {
    let cat = richCatalog();
    expect(cat.drainers.s).toEqual([{ host: '10.0.0.4', port: 9889 }]);
    cat = step(cat, { op: 'removeDrainers', space: 's' });
    expect(cat.drainers.s).toBeUndefined();
  });
});

describe('apply: jobs', () => {
  it('addJob starts a RUNNING job with the next id; finishJob sets status, stop time and stats', () => {
    const cat = richCatalog();
    expect(cat.jobs).toEqual([
      { id: 1, space: 's', command: 'STATS', status: 'FINISHED', startTime: TS, stopTime: TS + 5 },
      { id: 2, space: 't', command: 'STATS', status: 'RUNNING', startTime: TS + 10 },
    ]);
    expect(cat.nextJobId).toBe(3);
    expect(cat.stats.s).toEqual({ tags: { player: 2 }, edges: { follow: 1 }, vertices: 2, edgeCount: 1 });
    const failed = step(cat, { op: 'finishJob', id: 2, status: 'FAILED', time: TS + 20 });
    expect(failed.jobs[1]).toMatchObject({ status: 'FAILED', stopTime: TS + 20 });
    expect(failed.stats.t).toBeUndefined();
  });

  it('ignores finishing an unknown job', () => {
    const before = richCatalog();
    const cat = step(before, { op: 'finishJob', id: 42, status: 'FINISHED', time: 1 });
    expect(cat.jobs).toEqual(before.jobs);
  });
});

describe('apply: immutability and determinism', () => {
  it('returns frozen snapshots and never changes the one it was given', () => {
    const before = richCatalog();
    const copy = structuredClone(before) as Catalog;
    const ops: MetaOp[] = [
      { op: 'dropSpace', name: 's' },
      { op: 'addHosts', hosts: ['h:1'] },
      { op: 'alterSchema', space: 't', kind: 'TAG', name: 'x', props: [] },
      { op: 'dropUser', name: 'alice' },
    ];
    const after = run(ops, before);
    expect(before).toEqual(copy);
    expect(Object.isFrozen(after)).toBe(true);
    expect(Object.isFrozen(after.spaces.t)).toBe(true);
    expect(Object.isFrozen(emptyCatalog())).toBe(true);
    expect(() => {
      (after.storageHosts as string[]).push('x');
    }).toThrow();
  });

  it('sets logId to the entry logId and gives the same catalog for the same entries', () => {
    const cat = apply(emptyCatalog(), { logId: 7, term: 1, ts: 0, op: { op: 'addHosts', hosts: [] } });
    expect(cat.logId).toBe(7);
    expect(richCatalog()).toEqual(richCatalog());
  });
});
