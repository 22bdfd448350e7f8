/**
 * The nGQL abstract syntax tree: what `parse(text)` returns and what the executor consumes.
 *
 * Every node is a plain object with a `kind`; statements form the `Statement` union and the
 * executor dispatches on `Record<Statement['kind'], ...>`, so a new kind fails to compile until
 * it is handled. Identifiers are stored as written, without back-quotes. Keywords that the user
 * can choose between (GRAPH/META/..., ADD/DROP/CHANGE) are stored as upper-case string literals.
 */

// ---------- host addresses ----------

/** A host address as written in a statement (`192.168.10.104:9889`). */
export interface HostAddr {
  readonly host: string;
  readonly port: number;
}

// ---------- property types and schema ----------

export type PropTypeName =
  | 'bool'
  | 'int64'
  | 'int32'
  | 'int16'
  | 'int8'
  | 'float'
  | 'double'
  | 'string'
  | 'fixed_string'
  | 'timestamp'
  | 'date'
  | 'time'
  | 'datetime';

/** A property type; `int` is normalised to `int64`. `length` is set only for fixed_string. */
export interface PropType {
  readonly name: PropTypeName;
  readonly length?: number;
}

export interface ColumnDef {
  readonly name: string;
  readonly type: PropType;
  /** true when NULL was written or nothing was written; false for NOT NULL. */
  readonly nullable: boolean;
  readonly defaultValue?: Expr;
  readonly comment?: string;
}

export type SchemaKind = 'TAG' | 'EDGE';

// ---------- expressions ----------

export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'AND'
  | 'OR'
  | 'XOR'
  | 'IN'
  | 'NOT IN'
  | 'CONTAINS'
  | 'STARTS WITH'
  | 'ENDS WITH';

export type Expr =
  /** Literal: bigint for integers, number for floats, string, boolean, null. */
  | { readonly kind: 'literal'; readonly value: bigint | number | string | boolean | null }
  | { readonly kind: 'list'; readonly items: readonly Expr[] }
  | { readonly kind: 'map'; readonly entries: readonly (readonly [string, Expr])[] }
  | { readonly kind: 'unary'; readonly op: '-' | '+' | 'NOT'; readonly operand: Expr }
  | { readonly kind: 'isNull'; readonly operand: Expr; readonly negated: boolean }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  /** Function call, name lower-cased: properties, id, src, dst, rank, type, tags, labels, abs, ... */
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[] }
  /** The bare words `vertex`, `edge`, `$^`, `$$` used as call arguments: properties(vertex). */
  | { readonly kind: 'entity'; readonly entity: 'vertex' | 'edge' | '$^' | '$$' }
  /** `$^.tag.prop` (source vertex) */
  | { readonly kind: 'srcProp'; readonly tag: string; readonly prop: string }
  /** `$$.tag.prop` (destination vertex) */
  | { readonly kind: 'dstProp'; readonly tag: string; readonly prop: string }
  /** `name.prop`: edge property (GO, FETCH ON edge) or tag property (FETCH ON tag); also `e._dst` etc. */
  | { readonly kind: 'labelProp'; readonly label: string; readonly prop: string }
  /** A bare name: a property in UPDATE SET/WHEN/YIELD, or a YIELD alias reference. */
  | { readonly kind: 'name'; readonly name: string }
  /** `$var.prop` / `$-.prop` */
  | { readonly kind: 'varProp'; readonly variable: string; readonly prop: string };

export interface YieldColumn {
  readonly expr: Expr;
  readonly alias?: string;
  /** The expression as NebulaGraph prints it in a column header, e.g. `dst(EDGE)`, `properties(VERTEX)`. */
  readonly text: string;
}

export interface YieldClause {
  readonly distinct: boolean;
  readonly columns: readonly YieldColumn[];
}

// ---------- vertex and edge references ----------

/** A vertex id as written: an expression that must evaluate to a string or an int. */
export type VidExpr = Expr;

export interface EdgeKey {
  readonly src: VidExpr;
  readonly dst: VidExpr;
  /** Absent means rank 0. */
  readonly rank?: Expr;
}

// ---------- statements ----------

export type ShowHostsRole = 'GRAPH' | 'META' | 'STORAGE' | 'STORAGE LISTENER' | 'META LISTENER' | 'DRAINER';
/** NebulaGraph's roles, strongest first. */
export type RoleName = 'GOD' | 'ADMIN' | 'DBA' | 'USER' | 'GUEST';

