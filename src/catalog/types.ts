/**
 * The catalog: everything a cluster's meta service knows, as one immutable value.
 *
 * The catalog is the state machine of the meta WAL (partition 0): `next = apply(current, entry)`
 * (see apply.ts). Nothing else changes it; readers hold a snapshot. Entries carry everything they
 * need (ids chosen, passwords already hashed, timestamps) so that replay is deterministic.
 * Liveness (heartbeats) is not here: it is volatile and lives in the meta service.
 */
import type { ColumnDef, HostAddr, PropType, RoleName, SchemaKind, VidTypeDecl } from '../parser/ast.ts';
import type { Value } from '../value/types.ts';

export type { HostAddr, RoleName, SchemaKind };

/** A property as the catalog stores it: the default is an already-evaluated constant. */
export interface PropDef {
  readonly name: string;
  readonly type: PropType;
  readonly nullable: boolean;
  /** Present when the schema declares a DEFAULT; `defaultText` is how SHOW CREATE / DESCRIBE print it. */
  readonly defaultValue?: Value;
  readonly defaultText?: string;
  readonly comment?: string;
}

export interface SchemaVersion {
  /** 0 for the version made by CREATE, +1 for each ALTER. */
  readonly version: number;
  readonly props: readonly PropDef[];
  readonly comment?: string;
}

/** A tag or an edge type of a space, with every version its ALTERs made. */
export interface SchemaDesc {
  /** Tag id or edge type, unique within a space across tags and edges (as NebulaGraph). */
  readonly id: number;
  readonly kind: SchemaKind;
  readonly name: string;
  /** Every version, oldest first; the last is the current one. */
  readonly versions: readonly SchemaVersion[];
  /**
   * On a secondary: the tag id / edge type this schema has on the source cluster. Set by
   * `syncSchema`; data entries from the source name schemas by that id.
   */
  readonly sourceId?: number;
}

/** A graph space: its partitioning, VID type, schemas and read_only flag. */
export interface SpaceDesc {
  readonly id: number;
  readonly name: string;
  readonly partitionNum: number;
  readonly replicaFactor: number;
  readonly vidType: VidTypeDecl;
  readonly charset: string;
  readonly collate: string;
  readonly comment?: string;
  /** By name. */
  readonly tags: Readonly<Record<string, SchemaDesc>>;
  readonly edges: Readonly<Record<string, SchemaDesc>>;
  /** Next id to hand out for a tag or an edge type in this space. */
  readonly nextSchemaId: number;
  readonly readOnly: boolean;
  /** On a secondary: source schema ids that the source dropped (their late data is skipped). */
  readonly droppedSourceIds?: readonly number[];
}

export interface UserDesc {
  readonly name: string;
  /** scrypt hash, `scrypt$<salt hex>$<hash hex>`; never the password. */
  readonly passwordHash: string;
}

export type JobStatus = 'QUEUE' | 'RUNNING' | 'FINISHED' | 'FAILED' | 'STOPPED';

export interface JobDesc {
  readonly id: number;
  readonly space: string;
  readonly command: string;
  readonly status: JobStatus;
  readonly startTime?: number;
  readonly stopTime?: number;
}

/** Counts made by a STATS job: what SHOW STATS prints. */
export interface StatsDesc {
  readonly tags: Readonly<Record<string, number>>;
  readonly edges: Readonly<Record<string, number>>;
  readonly vertices: number;
  readonly edgeCount: number;
}

/** The synchronization a primary space sends out (ADD LISTENER SYNC ... TO SPACE target). */
export interface ListenerSyncDesc {
  readonly meta: HostAddr;
  readonly storage: readonly HostAddr[];
  readonly targetSpace: string;
  /** STOP SYNC sets it; RESTART SYNC clears it. */
  readonly stopped: boolean;
}

export type HostRole = 'GRAPH' | 'META' | 'STORAGE' | 'STORAGE_LISTENER' | 'META_LISTENER' | 'DRAINER';

/**
 * A snapshot of everything a cluster's meta service knows (spaces, schemas, users and roles, the
 * synchronization's configuration), as one immutable value; a change makes a new snapshot.
 *
 * @example
 *   const cat = engine.catalog();
 *   cat.listeners['basketballplayer']?.targetSpace; // 'replication_basketballplayer'
 *   cat.drainers['replication_basketballplayer'];   // [{ host: '192.168.10.104', port: 9889 }]
 */
export interface Catalog {
  /** Log id of the last meta entry applied (0 = empty). */
  readonly logId: number;
  /** Storage hosts added with ADD HOSTS, as "host:port". */
  readonly storageHosts: readonly string[];
  readonly spaces: Readonly<Record<string, SpaceDesc>>;
  readonly nextSpaceId: number;
  readonly users: Readonly<Record<string, UserDesc>>;
  /** roles[space][user] */
  readonly roles: Readonly<Record<string, Readonly<Record<string, RoleName>>>>;
  /** Primary side: drainers signed in per space (SIGN IN DRAINER SERVICE). */
  readonly drainerClients: Readonly<Record<string, readonly HostAddr[]>>;
  /** Primary side: ADD LISTENER SYNC per space. */
  readonly listeners: Readonly<Record<string, ListenerSyncDesc>>;
  /** Secondary side: ADD DRAINER per target space. */
  readonly drainers: Readonly<Record<string, readonly HostAddr[]>>;
  readonly jobs: readonly JobDesc[];
  readonly nextJobId: number;
  /** Last finished STATS job result per space. */
  readonly stats: Readonly<Record<string, StatsDesc>>;
  /**
   * Secondary side: the one source each target space receives from (no fan-in). Registered by the
   * first drainer stream accepted for the space; REMOVE DRAINER clears it.
   */
  readonly syncSources: Readonly<Record<string, SyncSourceDesc>>;
}

