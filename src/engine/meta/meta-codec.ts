/**
 * JSON text for meta WAL entries and catalog checkpoints.
 *
 * Plain JSON loses what the catalog relies on: bigint (int64 defaults), Maps (props inside
 * Values), undefined as distinct from a missing key, and non-finite or negative-zero floats. The
 * codec keeps them all with single-key tag objects (`{"$b": "12"}`, `{"$m": [...]}`, `{"$u": 1}`,
 * `{"$n": "NaN"}`). A plain object's own keys that start with `$` are escaped with one more `$`,
 * so no plain object can be mistaken for a tag. Decoded values are deeply frozen, like the
 * Values and catalogs they stand for.
 */
import { deepFreeze } from '../../catalog/freeze.ts';
import type { Catalog, MetaEntry } from '../../catalog/types.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const BIGINT = '$b';
const MAP = '$m';
const UNDEFINED = '$u';
const NUMBER = '$n';

/** Any value made of plain objects, arrays, Maps and scalars, as a JSON-safe tree. */
export function toJsonTree(value: unknown): Json {
  switch (typeof value) {
    case 'undefined':
      return { [UNDEFINED]: 1 };
    case 'boolean':
    case 'string':
      return value;
    case 'bigint':
      return { [BIGINT]: value.toString() };
    case 'number':
      if (Number.isFinite(value) && !Object.is(value, -0)) return value;
      return { [NUMBER]: Object.is(value, -0) ? '-0' : String(value) };
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) return value.map(toJsonTree);
      if (value instanceof Map) {
        return { [MAP]: [...value].map(([k, v]) => [toJsonTree(k), toJsonTree(v)]) };
      }
      const out: { [key: string]: Json } = {};
      for (const [k, v] of Object.entries(value)) out[k.startsWith('$') ? `$${k}` : k] = toJsonTree(v);
      return out;
    }
    default:
      throw new TypeError(`meta codec: cannot encode a ${typeof value}`);
  }
}

/** The inverse of `toJsonTree` (not frozen). */
export function fromJsonTree(tree: Json): unknown {
  if (tree === null || typeof tree !== 'object') return tree;
  if (Array.isArray(tree)) return tree.map(fromJsonTree);
  const keys = Object.keys(tree);
  if (keys.length === 1) {
    const tagged = decodeTag(keys[0], tree[keys[0]]);
    if (tagged.hit) return tagged.value;
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k.startsWith('$') ? k.slice(1) : k] = fromJsonTree(tree[k]);
  return out;
}

function decodeTag(key: string, body: Json): { hit: boolean; value?: unknown } {
  switch (key) {
    case UNDEFINED:
      return { hit: true, value: undefined };
    case BIGINT:
      return { hit: true, value: BigInt(body as string) };
    case NUMBER:
      return { hit: true, value: body === '-0' ? -0 : Number(body) };
    case MAP:
      return { hit: true, value: new Map((body as Json[][]).map(([k, v]) => [fromJsonTree(k), fromJsonTree(v)])) };
    default:
      return { hit: false };
  }
}

/** JSON text of any codec-safe value. */
export function encodeJson(value: unknown): string {
  return JSON.stringify(toJsonTree(value));
}

/** A deeply frozen value from `encodeJson` text. */
export function decodeJson<T>(text: string): T {
  return deepFreeze(fromJsonTree(JSON.parse(text) as Json) as T);
}

/**
 * One meta WAL entry as stored in `meta_wal.body` and shipped by the meta listener.
 *
 * @example
 * decodeMetaEntry(encodeMetaEntry(entry)); // deep-equal to entry
 */
export function encodeMetaEntry(entry: MetaEntry): string {
  return encodeJson(entry);
}

export function decodeMetaEntry(text: string): MetaEntry {
  return decodeJson<MetaEntry>(text);
}

/** A whole catalog as stored in a checkpoint. */
export function encodeCatalog(catalog: Catalog): string {
  return encodeJson(catalog);
}

export function decodeCatalog(text: string): Catalog {
  return decodeJson<Catalog>(text);
}
