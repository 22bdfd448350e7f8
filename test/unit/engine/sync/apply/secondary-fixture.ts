/**
 * An in-process secondary cluster for the apply and drainer tests, plus builders for what a
 * listener would ship: a source description, schema changes and encoded WAL entries.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { expect } from 'vitest';
import type { PropDef } from '../../../../../src/catalog/types.ts';
import { encodeJson } from '../../../../../src/engine/meta/meta-codec.ts';
import type { DataOp } from '../../../../../src/engine/storage/types.ts';
import { unary } from '../../../../../src/engine/sync/rpc-call.ts';
import type { ApplyReplyMsg, SchemaChangeMsg, SourceSpaceMsg, WalBatchMsg } from '../../../../../src/engine/sync/wire.ts';
import { encodeWalEntry } from '../../../../../src/engine/wal/wal-codec.ts';
import { Cluster, defaultClusterOptions } from '../../../../../src/server/cluster.ts';
import { clientFor } from '../../../../../src/server/rpc/proto.ts';
import type { ExecutionResponse } from '../../../../../src/server/graph-handler.ts';

export const PLAYER_ID = 11;
export const FOLLOW_ID = 12;

export interface Secondary {
  readonly cluster: Cluster;
  readonly meta: grpc.Client;
  readonly storage: grpc.Client;
  /** Run one statement as root; the answer must be a success unless `allowError`. */
  exec(stmt: string, allowError?: boolean): Promise<ExecutionResponse>;
  /** Rows of a statement's answer as plain arrays. */
  rows(stmt: string): Promise<unknown[][]>;
  close(): Promise<void>;
}

/**
 * A secondary with target space `target` (7 partitions, FIXED_STRING(32)) and `drainer` added
 * (127.0.0.1:9889 unless given; null adds none).
 */
export async function startSecondary(options: { drainer?: string | null; partitions?: number } = {}): Promise<Secondary> {
  const dataPath = mkdtempSync(join(tmpdir(), 'nebula-sync-secondary-'));
  const cluster = await Cluster.start({
    ...defaultClusterOptions,
    dataPath,
    port: 0,
    metaPort: 0,
    storagePort: 0,
    wsHttpPort: 0,
    heartbeatIntervalSecs: 1,
    fsync: false,
  });
  const auth = await cluster.handler.authenticate('root', 'nebula');
  if (!auth.ok) throw new Error('cannot sign in as root');
  let current = '';
  const exec = async (stmt: string, allowError = false) => {
    const text = current === '' ? stmt : `USE ${current}; ${stmt}`;
    const res = await cluster.handler.execute(auth.sessionId, text);
    if (!allowError) expect(res.errorMsg ?? '', stmt).toBe('');
    if (res.spaceName !== '') current = res.spaceName;
    return res;
  };
  await exec(`ADD HOSTS 127.0.0.1:${cluster.ports.storage}`);
  await exec(`CREATE SPACE target(partition_num=${options.partitions ?? 7}, replica_factor=1, vid_type=FIXED_STRING(32))`);
  await exec('USE target');
  if (options.drainer !== null) await exec(`ADD DRAINER ${options.drainer ?? '127.0.0.1:9889'}`);
  const meta = clientFor('Meta', `127.0.0.1:${cluster.ports.meta}`);
  const storage = clientFor('Storage', `127.0.0.1:${cluster.ports.storage}`);
  return {
    cluster,
    meta,
    storage,
    exec,
    rows: async (stmt) => ((await exec(stmt)).data?.rows ?? []).map((r) => [...r]),
    close: async () => {
      meta.close();
      storage.close();
      await cluster.close();
      rmSync(dataPath, { recursive: true, force: true });
    },
  };
}

export function sourceOf(partitions = 15, clusterId = 'primary-cluster', spaceName = 'basketballplayer'): SourceSpaceMsg {
  return { cluster_id: clusterId, space_name: spaceName, space_id: 1, partition_num: partitions, vid_type: 'FIXED_STRING', vid_length: 32 };
}

