/**
 * Damage found by the storage engine (a row or partition that failed its checksum) as the answer a
 * client gets: NebulaGraph's "Storage Error", naming the space, partition and row by the names
 * the catalog has for them. Done once for every statement, where the executor runs them.
 */
import { findSpaceById, schemaById } from '../../catalog/lookup.ts';
import type { Catalog } from '../../catalog/types.ts';
import { describeDamage, StorageDamagedError } from '../../engine/storage/damage.ts';
import { Errors, type NgError } from '../../errors.ts';

/** The client's answer for `err` when it is storage damage; undefined for anything else. */
export function storageDamageError(err: unknown, catalog: Catalog): NgError | undefined {
  if (!(err instanceof StorageDamagedError)) return undefined;
  const space = findSpaceById(catalog, err.damage.spaceId);
  const name = (id: number): string | undefined => (space === undefined ? undefined : schemaById(space, id)?.name);
  return Errors.storageDamaged(describeDamage(err.damage, { ...(space ? { space: space.name } : {}), tag: name, edge: name }));
}
