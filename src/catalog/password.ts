/**
 * Password hashing for the catalog. Only hashes are logged in the meta WAL and shipped anywhere,
 * so a leaked WAL or checkpoint does not leak passwords. scrypt is memory-hard, which makes
 * guessing expensive; the salt is random per hash, so equal passwords hash differently.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

const SCHEME = 'scrypt';
const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** Longest stored hash part accepted when verifying; anything longer is not one of ours. */
const HASH_BYTES_MAX = 128;

/**
 * A new salted hash of `password`, formatted `scrypt$<salt hex>$<hash hex>`.
 *
 * @example
 * const stored = hashPassword('nebula'); // 'scrypt$9f1c...$4ab0...'
 */
export function hashPassword(password: string): string {
  const salt = randomBytes(SALT_BYTES);
  const hash = scryptSync(password, salt, HASH_BYTES);
  return `${SCHEME}$${salt.toString('hex')}$${hash.toString('hex')}`;
}

/**
 * Whether `password` is the one `stored` was made from. A malformed `stored` matches nothing.
 *
 * @example
 * verifyPassword('nebula', hashPassword('nebula')); // true
 */
export function verifyPassword(password: string, stored: string): boolean {
  const parts = stored.split('$');
  if (parts.length !== 3 || parts[0] !== SCHEME) return false;
  const [, saltHex, hashHex] = parts;
  if (!isHex(saltHex) || !isHex(hashHex) || hashHex.length === 0 || hashHex.length > HASH_BYTES_MAX * 2) return false;
  const expected = Buffer.from(hashHex, 'hex');
  const actual = scryptSync(password, Buffer.from(saltHex, 'hex'), expected.length);
  // Constant time, so the comparison does not tell an attacker how many leading bytes matched.
  return timingSafeEqual(actual, expected);
}

function isHex(text: string): boolean {
  return text.length % 2 === 0 && /^[0-9a-f]*$/.test(text);
}
