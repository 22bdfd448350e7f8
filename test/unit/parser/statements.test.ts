// Pins the AST that every statement form of the nGQL subset parses to, one table row per form.
import { describe, expect, it } from 'vitest';
import type { Expr, Statement, StatementKind } from '../../../src/parser/ast.ts';
import { bin, int, nm, one, str } from './parse-helpers.ts';

const host = (h: string, port: number) => ({ host: h, port });
const col = (expr: Expr, text: string, alias?: string) =>
  alias === undefined ? { expr, text } : { expr, alias, text };
const entity = (e: 'vertex' | 'edge' | '$^' | '$$') => ({ kind: 'entity', entity: e }) as const;
const call = (name: string, ...args: Expr[]): Expr => ({ kind: 'call', name, args });

/** Every statement kind; the compiler insists the list is complete. */
const allKinds: Record<StatementKind, true> = {
  AddHosts: true,
  DropHosts: true,
  ShowHosts: true,
  CreateSpace: true,
  DropSpace: true,
  Use: true,
  ShowSpaces: true,
  DescribeSpace: true,
  ShowCreateSpace: true,
  CreateSchema: true,
  AlterSchema: true,
  DropSchema: true,
  ShowSchemas: true,
  DescribeSchema: true,
  ShowCreateSchema: true,
  InsertVertex: true,
  InsertEdge: true,
  DeleteVertex: true,
  DeleteTag: true,
  DeleteEdge: true,
  UpdateVertex: true,
  UpdateEdge: true,
  FetchVertices: true,
  FetchEdges: true,
  Go: true,
  Yield: true,
  SubmitJob: true,
  ShowJobs: true,
  ShowJob: true,
  StopJob: true,
  ShowStats: true,
  CreateUser: true,
  DropUser: true,
  AlterUser: true,
  ChangePassword: true,
  GrantRole: true,
  RevokeRole: true,
  ShowUsers: true,
  ShowRoles: true,
  SetVariable: true,
  GetVariable: true,
  SignInDrainerService: true,
  SignOutDrainerService: true,
  ShowDrainerClients: true,
  AddListenerSync: true,
  RemoveListenerSync: true,
  ShowListenerSync: true,
  AddDrainer: true,
  RemoveDrainer: true,
  ShowDrainers: true,
  StopSync: true,
  RestartSync: true,
  ShowSyncStatus: true,
  ShowDrainerSyncStatus: true,
  ShowSyncErrors: true,
  VerifySync: true,
};

