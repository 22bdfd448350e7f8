// Pins users and roles: CREATE/DROP/ALTER USER, CHANGE PASSWORD, GRANT/REVOKE and their SHOWs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../src/errors.ts';
import { createHarness, type Harness } from '../../../helpers/exec-harness.ts';
import { ok, refused, table, withSpace } from './admin-harness.ts';

let h: Harness;
beforeEach(async () => {
  h = createHarness({ enableAuthorize: true });
  await withSpace(h);
});
afterEach(() => h.close());

const storedHash = (user: string) => h.ctx(h.session()).meta.catalog().users[user]?.passwordHash;

describe('users', () => {
  it('creates users and lists them with root, sorted', async () => {
    await ok(h, 'CREATE USER zed WITH PASSWORD "p"');
    await ok(h, 'CREATE USER amy WITH PASSWORD "p"');
    expect(await table(h, 'SHOW USERS')).toEqual({ columns: ['Account'], rows: [['amy'], ['root'], ['zed']] });
  });

  it('stores a hash, never the password', async () => {
    await ok(h, 'CREATE USER u WITH PASSWORD "secret"');
    const hash = storedHash('u');
    expect(hash).toBeDefined();
    expect(hash).not.toContain('secret');
    expect(await h.ctx(h.session()).verifyPassword('secret', hash ?? '')).toEqual({ ok: true, value: true });
  });

  it('answers Existed! for a second user of that name unless IF NOT EXISTS', async () => {
    await ok(h, 'CREATE USER u WITH PASSWORD "p"');
    expect((await refused(h, 'CREATE USER u WITH PASSWORD "p"')).message).toBe('Existed!');
    expect((await refused(h, 'CREATE USER root WITH PASSWORD "p"')).message).toBe('Existed!');
    await ok(h, 'CREATE USER IF NOT EXISTS u WITH PASSWORD "p"');
  });

  it('refuses a name longer than 16 characters', async () => {
    const err = await refused(h, 'CREATE USER u123456789ABCDEFG WITH PASSWORD "p"');
    expect(err).toEqual({
      code: ErrorCode.E_SEMANTIC_ERROR,
      message: 'SemanticError: Username exceed maximum length 16 characters.',
    });
  });

  it('lets only root create, alter and drop users', async () => {
    await ok(h, 'CREATE USER u WITH PASSWORD "p"');
    const u = h.session('u');
    expect((await refused(h, 'CREATE USER v WITH PASSWORD "p"', u)).code).toBe(ErrorCode.E_BAD_PERMISSION);
    expect((await refused(h, 'ALTER USER u WITH PASSWORD "q"', u)).code).toBe(ErrorCode.E_BAD_PERMISSION);
    expect((await refused(h, 'DROP USER u', u)).code).toBe(ErrorCode.E_BAD_PERMISSION);
  });

  it('never drops root', async () => {
    expect(await refused(h, 'DROP USER root')).toEqual({
      code: ErrorCode.E_SEMANTIC_ERROR,
      message: "SemanticError: Can't drop root user.",
    });
  });

  it('drops a user, and answers UserNotFound for an unknown one unless IF EXISTS', async () => {
    await ok(h, 'CREATE USER u WITH PASSWORD "p"');
    await ok(h, 'DROP USER u');
    expect(await table(h, 'SHOW USERS')).toEqual({ columns: ['Account'], rows: [['root']] });
    expect((await refused(h, 'DROP USER u')).message).toBe('UserNotFound: User not existed!');
    await ok(h, 'DROP USER IF EXISTS u');
  });

  it('changes a password after checking the old one', async () => {
    await ok(h, 'CREATE USER u WITH PASSWORD "old"');
    const u = h.session('u');
    const wrong = await refused(h, 'CHANGE PASSWORD u FROM "bad" TO "new"', u);
    expect(wrong.code).toBe(ErrorCode.E_EXECUTION_ERROR);
    expect(wrong.message).toMatch(/Invalid password/);
    await ok(h, 'CHANGE PASSWORD u FROM "old" TO "new"', u);
    expect(await h.ctx(u).verifyPassword('new', storedHash('u') ?? '')).toEqual({ ok: true, value: true });
  });

  it("refuses changing another user's password unless GOD", async () => {
    await ok(h, 'CREATE USER u WITH PASSWORD "p"');
    await ok(h, 'CREATE USER v WITH PASSWORD "p"');
    const err = await refused(h, 'CHANGE PASSWORD v FROM "p" TO "q"', h.session('u'));
    expect(err.code).toBe(ErrorCode.E_BAD_PERMISSION);
  });

  it('alters a password', async () => {
    await ok(h, 'CREATE USER u WITH PASSWORD "p"');
    await ok(h, 'ALTER USER u WITH PASSWORD "q"');
    expect(await h.ctx(h.session()).verifyPassword('q', storedHash('u') ?? '')).toEqual({ ok: true, value: true });
    expect((await refused(h, 'ALTER USER nope WITH PASSWORD "q"')).message).toBe('UserNotFound: User not existed!');
  });
});

describe('roles', () => {
  beforeEach(async () => {
    await ok(h, 'CREATE USER u WITH PASSWORD "p"');
    await ok(h, 'CREATE USER v WITH PASSWORD "p"');
  });

  it('grants and revokes roles and lists them', async () => {
    await ok(h, 'GRANT ROLE DBA ON s TO u');
    await ok(h, 'GRANT ROLE GUEST ON s TO v');
    expect(await table(h, 'SHOW ROLES IN s')).toEqual({
      columns: ['Account', 'Role Type'],
      rows: [
        ['u', 'DBA'],
        ['v', 'GUEST'],
      ],
    });
    await ok(h, 'REVOKE ROLE GUEST ON s FROM v');
    expect((await table(h, 'SHOW ROLES IN s')).rows).toEqual([['u', 'DBA']]);
  });

  it('never grants GOD', async () => {
    const err = await refused(h, 'GRANT ROLE GOD ON s TO u');
    expect(err.code).toBe(ErrorCode.E_BAD_PERMISSION);
  });

  it('refuses an unknown space or user', async () => {
    expect((await refused(h, 'GRANT ROLE DBA ON nope TO u')).message).toBe('SpaceNotFound: Space not existed!');
    expect((await refused(h, 'GRANT ROLE DBA ON s TO nope')).message).toBe('UserNotFound: User not existed!');
  });

  it("lets a space's ADMIN grant lower roles but not ADMIN", async () => {
    await ok(h, 'GRANT ROLE ADMIN ON s TO u');
    const admin = h.session('u');
    await ok(h, 'GRANT ROLE USER ON s TO v', admin);
    expect((await refused(h, 'GRANT ROLE ADMIN ON s TO v', admin)).code).toBe(ErrorCode.E_BAD_PERMISSION);
  });

  it('refuses GRANT from a user below ADMIN', async () => {
    await ok(h, 'GRANT ROLE DBA ON s TO u');
    const err = await refused(h, 'GRANT ROLE GUEST ON s TO v', h.session('u'));
    expect(err.code).toBe(ErrorCode.E_BAD_PERMISSION);
  });

  it('refuses REVOKE of a role the user does not hold', async () => {
    expect((await refused(h, 'REVOKE ROLE DBA ON s FROM u')).code).toBe(ErrorCode.E_EXECUTION_ERROR);
    await ok(h, 'GRANT ROLE GUEST ON s TO u');
    expect((await refused(h, 'REVOKE ROLE DBA ON s FROM u')).code).toBe(ErrorCode.E_EXECUTION_ERROR);
  });
});
