// Pins CREATE/ALTER/DROP TAG|EDGE and their SHOW/DESCRIBE tables, with NebulaGraph's refusals.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../src/errors.ts';
import type { Session } from '../../../../src/executor/types.ts';
import { EMPTY } from '../../../../src/value/types.ts';
import { createHarness, type Harness } from '../../../helpers/exec-harness.ts';
import { ok, refused, table, withSpace } from './admin-harness.ts';

let h: Harness;
let s: Session;
beforeEach(async () => {
  h = createHarness();
  s = await withSpace(h);
});
afterEach(() => h.close());

const DESC_COLUMNS = ['Field', 'Type', 'Null', 'Default', 'Comment'];

describe('CREATE TAG / EDGE', () => {
  it('needs a current space', async () => {
    const err = await refused(h, 'CREATE TAG player(name string)', h.session());
    expect(err).toEqual({ code: ErrorCode.E_SEMANTIC_ERROR, message: 'SemanticError: Space was not chosen.' });
  });

  it('creates the seed schema and lists it', async () => {
    await ok(h, 'CREATE TAG player(name string, age int)', s);
    await ok(h, 'CREATE EDGE follow(degree int)', s);
    await ok(h, 'CREATE TAG team(name string)', s);
    expect(await table(h, 'SHOW TAGS', s)).toEqual({ columns: ['Name'], rows: [['player'], ['team']] });
    expect(await table(h, 'SHOW EDGES', s)).toEqual({ columns: ['Name'], rows: [['follow']] });
    expect(await table(h, 'DESCRIBE TAG player', s)).toEqual({
      columns: DESC_COLUMNS,
      rows: [
        ['name', 'string', 'YES', EMPTY, EMPTY],
        ['age', 'int64', 'YES', EMPTY, EMPTY],
      ],
    });
  });

  it('prints SHOW CREATE TAG and EDGE in NebulaGraph layout', async () => {
    await ok(h, 'CREATE TAG player(name string, age int)', s);
    await ok(h, 'CREATE EDGE e()', s);
    expect(await table(h, 'SHOW CREATE TAG player', s)).toEqual({
      columns: ['Tag', 'Create Tag'],
      rows: [
        ['player', 'CREATE TAG `player` (\n `name` string NULL,\n `age` int64 NULL\n) ttl_duration = 0, ttl_col = ""'],
      ],
    });
    expect(await table(h, 'SHOW CREATE EDGE e', s)).toEqual({
      columns: ['Edge', 'Create Edge'],
      rows: [['e', 'CREATE EDGE `e` (\n) ttl_duration = 0, ttl_col = ""']],
    });
  });

  it('evaluates and prints defaults, NOT NULL and comments', async () => {
    await ok(
      h,
      'CREATE TAG t(a string NOT NULL DEFAULT "x", b int DEFAULT 20 COMMENT "years", ' +
        'c fixed_string(30), d double DEFAULT 1.5)',
      s,
    );
    expect(await table(h, 'DESCRIBE TAG t', s)).toEqual({
      columns: DESC_COLUMNS,
      rows: [
        ['a', 'string', 'NO', 'x', EMPTY],
        ['b', 'int64', 'YES', 20n, 'years'],
        ['c', 'fixed_string(30)', 'YES', EMPTY, EMPTY],
        ['d', 'double', 'YES', 1.5, EMPTY],
      ],
    });
    const create = await table(h, 'SHOW CREATE TAG t', s);
    expect(create.rows[0][1]).toBe(
      'CREATE TAG `t` (\n `a` string NOT NULL DEFAULT "x",\n `b` int64 NULL DEFAULT 20 COMMENT "years",\n' +
        ' `c` fixed_string(30) NULL,\n `d` double NULL DEFAULT 1.5\n) ttl_duration = 0, ttl_col = ""',
    );
  });

  it('refuses a default of the wrong type', async () => {
    const err = await refused(h, 'CREATE TAG t(name string DEFAULT 1)', s);
    expect(err.code).toBe(ErrorCode.E_SEMANTIC_ERROR);
    expect(await table(h, 'SHOW TAGS', s)).toEqual({ columns: ['Name'], rows: [] });
  });

  it('refuses duplicate property names', async () => {
    const err = await refused(h, 'CREATE TAG t(a int, a string)', s);
    expect(err).toEqual({ code: ErrorCode.E_SEMANTIC_ERROR, message: "SemanticError: Duplicate column name `a'" });
  });

  it('answers Existed! for a taken name unless IF NOT EXISTS', async () => {
    await ok(h, 'CREATE TAG player(name string)', s);
    expect((await refused(h, 'CREATE TAG player(name string)', s)).message).toBe('Existed!');
    await ok(h, 'CREATE TAG IF NOT EXISTS player(name string)', s);
    // A tag and an edge type may not share a name.
    expect((await refused(h, 'CREATE EDGE player(degree int)', s)).message).toBe('Existed!');
  });

  it('needs DBA or better in the space when authorizing', async () => {
    const auth = createHarness({ enableAuthorize: true });
    try {
      await withSpace(auth);
      await ok(auth, 'CREATE USER u WITH PASSWORD "p"');
      await ok(auth, 'GRANT ROLE USER ON s TO u');
      const u = auth.session('u', 's');
      expect((await refused(auth, 'CREATE TAG t(a int)', u)).code).toBe(ErrorCode.E_BAD_PERMISSION);
      await ok(auth, 'REVOKE ROLE USER ON s FROM u');
      await ok(auth, 'GRANT ROLE DBA ON s TO u');
      await ok(auth, 'CREATE TAG t(a int)', u);
    } finally {
      auth.close();
    }
  });

  it('refuses schema changes on a read_only space', async () => {
    await ok(h, 'CREATE TAG player(name string)', s);
    await ok(h, 'SET VARIABLES read_only=true', s);
    const err = await refused(h, 'CREATE TAG team(name string)', s);
    expect(err.code).toBe(ErrorCode.E_EXECUTION_ERROR);
    expect(err.message).toMatch(/^ReadOnly: /);
    expect((await refused(h, 'ALTER TAG player ADD (age int)', s)).message).toMatch(/^ReadOnly: /);
    expect((await refused(h, 'DROP TAG player', s)).message).toMatch(/^ReadOnly: /);
    expect(await table(h, 'SHOW TAGS', s)).toEqual({ columns: ['Name'], rows: [['player']] });
  });
});

