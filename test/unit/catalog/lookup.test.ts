// Pins the catalog lookups executors rely on: spaces, schemas by name and id, versions, roles and jobs.
import { describe, expect, it } from 'vitest';
import {
  currentVersion,
  findJob,
  findProp,
  findSchema,
  findSpace,
  findSpaceById,
  hostPortText,
  jobsOf,
  parseHostPort,
  roleOf,
  schemaById,
  schemaNameTaken,
  schemasOf,
  schemaVersion,
  spaceNames,
  userNames,
  usersWithRoles,
} from '../../../src/catalog/lookup.ts';
import { ageProp, nameProp, richCatalog, run } from './fixtures.ts';

describe('catalog lookups', () => {
  const cat = run(
    [
      { op: 'alterSchema', space: 's', kind: 'TAG', name: 'player', props: [nameProp] },
      { op: 'createSchema', space: 's', kind: 'TAG', name: 'coach', props: [] },
      { op: 'grantRole', space: 's', user: 'root', role: 'GOD' },
    ],
    richCatalog(),
  );
  const s = cat.spaces.s;

  it('finds spaces by name and id, and lists names sorted', () => {
    expect(findSpace(cat, 's')?.id).toBe(1);
    expect(findSpace(cat, 'nope')).toBeUndefined();
    expect(findSpace(cat, 'toString')).toBeUndefined();
    expect(findSpaceById(cat, 2)?.name).toBe('t');
    expect(spaceNames(cat)).toEqual(['s', 't']);
  });

  it('finds schemas by kind and name, by id across kinds, and by version', () => {
    expect(findSchema(s, 'TAG', 'player')?.id).toBe(1);
    expect(findSchema(s, 'EDGE', 'player')).toBeUndefined();
    expect(schemaById(s, 2)?.name).toBe('follow');
    expect(schemaById(s, 3)?.name).toBe('coach');
    expect(schemaById(s, 99)).toBeUndefined();
    expect(schemaVersion(s, 1, 0)?.props).toEqual([nameProp, ageProp]);
    expect(schemaVersion(s, 1, 1)?.props).toEqual([nameProp]);
    expect(schemaVersion(s, 1, 2)).toBeUndefined();
    expect(currentVersion(s.tags.player).version).toBe(1);
    expect(schemaNameTaken(s, 'follow')).toBe(true);
    expect(schemaNameTaken(s, 'team')).toBe(false);
    expect(schemasOf(s, 'TAG').map((x) => x.name)).toEqual(['coach', 'player']);
    expect(findProp(schemaVersion(s, 1, 0)!, 'age')).toEqual(ageProp);
    expect(findProp(currentVersion(s.tags.player), 'age')).toBeUndefined();
  });

  it('answers roles and users', () => {
    expect(usersWithRoles(cat, 's')).toEqual([
      { user: 'alice', role: 'DBA' },
      { user: 'root', role: 'GOD' },
    ]);
    expect(usersWithRoles(cat, 'nope')).toEqual([]);
    expect(roleOf(cat, 't', 'alice')).toBe('GUEST');
    expect(roleOf(cat, 't', 'root')).toBeUndefined();
    expect(userNames(cat)).toEqual(['alice', 'root']);
  });

  it('answers jobs newest first per space', () => {
    expect(jobsOf(cat, 's').map((j) => j.id)).toEqual([1]);
    expect(findJob(cat, 2)?.space).toBe('t');
    expect(findJob(cat, 9)).toBeUndefined();
  });

  it('splits and joins host:port text', () => {
    expect(parseHostPort('192.168.10.101:9779')).toEqual({ host: '192.168.10.101', port: 9779 });
    expect(hostPortText('h', 1)).toBe('h:1');
  });
});