export interface SyncSourceDesc {
  /** The source cluster's id (its meta store's `clusterId`). */
  readonly clusterId: string;
  readonly sourceSpace: string;
  /**
   * How the source maps rows to its partitions (snapshots purge by it): a request that describes
   * the source otherwise is refused. Absent in entries logged before they were recorded.
   */
  readonly partitionNum?: number;
  readonly vidType?: string;
  /**
   * The source space's id on its cluster: a source space dropped and created again under the same
   * name has another id, and is another source (its log ids start again at 1). Absent in entries
   * logged before it was recorded.
   */
  readonly sourceSpaceId?: number;
  /**
   * What the source space itself descends from, nearest first: its own registered source, that
   * one's source, and so on (src/catalog/lineage.ts). Absent: nothing (or logged before it was
   * recorded). A sync into a space whose lineage names this cluster's space would close a cycle.
   */
  readonly lineage?: readonly LineageLink[];
}

/** One hop of a space's upstream chain: a space on a cluster. */
export interface LineageLink {
  readonly clusterId: string;
  readonly space: string;
}

/**
 * One meta WAL entry's operation. Validation happens before an op is logged (in the executor);
 * `apply` trusts the op and is total: replaying a log never fails.
 */
export type MetaOp =
  | { readonly op: 'addHosts'; readonly hosts: readonly string[] }
  | { readonly op: 'dropHosts'; readonly hosts: readonly string[] }
  | {
      readonly op: 'createSpace';
      readonly space: Omit<SpaceDesc, 'tags' | 'edges' | 'nextSchemaId' | 'readOnly' | 'id' | 'droppedSourceIds'>;
    }
  | { readonly op: 'dropSpace'; readonly name: string }
  | {
      readonly op: 'createSchema';
      readonly space: string;
      readonly kind: SchemaKind;
      readonly name: string;
      readonly props: readonly PropDef[];
      readonly comment?: string;
    }
  | {
      /** A new version with exactly these props (the executor computed them from the ALTER). */
      readonly op: 'alterSchema';
      readonly space: string;
      readonly kind: SchemaKind;
      readonly name: string;
      readonly props: readonly PropDef[];
      readonly comment?: string;
    }
  | { readonly op: 'dropSchema'; readonly space: string; readonly kind: SchemaKind; readonly name: string }
  | { readonly op: 'putUser'; readonly name: string; readonly passwordHash: string }
  | { readonly op: 'dropUser'; readonly name: string }
  | { readonly op: 'grantRole'; readonly space: string; readonly user: string; readonly role: RoleName }
  | { readonly op: 'revokeRole'; readonly space: string; readonly user: string }
  | { readonly op: 'setReadOnly'; readonly space: string; readonly readOnly: boolean }
  | { readonly op: 'signInDrainers'; readonly space: string; readonly drainers: readonly HostAddr[] }
  | { readonly op: 'signOutDrainers'; readonly space: string }
  | {
      readonly op: 'addListenerSync';
      readonly space: string;
      readonly meta: HostAddr;
      readonly storage: readonly HostAddr[];
      readonly targetSpace: string;
    }
  | { readonly op: 'removeListenerSync'; readonly space: string }
  | { readonly op: 'setSyncStopped'; readonly space: string; readonly stopped: boolean }
  | { readonly op: 'addDrainers'; readonly space: string; readonly drainers: readonly HostAddr[] }
  | { readonly op: 'removeDrainers'; readonly space: string }
  | {
      /**
       * A secondary takes a source schema as it is there: the schema `name` gets exactly `props` at
       * `version`, created (with a local id) if missing, overwritten if it differs (FAQ).
       */
      readonly op: 'syncSchema';
      readonly space: string;
      readonly kind: SchemaKind;
      readonly name: string;
      readonly sourceId: number;
      readonly version: number;
      readonly props: readonly PropDef[];
      readonly comment?: string;
    }
  | { readonly op: 'syncDropSchema'; readonly space: string; readonly kind: SchemaKind; readonly name: string; readonly sourceId: number }
  | {
      readonly op: 'setSyncSource';
      readonly space: string;
      readonly clusterId: string;
      readonly sourceSpace: string;
      readonly sourceSpaceId?: number;
      readonly partitionNum?: number;
      readonly vidType?: string;
      readonly lineage?: readonly LineageLink[];
    }
  | { readonly op: 'addJob'; readonly space: string; readonly command: string; readonly time: number }
  | {
      readonly op: 'finishJob';
      readonly id: number;
      readonly status: JobStatus;
      readonly time: number;
      readonly stats?: StatsDesc;
    };

/** A meta WAL entry as stored and as shipped by the meta listener. */
export interface MetaEntry {
  readonly logId: number;
  readonly term: number;
  /** Commit time, ms since the epoch. */
  readonly ts: number;
  readonly op: MetaOp;
}

export type { ColumnDef };