describe('ALTER / DROP TAG and EDGE', () => {
  beforeEach(async () => {
    await ok(h, 'CREATE TAG player(name string, age int)', s);
  });

  it('adds, changes and drops properties as a new version', async () => {
    await ok(h, 'ALTER TAG player ADD (email string), CHANGE (age int32), DROP (name)', s);
    expect(await table(h, 'DESCRIBE TAG player', s)).toEqual({
      columns: DESC_COLUMNS,
      rows: [
        ['age', 'int32', 'YES', EMPTY, EMPTY],
        ['email', 'string', 'YES', EMPTY, EMPTY],
      ],
    });
    const space = h.ctx(s).meta.catalog().spaces.s;
    expect(space.tags.player.versions.map((v) => v.version)).toEqual([0, 1]);
  });

  it('answers Existed! when adding a property the schema has', async () => {
    expect((await refused(h, 'ALTER TAG player ADD (age int)', s)).message).toBe('Existed!');
  });

  it('refuses dropping or changing a property the schema lacks', async () => {
    expect((await refused(h, 'ALTER TAG player DROP (nope)', s)).code).toBe(ErrorCode.E_EXECUTION_ERROR);
    expect((await refused(h, 'ALTER TAG player CHANGE (nope int)', s)).code).toBe(ErrorCode.E_EXECUTION_ERROR);
  });

  it('refuses a NOT NULL property without a default', async () => {
    expect((await refused(h, 'ALTER TAG player ADD (x int NOT NULL)', s)).code).toBe(ErrorCode.E_SEMANTIC_ERROR);
  });

  it('answers TagNotFound / EdgeNotFound for unknown schemas', async () => {
    expect(await refused(h, 'ALTER TAG nope ADD (a int)', s)).toEqual({
      code: ErrorCode.E_EXECUTION_ERROR,
      message: 'TagNotFound: TagName `nope`',
    });
    expect((await refused(h, 'DESCRIBE EDGE nope', s)).message).toBe('EdgeNotFound: EdgeName `nope`');
    expect((await refused(h, 'DROP EDGE nope', s)).message).toBe('EdgeNotFound: EdgeName `nope`');
    await ok(h, 'DROP EDGE IF EXISTS nope', s);
  });

  it('drops a tag', async () => {
    await ok(h, 'DROP TAG player', s);
    expect(await table(h, 'SHOW TAGS', s)).toEqual({ columns: ['Name'], rows: [] });
  });
});
