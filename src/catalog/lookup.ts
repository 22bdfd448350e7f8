/**
 * Small pure questions executors ask of a catalog snapshot. They never change the catalog and
 * answer `undefined` for "not there", leaving the wording of the error to the executor.
 */
import type {
  Catalog,
  JobDesc,
  ListenerSyncDesc,
  PropDef,
  RoleName,
  SchemaDesc,
  SchemaKind,
  SchemaVersion,
  SpaceDesc,
} from './types.ts';

/** The space called `name`. */
export function findSpace(cat: Catalog, name: string): SpaceDesc | undefined {
  return Object.hasOwn(cat.spaces, name) ? cat.spaces[name] : undefined;
}

/** The space with id `id` (storage files and WAL entries name spaces by id). */
export function findSpaceById(cat: Catalog, id: number): SpaceDesc | undefined {
  return Object.values(cat.spaces).find((s) => s.id === id);
}

/** Names of every space, sorted as SHOW SPACES prints them. */
export function spaceNames(cat: Catalog): readonly string[] {
  return Object.keys(cat.spaces).sort();
}

/** The version a new write uses: the last one. */
export function currentVersion(schema: SchemaDesc): SchemaVersion {
  return schema.versions[schema.versions.length - 1];
}

/** The tag or edge type called `name` in `space`. */
export function findSchema(space: SpaceDesc, kind: SchemaKind, name: string): SchemaDesc | undefined {
  const schemas = kind === 'TAG' ? space.tags : space.edges;
  return Object.hasOwn(schemas, name) ? schemas[name] : undefined;
}

/** Whether a tag or an edge type already uses `name` (NebulaGraph refuses a tag and an edge sharing one). */
export function schemaNameTaken(space: SpaceDesc, name: string): boolean {
  return findSchema(space, 'TAG', name) !== undefined || findSchema(space, 'EDGE', name) !== undefined;
}

/** The tag or edge type with id `id`; ids are unique across both kinds in a space. */
export function schemaById(space: SpaceDesc, id: number): SchemaDesc | undefined {
  return (
    Object.values(space.tags).find((s) => s.id === id) ?? Object.values(space.edges).find((s) => s.id === id)
  );
}

/** Version `ver` of schema `id`, as a row written with that version must be read. */
export function schemaVersion(space: SpaceDesc, id: number, ver: number): SchemaVersion | undefined {
  return schemaById(space, id)?.versions.find((v) => v.version === ver);
}

/** Every tag or every edge type of `space`, sorted by name as SHOW TAGS / SHOW EDGES print them. */
export function schemasOf(space: SpaceDesc, kind: SchemaKind): readonly SchemaDesc[] {
  const schemas = kind === 'TAG' ? space.tags : space.edges;
  return Object.values(schemas).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The property `name` of one schema version. */
export function findProp(version: SchemaVersion, name: string): PropDef | undefined {
  return version.props.find((p) => p.name === name);
}

/** The role `user` was granted in `space`, if any (root's implicit GOD is the executor's business). */
export function roleOf(cat: Catalog, space: string, user: string): RoleName | undefined {
  const perSpace = Object.hasOwn(cat.roles, space) ? cat.roles[space] : undefined;
  return perSpace !== undefined && Object.hasOwn(perSpace, user) ? perSpace[user] : undefined;
}

/** Users holding a role in `space`, sorted by name, as SHOW ROLES IN prints them. */
export function usersWithRoles(cat: Catalog, space: string): readonly { user: string; role: RoleName }[] {
  const perSpace = Object.hasOwn(cat.roles, space) ? cat.roles[space] : {};
  return Object.keys(perSpace)
    .sort()
    .map((user) => ({ user, role: perSpace[user] }));
}

/** Names of every user, sorted. */
export function userNames(cat: Catalog): readonly string[] {
  return Object.keys(cat.users).sort();
}

/** Jobs of `space`, newest first, as SHOW JOBS prints them. */
export function jobsOf(cat: Catalog, space: string): readonly JobDesc[] {
  return cat.jobs.filter((j) => j.space === space).sort((a, b) => b.id - a.id);
}

/** The job with id `id`. */
export function findJob(cat: Catalog, id: number): JobDesc | undefined {
  return cat.jobs.find((j) => j.id === id);
}

/** Splits a stored "host:port" (ADD HOSTS) into its parts; the port is after the last colon. */
export function parseHostPort(text: string): { host: string; port: number } {
  const at = text.lastIndexOf(':');
  return at < 0 ? { host: text, port: 0 } : { host: text.slice(0, at), port: Number(text.slice(at + 1)) };
}

/** The "host:port" form ADD HOSTS stores. */
export function hostPortText(host: string, port: number): string {
  return `${host}:${port}`;
}

/**
 * The storage listener that serves partition `part` (1-based) of a synced space: round-robin over
 * the listeners ADD LISTENER SYNC named, so SHOW LISTENER SYNC and the primary's assignments agree.
 */
export function storageListenerOf(sync: ListenerSyncDesc, part: number): ListenerSyncDesc['storage'][number] {
  return sync.storage[(part - 1) % sync.storage.length];
}