const prop = (name: string, type: PropDef['type']['name']): PropDef => ({ name, type: { name: type }, nullable: true });

/** player(name string, age int) as source tag PLAYER_ID, or follow(degree int) as edge FOLLOW_ID. */
export function schemaChange(logId: number, which: 'player' | 'follow', version = 0, extra: readonly PropDef[] = []): SchemaChangeMsg {
  const props = which === 'player' ? [prop('name', 'string'), prop('age', 'int64'), ...extra] : [prop('degree', 'int64'), ...extra];
  return {
    log_id: logId,
    ts: 1_000 + logId,
    kind: which === 'player' ? 'TAG' : 'EDGE',
    name: which,
    source_id: which === 'player' ? PLAYER_ID : FOLLOW_ID,
    version,
    props_json: encodeJson(props),
    dropped: false,
    comment: '',
  };
}

export function schemaBatch(first: number, last: number, changes: readonly SchemaChangeMsg[]): WalBatchMsg {
  return { ...emptyBatch(first, last), schema_changes: [...changes] };
}

function emptyBatch(first: number, last: number): WalBatchMsg {
  return {
    first_log_id: first,
    last_log_id: last,
    entries: [],
    gone: false,
    retained_first_log_id: 0,
    source_last_log_id: last,
    source_last_ts: 1_000 + last,
    last_ts: 1_000 + last,
    schema_changes: [],
  };
}

export const putPlayer = (vid: string, name: string, age: number, ver = 0): DataOp => ({
  op: 'putTag',
  vid,
  tagId: PLAYER_ID,
  ver,
  props: { name, age: BigInt(age) },
});

export const putFollow = (src: string, dst: string, degree: number): DataOp => ({
  op: 'putEdge',
  src,
  etype: FOLLOW_ID,
  rank: 0n,
  dst,
  ver: 0,
  props: { degree: BigInt(degree) },
});

/** A data batch whose entry i carries `opsPerEntry[i]`, log ids from `first`. */
export function dataBatch(first: number, opsPerEntry: readonly (readonly DataOp[])[]): WalBatchMsg {
  const last = first + opsPerEntry.length - 1;
  const entries = opsPerEntry.map((ops, i) => encodeWalEntry({ logId: first + i, term: 1, ts: 1_000 + first + i, ops }));
  return { ...emptyBatch(first, last), entries };
}

/** A snapshot chunk at log id `at` carrying `ops`; `first` starts the snapshot. */
export function snapshotChunk(at: number, ops: readonly DataOp[], last: boolean, first = false) {
  return { log_id: at, ts: 1_000 + at, rows: encodeWalEntry({ logId: at, term: 1, ts: 1_000 + at, ops }), last, first };
}

export interface ApplyArgs {
  readonly source?: SourceSpaceMsg;
  readonly part: number;
  readonly drainer?: string;
  readonly target?: string;
}

/** ApplyData (part >= 1) or ApplySchema (part 0) over gRPC with one body. */
export function apply(s: Secondary, args: ApplyArgs, body: object): Promise<ApplyReplyMsg> {
  const request = {
    source: args.source ?? sourceOf(),
    target_space: args.target ?? 'target',
    part: args.part,
    drainer: args.drainer ?? '127.0.0.1:9889',
    ...body,
  };
  return args.part === 0 ? unary(s.meta, 'ApplySchema', request) : unary(s.storage, 'ApplyData', request);
}

/** The schema of player and follow at version 0, applied through ApplySchema. */
export async function syncBaseSchema(s: Secondary, args: Omit<ApplyArgs, 'part'> = {}): Promise<void> {
  const answer = await apply(s, { ...args, part: 0 }, { batch: schemaBatch(1, 2, [schemaChange(1, 'player'), schemaChange(2, 'follow')]) });
  expect(answer.code, answer.message).toBe(0);
}
