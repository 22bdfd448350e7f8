/**
 * The catalog's state machine: `next = apply(current, entry)`.
 *
 * Validation happened before an op was logged, so `apply` trusts the op and is total: it never
 * throws on a well-typed op and ignores ops that no longer make sense (dropping an unknown space,
 * altering a dropped tag). It is deterministic: ids and times come from the catalog and the entry,
 * never from the clock, so replaying a meta WAL always rebuilds the same catalog.
 */
import { castDraft, Immer, type Draft } from 'immer';
import type { Catalog, MetaEntry, MetaOp, SchemaDesc, SchemaVersion } from './types.ts';

type OpName = MetaOp['op'];
type OpOf<K extends OpName> = Extract<MetaOp, { readonly op: K }>;
type Handler<K extends OpName> = (draft: Draft<Catalog>, op: OpOf<K>) => void;

// A private instance keeps freezing on whatever another module sets globally.
const immer = new Immer({ autoFreeze: true });

/** The schemas of one kind in a draft space, as the record they live in. */
function schemasOf(space: Draft<Catalog>['spaces'][string], kind: 'TAG' | 'EDGE'): Record<string, Draft<SchemaDesc>> {
  return kind === 'TAG' ? space.tags : space.edges;
}

/** A new schema version; the comment key is left out when there is none so snapshots stay tidy. */
function version(n: number, props: SchemaVersion['props'], comment: string | undefined): Draft<SchemaVersion> {
  return castDraft(comment === undefined ? { version: n, props } : { version: n, props, comment });
}

