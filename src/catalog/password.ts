/**
 * Password hashing for the catalog. Only hashes are logged in the meta WAL and shipped anywhere,
 * so a leaked WAL or checkpoint does not leak passwords. scrypt is memory-hard, which makes
 * guessing expensive; the salt is random per hash, so equal passwords hash differently.
 *
 * One scrypt costs ~100 ms of CPU. The graph, meta and storage services share one event loop, so
 * everything a client can trigger uses the async forms (`hashPasswordAsync`, `verifyPasswordAsync`),
 * which run on libuv's thread pool; callers bound how many run at once (src/server/password-work.ts).
 * The sync forms remain for the one-time bootstrap of root and for tests.
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

const SCHEME = 'scrypt';
const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** Longest stored hash part accepted when verifying; anything longer is not one of ours. */
const HASH_BYTES_MAX = 128;

/**
 * A new salted hash of `password`, formatted `scrypt$<salt hex>$<hash hex>`. Blocks the event loop:
 * only for startup and tests.
 *
 * @example
 * const stored = hashPassword('nebula'); // 'scrypt$9f1c...$4ab0...'
 */
export function hashPassword(password: string): string {
  const salt = randomBytes(SALT_BYTES);
  return format(salt, scryptSync(password, salt, HASH_BYTES));
}

/**
 * `hashPassword` on libuv's thread pool.
 *
 * @example
 * const stored = await hashPasswordAsync('nebula');
 */
export async function hashPasswordAsync(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  return format(salt, await scryptAsync(password, salt, HASH_BYTES));
}

/**
 * Whether `password` is the one `stored` was made from. A malformed `stored` matches nothing.
 * Blocks the event loop: only for tests.
 *
 * @example
 * verifyPassword('nebula', hashPassword('nebula')); // true
 */
export function verifyPassword(password: string, stored: string): boolean {
  const parsed = parse(stored);
  if (parsed === undefined) return false;
  return matches(scryptSync(password, parsed.salt, parsed.hash.length), parsed.hash);
}

/**
 * `verifyPassword` on libuv's thread pool.
 *
 * @example
 * await verifyPasswordAsync('nebula', stored); // true
 */
export async function verifyPasswordAsync(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (parsed === undefined) return false;
  return matches(await scryptAsync(password, parsed.salt, parsed.hash.length), parsed.hash);
}

function format(salt: Buffer, hash: Buffer): string {
  return `${SCHEME}$${salt.toString('hex')}$${hash.toString('hex')}`;
}

function parse(stored: string): { salt: Buffer; hash: Buffer } | undefined {
  const parts = stored.split('$');
  if (parts.length !== 3 || parts[0] !== SCHEME) return undefined;
  const [, saltHex, hashHex] = parts as [string, string, string];
  if (!isHex(saltHex) || !isHex(hashHex) || hashHex.length === 0 || hashHex.length > HASH_BYTES_MAX * 2) return undefined;
  return { salt: Buffer.from(saltHex, 'hex'), hash: Buffer.from(hashHex, 'hex') };
}

/** Constant time, so the comparison does not tell an attacker how many leading bytes matched. */
function matches(actual: Buffer, expected: Buffer): boolean {
  return timingSafeEqual(actual, expected);
}

function scryptAsync(password: string, salt: Buffer, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, length, (e, key) => (e ? reject(e) : resolve(key))));
}

function isHex(text: string): boolean {
  return text.length % 2 === 0 && /^[0-9a-f]*$/.test(text);
}