const cases: readonly (readonly [string, Statement])[] = [
  // cluster
  ['ADD HOSTS 192.168.10.101:9779', { kind: 'AddHosts', hosts: [host('192.168.10.101', 9779)] }],
  [
    'ADD HOSTS 127.0.0.1:9779, "10.0.0.2":9780, localhost:1, storaged-0.cluster:9779',
    {
      kind: 'AddHosts',
      hosts: [host('127.0.0.1', 9779), host('10.0.0.2', 9780), host('localhost', 1), host('storaged-0.cluster', 9779)],
    },
  ],
  ['DROP HOSTS 127.0.0.1:9779', { kind: 'DropHosts', hosts: [host('127.0.0.1', 9779)] }],
  ['SHOW HOSTS', { kind: 'ShowHosts' }],
  ['SHOW HOSTS GRAPH', { kind: 'ShowHosts', role: 'GRAPH' }],
  ['SHOW HOSTS META', { kind: 'ShowHosts', role: 'META' }],
  ['SHOW HOSTS STORAGE', { kind: 'ShowHosts', role: 'STORAGE' }],
  ['SHOW HOSTS STORAGE LISTENER', { kind: 'ShowHosts', role: 'STORAGE LISTENER' }],
  ['SHOW HOSTS META LISTENER', { kind: 'ShowHosts', role: 'META LISTENER' }],
  ['SHOW HOSTS DRAINER', { kind: 'ShowHosts', role: 'DRAINER' }],
  // spaces
  [
    'CREATE SPACE IF NOT EXISTS s (partition_num = 10, replica_factor = 1, vid_type = FIXED_STRING(32))',
    {
      kind: 'CreateSpace',
      ifNotExists: true,
      name: 's',
      partitionNum: 10,
      replicaFactor: 1,
      vidType: { kind: 'FIXED_STRING', length: 32 },
    },
  ],
  [
    'CREATE SPACE s (vid_type = INT64, partition_num = 3) COMMENT = "primary"',
    { kind: 'CreateSpace', ifNotExists: false, name: 's', partitionNum: 3, vidType: { kind: 'INT64' }, comment: 'primary' },
  ],
  [
    "CREATE SPACE s (VID_TYPE = int, Charset = utf8, collate = 'utf8_bin') comment 'c'",
    {
      kind: 'CreateSpace',
      ifNotExists: false,
      name: 's',
      vidType: { kind: 'INT64' },
      charset: 'utf8',
      collate: 'utf8_bin',
      comment: 'c',
    },
  ],
  ['CREATE SPACE s', { kind: 'CreateSpace', ifNotExists: false, name: 's' }],
  ['DROP SPACE s', { kind: 'DropSpace', ifExists: false, name: 's' }],
  ['DROP SPACE IF EXISTS s', { kind: 'DropSpace', ifExists: true, name: 's' }],
  ['USE s', { kind: 'Use', space: 's' }],
  ['SHOW SPACES', { kind: 'ShowSpaces' }],
  ['DESCRIBE SPACE s', { kind: 'DescribeSpace', name: 's' }],
  ['DESC SPACE s', { kind: 'DescribeSpace', name: 's' }],
  ['SHOW CREATE SPACE s', { kind: 'ShowCreateSpace', name: 's' }],
  // schema
  [
    'CREATE TAG IF NOT EXISTS player(name string NOT NULL, age int DEFAULT 20 COMMENT "years", f fixed_string(8) NULL) COMMENT = "people"',
    {
      kind: 'CreateSchema',
      schema: 'TAG',
      ifNotExists: true,
      name: 'player',
      columns: [
        { name: 'name', type: { name: 'string' }, nullable: false },
        { name: 'age', type: { name: 'int64' }, nullable: true, defaultValue: int(20), comment: 'years' },
        { name: 'f', type: { name: 'fixed_string', length: 8 }, nullable: true },
      ],
      comment: 'people',
    },
  ],
  ['CREATE TAG t()', { kind: 'CreateSchema', schema: 'TAG', ifNotExists: false, name: 't', columns: [] }],
  [
    'CREATE EDGE e(a bool, b int8, c int16, d int32, e int64, f float, g double, h timestamp, i date, j time, k datetime)',
    {
      kind: 'CreateSchema',
      schema: 'EDGE',
      ifNotExists: false,
      name: 'e',
      columns: (
        [
          ['a', 'bool'],
          ['b', 'int8'],
          ['c', 'int16'],
          ['d', 'int32'],
          ['e', 'int64'],
          ['f', 'float'],
          ['g', 'double'],
          ['h', 'timestamp'],
          ['i', 'date'],
          ['j', 'time'],
          ['k', 'datetime'],
        ] as const
      ).map(([name, type]) => ({ name, type: { name: type }, nullable: true })),
    },
  ],
  [
    'ALTER TAG t ADD (a int, b string), DROP (c, d), CHANGE (e double NOT NULL)',
    {
      kind: 'AlterSchema',
      schema: 'TAG',
      name: 't',
      changes: [
        {
          op: 'ADD',
          columns: [
            { name: 'a', type: { name: 'int64' }, nullable: true },
            { name: 'b', type: { name: 'string' }, nullable: true },
          ],
        },
        { op: 'DROP', names: ['c', 'd'] },
        { op: 'CHANGE', columns: [{ name: 'e', type: { name: 'double' }, nullable: false }] },
      ],
    },
  ],
  [
    'ALTER EDGE e DROP (x) COMMENT = "y"',
    { kind: 'AlterSchema', schema: 'EDGE', name: 'e', changes: [{ op: 'DROP', names: ['x'] }], comment: 'y' },
  ],
  ['ALTER EDGE e COMMENT "y"', { kind: 'AlterSchema', schema: 'EDGE', name: 'e', changes: [], comment: 'y' }],
  ['DROP TAG t', { kind: 'DropSchema', schema: 'TAG', ifExists: false, name: 't' }],
  ['DROP EDGE IF EXISTS e', { kind: 'DropSchema', schema: 'EDGE', ifExists: true, name: 'e' }],
  ['SHOW TAGS', { kind: 'ShowSchemas', schema: 'TAG' }],
  ['SHOW EDGES', { kind: 'ShowSchemas', schema: 'EDGE' }],
  ['DESCRIBE TAG t', { kind: 'DescribeSchema', schema: 'TAG', name: 't' }],
  ['DESC EDGE e', { kind: 'DescribeSchema', schema: 'EDGE', name: 'e' }],
  ['SHOW CREATE TAG t', { kind: 'ShowCreateSchema', schema: 'TAG', name: 't' }],
  ['SHOW CREATE EDGE e', { kind: 'ShowCreateSchema', schema: 'EDGE', name: 'e' }],
  // data
  [
    'INSERT VERTEX IF NOT EXISTS player(name, age), team(title) VALUES "a":("A", 1, "T"), hash("b"):("B", -2, "U")',
    {
      kind: 'InsertVertex',
      ifNotExists: true,
      tags: [
        { tag: 'player', props: ['name', 'age'] },
        { tag: 'team', props: ['title'] },
      ],
      rows: [
        { vid: str('a'), values: [str('A'), int(1), str('T')] },
        { vid: call('hash', str('b')), values: [str('B'), { kind: 'unary', op: '-', operand: int(2) }, str('U')] },
      ],
    },
  ],
  [
    'INSERT VERTEX t() VALUES 1:(), 2:()',
    {
      kind: 'InsertVertex',
      ifNotExists: false,
      tags: [{ tag: 't', props: [] }],
      rows: [
        { vid: int(1), values: [] },
        { vid: int(2), values: [] },
      ],
    },
  ],
  [
    'INSERT EDGE IF NOT EXISTS follow(degree) VALUES "a"->"b":(95), "a" -> "c"@2:(90)',
    {
      kind: 'InsertEdge',
      ifNotExists: true,
      edge: 'follow',
      props: ['degree'],
      rows: [
        { key: { src: str('a'), dst: str('b') }, values: [int(95)] },
        { key: { src: str('a'), dst: str('c'), rank: int(2) }, values: [int(90)] },
      ],
    },
  ],
  ['DELETE VERTEX "a", "b"', { kind: 'DeleteVertex', vids: [str('a'), str('b')], withEdge: false }],
  ['DELETE VERTEX "a" WITH EDGE', { kind: 'DeleteVertex', vids: [str('a')], withEdge: true }],
  ['DELETE TAG t1, t2 FROM "a", "b"', { kind: 'DeleteTag', tags: ['t1', 't2'], vids: [str('a'), str('b')] }],
  ['DELETE TAG * FROM "a"', { kind: 'DeleteTag', tags: '*', vids: [str('a')] }],
  [
    'DELETE EDGE follow "a"->"b", "a"->"c"@1',
    {
      kind: 'DeleteEdge',
      edge: 'follow',
      keys: [
        { src: str('a'), dst: str('b') },
        { src: str('a'), dst: str('c'), rank: int(1) },
      ],
    },
  ],
  [
    'UPDATE VERTEX ON player "a" SET age = age + 1, name = "x" WHEN age > 30 YIELD name AS n, age',
    {
      kind: 'UpdateVertex',
      upsert: false,
      tag: 'player',
      vid: str('a'),
      sets: [
        { prop: 'age', value: bin('+', nm('age'), int(1)) },
        { prop: 'name', value: str('x') },
      ],
      when: bin('>', nm('age'), int(30)),
      yield: { distinct: false, columns: [col(nm('name'), 'name', 'n'), col(nm('age'), 'age')] },
    },
  ],
  [
    'UPSERT VERTEX ON player "a" SET age = 1',
    { kind: 'UpdateVertex', upsert: true, tag: 'player', vid: str('a'), sets: [{ prop: 'age', value: int(1) }] },
  ],
  [
    'UPDATE EDGE ON follow "a"->"b"@0 SET degree = 1 WHEN degree < 5',
    {
      kind: 'UpdateEdge',
      upsert: false,
      edge: 'follow',
      key: { src: str('a'), dst: str('b'), rank: int(0) },
      sets: [{ prop: 'degree', value: int(1) }],
      when: bin('<', nm('degree'), int(5)),
    },
  ],
  [
    'UPSERT EDGE ON follow "a"->"b" SET degree = 2 YIELD degree',
    {
      kind: 'UpdateEdge',
      upsert: true,
      edge: 'follow',
      key: { src: str('a'), dst: str('b') },
      sets: [{ prop: 'degree', value: int(2) }],
      yield: { distinct: false, columns: [col(nm('degree'), 'degree')] },
    },
  ],
  // read
  [
    'FETCH PROP ON player, team "a", "b" YIELD properties(vertex)',
    {
      kind: 'FetchVertices',
      tags: ['player', 'team'],
      vids: [str('a'), str('b')],
      yield: { distinct: false, columns: [col(call('properties', entity('vertex')), 'properties(VERTEX)')] },
    },
  ],
  ['FETCH PROP ON * "a"', { kind: 'FetchVertices', tags: '*', vids: [str('a')] }],
  [
    'FETCH PROP ON follow "a"->"b"@1, "b"->"c" YIELD follow.degree',
    {
      kind: 'FetchEdges',
      edge: 'follow',
      keys: [
        { src: str('a'), dst: str('b'), rank: int(1) },
        { src: str('b'), dst: str('c') },
      ],
      yield: {
        distinct: false,
        columns: [col({ kind: 'labelProp', label: 'follow', prop: 'degree' }, 'follow.degree')],
      },
    },
  ],
  [
    'GO FROM "a" OVER follow',
    { kind: 'Go', minSteps: 1, maxSteps: 1, from: [str('a')], over: ['follow'], direction: 'OUT' },
  ],
  [
    'GO 2 STEPS FROM "a", "b" OVER * REVERSELY YIELD DISTINCT dst(edge)',
    {
      kind: 'Go',
      minSteps: 2,
      maxSteps: 2,
      from: [str('a'), str('b')],
      over: '*',
      direction: 'REVERSELY',
      yield: { distinct: true, columns: [col(call('dst', entity('edge')), 'dst(EDGE)')] },
    },
  ],
  [
    'GO 1 TO 3 STEPS FROM "a" OVER follow, serve BIDIRECT WHERE follow.degree > 90 YIELD $$.player.name AS n | LIMIT 10',
    {
      kind: 'Go',
      minSteps: 1,
      maxSteps: 3,
      from: [str('a')],
      over: ['follow', 'serve'],
      direction: 'BIDIRECT',
      where: bin('>', { kind: 'labelProp', label: 'follow', prop: 'degree' }, int(90)),
      yield: { distinct: false, columns: [col({ kind: 'dstProp', tag: 'player', prop: 'name' }, '$$.player.name', 'n')] },
      limit: 10,
    },
  ],
  [
    'YIELD 1 AS one, "x" WHERE true',
    {
      kind: 'Yield',
      yield: { distinct: false, columns: [col(int(1), '1', 'one'), col(str('x'), '"x"')] },
      where: { kind: 'literal', value: true },
    },
  ],
  // jobs
  ['SUBMIT JOB STATS', { kind: 'SubmitJob', job: 'STATS' }],
  ['SUBMIT JOB COMPACT', { kind: 'SubmitJob', job: 'COMPACT' }],
  ['SUBMIT JOB FLUSH', { kind: 'SubmitJob', job: 'FLUSH' }],
  ['SHOW JOBS', { kind: 'ShowJobs' }],
  ['SHOW JOB 12', { kind: 'ShowJob', id: 12 }],
  ['STOP JOB 12', { kind: 'StopJob', id: 12 }],
  ['SHOW STATS', { kind: 'ShowStats' }],
  // users
  ['CREATE USER u', { kind: 'CreateUser', ifNotExists: false, user: 'u', password: '' }],
  [
    "CREATE USER IF NOT EXISTS u WITH PASSWORD 'pw'",
    { kind: 'CreateUser', ifNotExists: true, user: 'u', password: 'pw' },
  ],
  ['DROP USER u', { kind: 'DropUser', ifExists: false, user: 'u' }],
  ['DROP USER IF EXISTS u', { kind: 'DropUser', ifExists: true, user: 'u' }],
  ['ALTER USER u WITH PASSWORD "p2"', { kind: 'AlterUser', user: 'u', password: 'p2' }],
  ['CHANGE PASSWORD u FROM "a" TO "b"', { kind: 'ChangePassword', user: 'u', oldPassword: 'a', newPassword: 'b' }],
  ['GRANT ROLE ADMIN ON s TO u', { kind: 'GrantRole', role: 'ADMIN', space: 's', user: 'u' }],
  ['GRANT GOD ON s TO u', { kind: 'GrantRole', role: 'GOD', space: 's', user: 'u' }],
  ['GRANT DBA ON s TO u', { kind: 'GrantRole', role: 'DBA', space: 's', user: 'u' }],
  ['REVOKE ROLE USER ON s FROM u', { kind: 'RevokeRole', role: 'USER', space: 's', user: 'u' }],
  ['REVOKE GUEST ON s FROM u', { kind: 'RevokeRole', role: 'GUEST', space: 's', user: 'u' }],
  ['SHOW USERS', { kind: 'ShowUsers' }],
  ['SHOW ROLES IN s', { kind: 'ShowRoles', space: 's' }],
  // variables
  ['SET VARIABLES read_only = true', { kind: 'SetVariable', name: 'read_only', value: { kind: 'literal', value: true } }],
  ['GET VARIABLES read_only', { kind: 'GetVariable', name: 'read_only' }],
  // synchronization
  [
    'SIGN IN DRAINER SERVICE(127.0.0.1:9889, 127.0.0.2:9889)',
    { kind: 'SignInDrainerService', drainers: [host('127.0.0.1', 9889), host('127.0.0.2', 9889)] },
  ],
  ['SIGN OUT DRAINER SERVICE', { kind: 'SignOutDrainerService' }],
  ['SHOW DRAINER CLIENTS', { kind: 'ShowDrainerClients' }],
  [
    'ADD LISTENER SYNC META 127.0.0.1:9569 STORAGE 127.0.0.1:9789, 127.0.0.2:9789 TO SPACE target',
    {
      kind: 'AddListenerSync',
      meta: host('127.0.0.1', 9569),
      storage: [host('127.0.0.1', 9789), host('127.0.0.2', 9789)],
      targetSpace: 'target',
    },
  ],
  ['REMOVE LISTENER SYNC', { kind: 'RemoveListenerSync' }],
  ['SHOW LISTENER SYNC', { kind: 'ShowListenerSync' }],
  ['ADD DRAINER 127.0.0.1:9889', { kind: 'AddDrainer', drainers: [host('127.0.0.1', 9889)] }],
  ['REMOVE DRAINER', { kind: 'RemoveDrainer' }],
  ['SHOW DRAINERS', { kind: 'ShowDrainers' }],
  ['STOP SYNC', { kind: 'StopSync' }],
  ['RESTART SYNC', { kind: 'RestartSync' }],
  ['SHOW SYNC STATUS', { kind: 'ShowSyncStatus' }],
  ['SHOW DRAINER SYNC STATUS', { kind: 'ShowDrainerSyncStatus' }],
  ['SHOW SYNC ERRORS', { kind: 'ShowSyncErrors' }],
  ['show sync errors', { kind: 'ShowSyncErrors' }],
  ['VERIFY SYNC', { kind: 'VerifySync', keys: false }],
  ['verify sync with keys', { kind: 'VerifySync', keys: true }],
];

describe('every statement form', () => {
  it.each(cases)('%s', (text, expected) => {
    expect(one(text)).toEqual(expected);
  });

  it('covers every statement kind of the AST', () => {
    const covered = new Set(cases.map(([, statement]) => statement.kind));
    expect(Object.keys(allKinds).filter((kind) => !covered.has(kind as StatementKind))).toEqual([]);
  });
});
