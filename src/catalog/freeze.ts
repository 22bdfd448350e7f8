/**
 * Deep freezing for catalog values that did not come out of immer (the empty catalog, a decoded
 * checkpoint), so that every snapshot a reader holds is immutable no matter where it came from.
 */

/** Freeze `value` and everything reachable from it; Maps' entries are frozen, the Map itself is left as is. */
export function deepFreeze<T>(value: T): T {
  freezeInto(value);
  return value;
}

function freezeInto(value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  if (value instanceof Map) {
    // Object.freeze does not stop Map.set; the contract types Maps as ReadonlyMap, which is the guard.
    for (const v of value.values()) freezeInto(v);
    return;
  }
  // A shallowly frozen parent may still hold unfrozen children, so recurse regardless.
  Object.freeze(value);
  for (const v of Object.values(value)) freezeInto(v);
}
