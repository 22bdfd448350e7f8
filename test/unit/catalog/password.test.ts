// Pins password hashing: the stored form is salted scrypt, never the password, and only the right password verifies.
import { describe, expect, it } from 'vitest';
import { hashPassword, hashPasswordAsync, verifyPassword, verifyPasswordAsync } from '../../../src/catalog/password.ts';

describe('password hashing', () => {
  it('stores scrypt$salt$hash with a random salt and never the password', () => {
    const a = hashPassword('nebula');
    const b = hashPassword('nebula');
    expect(a).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(a).not.toContain('nebula');
    expect(a).not.toBe(b);
  });

  it('verifies the right password and refuses others', () => {
    const stored = hashPassword('s3cret');
    expect(verifyPassword('s3cret', stored)).toBe(true);
    expect(verifyPassword('s3cret ', stored)).toBe(false);
    expect(verifyPassword('', stored)).toBe(false);
  });

  it('refuses malformed stored hashes instead of throwing', () => {
    for (const bad of ['', 'nebula', 'scrypt$zz$00', 'scrypt$00$', 'bcrypt$00$00', 'scrypt$0$00', 'scrypt$00$00$00']) {
      expect(verifyPassword('nebula', bad)).toBe(false);
    }
  });

  it('hashes and verifies off the event loop with the same stored form', async () => {
    const stored = await hashPasswordAsync('s3cret');
    expect(stored).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(await verifyPasswordAsync('s3cret', stored)).toBe(true);
    expect(await verifyPasswordAsync('s3cret', hashPassword('s3cret'))).toBe(true);
    expect(verifyPassword('s3cret', stored)).toBe(true);
    expect(await verifyPasswordAsync('wrong', stored)).toBe(false);
    expect(await verifyPasswordAsync('nebula', 'scrypt$zz$00')).toBe(false);
  });
});