// Keyed by op name so that a new MetaOp fails to compile until it is handled here.
const handlers: { readonly [K in OpName]: Handler<K> } = {
  addHosts: (d, op) => {
    for (const h of op.hosts) if (!d.storageHosts.includes(h)) d.storageHosts.push(h);
  },
  dropHosts: (d, op) => {
    d.storageHosts = d.storageHosts.filter((h) => !op.hosts.includes(h));
  },
  createSpace: (d, op) => {
    if (d.spaces[op.space.name] !== undefined) return;
    d.spaces[op.space.name] = { ...op.space, id: d.nextSpaceId, tags: {}, edges: {}, nextSchemaId: 1, readOnly: false };
    d.nextSpaceId += 1;
  },
  dropSpace: (d, op) => {
    const name = op.name;
    if (d.spaces[name] === undefined) return;
    delete d.spaces[name];
    delete d.roles[name];
    delete d.drainerClients[name];
    delete d.listeners[name];
    delete d.drainers[name];
    delete d.stats[name];
    delete d.syncSources[name];
    // Jobs belong to the space too: a space created later under the same name starts with none.
    d.jobs = d.jobs.filter((j) => j.space !== name);
  },
  createSchema: (d, op) => {
    const space = d.spaces[op.space];
    if (space === undefined) return;
    const schemas = schemasOf(space, op.kind);
    if (schemas[op.name] !== undefined) return;
    schemas[op.name] = { id: space.nextSchemaId, kind: op.kind, name: op.name, versions: [version(0, op.props, op.comment)] };
    space.nextSchemaId += 1;
  },
  alterSchema: (d, op) => {
    const space = d.spaces[op.space];
    const schema = space === undefined ? undefined : schemasOf(space, op.kind)[op.name];
    if (schema === undefined) return;
    const last = schema.versions[schema.versions.length - 1];
    // An ALTER that does not mention the comment keeps the one the schema had.
    schema.versions.push(version(last.version + 1, op.props, op.comment ?? last.comment));
  },
  dropSchema: (d, op) => {
    const space = d.spaces[op.space];
    if (space !== undefined) delete schemasOf(space, op.kind)[op.name];
  },
  putUser: (d, op) => {
    d.users[op.name] = { name: op.name, passwordHash: op.passwordHash };
  },
  dropUser: (d, op) => {
    if (d.users[op.name] === undefined) return;
    delete d.users[op.name];
    for (const space of Object.keys(d.roles)) {
      const perSpace = d.roles[space];
      delete perSpace[op.name];
      if (Object.keys(perSpace).length === 0) delete d.roles[space];
    }
  },
  grantRole: (d, op) => {
    if (d.spaces[op.space] === undefined || d.users[op.user] === undefined) return;
    (d.roles[op.space] ??= {})[op.user] = op.role;
  },
  revokeRole: (d, op) => {
    const perSpace = d.roles[op.space];
    if (perSpace === undefined) return;
    delete perSpace[op.user];
    if (Object.keys(perSpace).length === 0) delete d.roles[op.space];
  },
  setReadOnly: (d, op) => {
    const space = d.spaces[op.space];
    if (space !== undefined) space.readOnly = op.readOnly;
  },
  signInDrainers: (d, op) => {
    if (d.spaces[op.space] !== undefined) d.drainerClients[op.space] = [...op.drainers];
  },
  signOutDrainers: (d, op) => {
    delete d.drainerClients[op.space];
  },
  addListenerSync: (d, op) => {
    if (d.spaces[op.space] === undefined) return;
    d.listeners[op.space] = { meta: op.meta, storage: [...op.storage], targetSpace: op.targetSpace, stopped: false };
  },
  removeListenerSync: (d, op) => {
    delete d.listeners[op.space];
  },
  setSyncStopped: (d, op) => {
    const listener = d.listeners[op.space];
    if (listener !== undefined) listener.stopped = op.stopped;
  },
  addDrainers: (d, op) => {
    if (d.spaces[op.space] !== undefined) d.drainers[op.space] = [...op.drainers];
  },
  removeDrainers: (d, op) => {
    delete d.drainers[op.space];
    // Without a drainer the space receives from no one; a later ADD DRAINER may serve another source.
    delete d.syncSources[op.space];
  },
  syncSchema: (d, op) => {
    const space = d.spaces[op.space];
    if (space === undefined) return;
    const schemas = schemasOf(space, op.kind);
    const existing = schemas[op.name];
    if (existing === undefined) {
      schemas[op.name] = {
        id: space.nextSchemaId,
        kind: op.kind,
        name: op.name,
        versions: [version(op.version, op.props, op.comment)],
        sourceId: op.sourceId,
      };
      space.nextSchemaId += 1;
      return;
    }
    // Source versions only grow; a replay of an older change leaves the newer one in place.
    const last = existing.versions[existing.versions.length - 1];
    if (existing.sourceId === op.sourceId && last.version >= op.version) return;
    existing.sourceId = op.sourceId;
    existing.versions.push(version(Math.max(op.version, last.version + 1), op.props, op.comment));
  },
  syncDropSchema: (d, op) => {
    const space = d.spaces[op.space];
    if (space === undefined) return;
    const schemas = schemasOf(space, op.kind);
    if (schemas[op.name]?.sourceId === op.sourceId) delete schemas[op.name];
    const dropped = (space.droppedSourceIds ??= []);
    if (!dropped.includes(op.sourceId)) dropped.push(op.sourceId);
  },
  setSyncSource: (d, op) => {
    if (d.spaces[op.space] === undefined) return;
    const { clusterId, sourceSpace, sourceSpaceId, partitionNum, vidType, lineage } = op;
    const shape = partitionNum === undefined ? {} : { partitionNum, vidType };
    const id = sourceSpaceId === undefined ? {} : { sourceSpaceId };
    // An empty lineage is left out, so entries logged before lineages were recorded replay alike.
    const upstream = lineage === undefined || lineage.length === 0 ? {} : { lineage: lineage.map((l) => ({ ...l })) };
    d.syncSources[op.space] = { clusterId, sourceSpace, ...id, ...shape, ...upstream };
  },
  addJob: (d, op) => {
    if (d.spaces[op.space] === undefined) return;
    // Jobs run as soon as they are logged, so the queue state is never observable.
    d.jobs.push({ id: d.nextJobId, space: op.space, command: op.command, status: 'RUNNING', startTime: op.time });
    d.nextJobId += 1;
  },
  finishJob: (d, op) => {
    const job = d.jobs.find((j) => j.id === op.id);
    if (job === undefined) return;
    job.status = op.status;
    job.stopTime = op.time;
    if (op.stats !== undefined && d.spaces[job.space] !== undefined) d.stats[job.space] = op.stats;
  },
};

/**
 * The catalog after `entry`; `catalog` itself is left untouched (structural sharing via immer).
 *
 * @example
 * const next = apply(cat, { logId: cat.logId + 1, term: 1, ts: Date.now(), op: { op: 'dropSpace', name: 's' } });
 */
export function apply(catalog: Catalog, entry: MetaEntry): Catalog {
  return immer.produce(catalog, (draft) => {
    const handler = handlers[entry.op.op] as Handler<OpName>;
    handler(draft, entry.op);
    draft.logId = entry.logId;
  });
}