export type VidTypeDecl = { readonly kind: 'FIXED_STRING'; readonly length: number } | { readonly kind: 'INT64' };

/**
 * One parsed statement: a plain object whose `kind` names it (`'ShowSyncStatus'`, `'AddListenerSync'`,
 * `'InsertVertex'`, ...) with the parts the statement wrote.
 */
export type Statement =
  // cluster
  | { readonly kind: 'AddHosts'; readonly hosts: readonly HostAddr[] }
  | { readonly kind: 'DropHosts'; readonly hosts: readonly HostAddr[] }
  | { readonly kind: 'ShowHosts'; readonly role?: ShowHostsRole }
  // spaces
  | {
      readonly kind: 'CreateSpace';
      readonly ifNotExists: boolean;
      readonly name: string;
      /** Options as written; absent ones take NebulaGraph's defaults (100 parts, 1 replica, FIXED_STRING(8)). */
      readonly partitionNum?: number;
      readonly replicaFactor?: number;
      readonly vidType?: VidTypeDecl;
      readonly charset?: string;
      readonly collate?: string;
      readonly comment?: string;
    }
  | { readonly kind: 'DropSpace'; readonly ifExists: boolean; readonly name: string }
  | { readonly kind: 'Use'; readonly space: string }
  | { readonly kind: 'ShowSpaces' }
  | { readonly kind: 'DescribeSpace'; readonly name: string }
  | { readonly kind: 'ShowCreateSpace'; readonly name: string }
  // schema
  | {
      readonly kind: 'CreateSchema';
      readonly schema: SchemaKind;
      readonly ifNotExists: boolean;
      readonly name: string;
      readonly columns: readonly ColumnDef[];
      readonly comment?: string;
    }
  | {
      readonly kind: 'AlterSchema';
      readonly schema: SchemaKind;
      readonly name: string;
      /** Several clauses may follow one another: ALTER TAG t ADD (a int), DROP (b). */
      readonly changes: readonly (
        | { readonly op: 'ADD' | 'CHANGE'; readonly columns: readonly ColumnDef[] }
        | { readonly op: 'DROP'; readonly names: readonly string[] }
      )[];
      readonly comment?: string;
    }
  | { readonly kind: 'DropSchema'; readonly schema: SchemaKind; readonly ifExists: boolean; readonly name: string }
  | { readonly kind: 'ShowSchemas'; readonly schema: SchemaKind }
  | { readonly kind: 'DescribeSchema'; readonly schema: SchemaKind; readonly name: string }
  | { readonly kind: 'ShowCreateSchema'; readonly schema: SchemaKind; readonly name: string }
  // data
  | {
      readonly kind: 'InsertVertex';
      readonly ifNotExists: boolean;
      readonly tags: readonly { readonly tag: string; readonly props: readonly string[] }[];
      /** One row per vertex: its vid and the values of every tag's props, concatenated in order. */
      readonly rows: readonly { readonly vid: VidExpr; readonly values: readonly Expr[] }[];
    }
  | {
      readonly kind: 'InsertEdge';
      readonly ifNotExists: boolean;
      readonly edge: string;
      readonly props: readonly string[];
      readonly rows: readonly { readonly key: EdgeKey; readonly values: readonly Expr[] }[];
    }
  | { readonly kind: 'DeleteVertex'; readonly vids: readonly VidExpr[]; readonly withEdge: boolean }
  | {
      readonly kind: 'DeleteTag';
      /** Tag names, or `*` for every tag. */
      readonly tags: readonly string[] | '*';
      readonly vids: readonly VidExpr[];
    }
  | { readonly kind: 'DeleteEdge'; readonly edge: string; readonly keys: readonly EdgeKey[] }
  | {
      readonly kind: 'UpdateVertex';
      readonly upsert: boolean;
      readonly tag: string;
      readonly vid: VidExpr;
      readonly sets: readonly { readonly prop: string; readonly value: Expr }[];
      readonly when?: Expr;
      readonly yield?: YieldClause;
    }
  | {
      readonly kind: 'UpdateEdge';
      readonly upsert: boolean;
      readonly edge: string;
      readonly key: EdgeKey;
      readonly sets: readonly { readonly prop: string; readonly value: Expr }[];
      readonly when?: Expr;
      readonly yield?: YieldClause;
    }
  // read
  | {
      readonly kind: 'FetchVertices';
      /** Tag names, or `*` for every tag. */
      readonly tags: readonly string[] | '*';
      readonly vids: readonly VidExpr[];
      readonly yield?: YieldClause;
    }
  | {
      readonly kind: 'FetchEdges';
      readonly edge: string;
      readonly keys: readonly EdgeKey[];
      readonly yield?: YieldClause;
    }
  | {
      readonly kind: 'Go';
      /** GO [M TO] N STEPS; both default to 1. */
      readonly minSteps: number;
      readonly maxSteps: number;
      readonly from: readonly VidExpr[];
      /** Edge names, or `*` for every edge type. */
      readonly over: readonly string[] | '*';
      readonly direction: 'OUT' | 'REVERSELY' | 'BIDIRECT';
      readonly where?: Expr;
      readonly yield?: YieldClause;
      readonly limit?: number;
    }
  | { readonly kind: 'Yield'; readonly yield: YieldClause; readonly where?: Expr }
  // jobs and stats
  | { readonly kind: 'SubmitJob'; readonly job: 'STATS' | 'COMPACT' | 'FLUSH' }
  | { readonly kind: 'ShowJobs' }
  | { readonly kind: 'ShowJob'; readonly id: number }
  | { readonly kind: 'StopJob'; readonly id: number }
  | { readonly kind: 'ShowStats' }
  // users and roles
  | { readonly kind: 'CreateUser'; readonly ifNotExists: boolean; readonly user: string; readonly password: string }
  | { readonly kind: 'DropUser'; readonly ifExists: boolean; readonly user: string }
  | { readonly kind: 'AlterUser'; readonly user: string; readonly password: string }
  | { readonly kind: 'ChangePassword'; readonly user: string; readonly oldPassword: string; readonly newPassword: string }
  | { readonly kind: 'GrantRole'; readonly role: RoleName; readonly space: string; readonly user: string }
  | { readonly kind: 'RevokeRole'; readonly role: RoleName; readonly space: string; readonly user: string }
  | { readonly kind: 'ShowUsers' }
  | { readonly kind: 'ShowRoles'; readonly space: string }
  // variables (per space)
  | { readonly kind: 'SetVariable'; readonly name: string; readonly value: Expr }
  | { readonly kind: 'GetVariable'; readonly name: string }
  // cluster synchronization
  | { readonly kind: 'SignInDrainerService'; readonly drainers: readonly HostAddr[] }
  | { readonly kind: 'SignOutDrainerService' }
  | { readonly kind: 'ShowDrainerClients' }
  | {
      readonly kind: 'AddListenerSync';
      readonly meta: HostAddr;
      readonly storage: readonly HostAddr[];
      readonly targetSpace: string;
    }
  | { readonly kind: 'RemoveListenerSync' }
  | { readonly kind: 'ShowListenerSync' }
  | { readonly kind: 'AddDrainer'; readonly drainers: readonly HostAddr[] }
  | { readonly kind: 'RemoveDrainer' }
  | { readonly kind: 'ShowDrainers' }
  | { readonly kind: 'StopSync' }
  | { readonly kind: 'RestartSync' }
  | { readonly kind: 'ShowSyncStatus' }
  | { readonly kind: 'ShowDrainerSyncStatus' }
  /** SHOW SYNC ERRORS: why partitions of the current space do not sync (either side). */
  | { readonly kind: 'ShowSyncErrors' }
  /** VERIFY SYNC [WITH KEYS]: the per-partition comparison, or with keys the differing keys. */
  | { readonly kind: 'VerifySync'; readonly keys: boolean };

/** The `kind` of every statement the grammar knows. */
export type StatementKind = Statement['kind'];
/** The statement of one kind, e.g. `StatementOf<'AddDrainer'>` has `drainers`. */
export type StatementOf<K extends StatementKind> = Extract<Statement, { kind: K }>;

/** What `parse(text)` answers: the statements in order, or the first syntax error. */
export type ParseResult =
  | { readonly ok: true; readonly statements: readonly Statement[] }
  | {
      readonly ok: false;
      readonly error: import('../errors.ts').NgError;
      /** 1-based line and column of the offending token, when there is one. */
      readonly line?: number;
      readonly column?: number;
    };
