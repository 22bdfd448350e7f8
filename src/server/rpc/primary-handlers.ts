/**
 * The primary side of synchronization (src/engine/sync/DESIGN.md, "Primary"): assignments for
 * listeners, the meta and partition WAL tails, and partition snapshots for full sync.
 */
import * as grpc from '@grpc/grpc-js';
import { findSpaceById } from '../../catalog/lookup.ts';
import type { MetaStore } from '../../engine/meta/meta-store.ts';
import type { SpaceStore } from '../../engine/storage/types.ts';
import { SchemaChangeLog } from '../../engine/sync/primary/schema-change-log.ts';
import { num, type Int64Text } from '../../engine/sync/wire.ts';
import { metaTailSource } from './primary-meta-tail.ts';
import { assignmentReply, type AssignmentQuery } from './primary-assignment.ts';
import { pumpSnapshot } from './primary-snapshot.ts';
import { entryStep, pumpTail, type TailSource } from './primary-tail.ts';
import type { RpcDeps, ServiceHandlers } from './rpc-deps.ts';

interface TailRequest {
  space_id: number;
  part: number;
  from_log_id: Int64Text | number;
}

interface SnapshotRequest {
  space_id: number;
  part: number;
}

type Stream<Req> = grpc.ServerWritableStream<Req, unknown>;

/** Whether the listener sync of space `spaceId` is stopped (STOP SYNC). */
function syncStopped(store: MetaStore, spaceId: number): boolean {
  const space = findSpaceById(store.catalog(), spaceId);
  return space !== undefined && store.catalog().listeners[space.name]?.stopped === true;
}

/** One partition's WAL as a tail source; commits of other partitions do not wake it. */
function partTailSource(store: MetaStore, space: SpaceStore, part: number): TailSource {
  return {
    stopped: () => syncStopped(store, space.spaceId),
    // Entries go out as stored: no decode and re-encode on the primary's hot path.
    read: (from, max) => entryStep(space.readWalRaw(part, from, max), from),
    subscribe: (wake) =>
      space.onCommit((parts) => {
        if (parts.includes(part)) wake();
      }),
  };
}

/** The open store of a space the catalog knows, or a gRPC status for the caller. */
function spaceAndPart(deps: RpcDeps, spaceId: number, part: number): SpaceStore | grpc.StatusObject {
  const desc = findSpaceById(deps.metaStore.catalog(), spaceId);
  const space = desc === undefined ? undefined : deps.storage.space(spaceId);
  if (desc === undefined || space === undefined) {
    return status(grpc.status.NOT_FOUND, `space ${spaceId} not found`);
  }
  if (!Number.isInteger(part) || part < 1 || part > space.partitionNum) {
    return status(grpc.status.INVALID_ARGUMENT, `no partition ${part} in space ${spaceId}`);
  }
  return space;
}

const status = (code: grpc.status, details: string): grpc.StatusObject => ({ code, details, metadata: new grpc.Metadata() });

/** A tail's start as a log id, or a status: int64 text beyond 2^53 (or not a number) is refused. */
function fromLogId(text: Int64Text | number): number | grpc.StatusObject {
  const from = num(text);
  return Number.isSafeInteger(from) ? from : status(grpc.status.INVALID_ARGUMENT, `from_log_id ${String(text)} is not a log id`);
}

/** Run a stream's pump; an unexpected failure ends the call with INTERNAL instead of hanging it. */
function serve(deps: RpcDeps, call: Stream<unknown>, what: string, pump: () => Promise<void>): void {
  pump().catch((cause: unknown) => {
    deps.log.error(`${what} failed`, { cause });
    call.emit('error', { code: grpc.status.INTERNAL, details: `${what} failed: ${(cause as Error).message}` });
  });
}

export function primaryHandlers(deps: RpcDeps): ServiceHandlers {
  // One per cluster, shared by every meta tail: the meta WAL is replayed once, lazily.
  const schemaLog = new SchemaChangeLog(deps.metaStore);
  return {
    meta: {
      GetAssignment: (call: grpc.ServerUnaryCall<AssignmentQuery, unknown>, callback: grpc.sendUnaryData<unknown>) =>
        callback(null, assignmentReply(deps.metaStore.catalog(), deps.metaStore.clusterId, call.request)),
      TailMetaWal: (call: Stream<TailRequest>) => {
        const spaceId = call.request.space_id;
        const from = fromLogId(call.request.from_log_id);
        if (typeof from !== 'number') return void call.emit('error', from);
        if (findSpaceById(deps.metaStore.catalog(), spaceId) === undefined) {
          return void call.emit('error', status(grpc.status.NOT_FOUND, `space ${spaceId} not found`));
        }
        const source = metaTailSource(deps.metaStore, schemaLog, spaceId, () => syncStopped(deps.metaStore, spaceId));
        serve(deps, call, `meta WAL tail of space ${spaceId}`, () => pumpTail(call, source, from));
      },
    },
    storage: {
      TailWal: (call: Stream<TailRequest>) => {
        const { space_id: spaceId, part } = call.request;
        const space = spaceAndPart(deps, spaceId, part);
        if ('code' in space) return void call.emit('error', space);
        const from = fromLogId(call.request.from_log_id);
        if (typeof from !== 'number') return void call.emit('error', from);
        serve(deps, call, `WAL tail of space ${spaceId} part ${part}`, () => pumpTail(call, partTailSource(deps.metaStore, space, part), from));
      },
      Snapshot: (call: Stream<SnapshotRequest>) => {
        const { space_id: spaceId, part } = call.request;
        const space = spaceAndPart(deps, spaceId, part);
        if ('code' in space) return void call.emit('error', space);
        deps.log.info('snapshot started', { spaceId, part });
        serve(deps, call, `snapshot of space ${spaceId} part ${part}`, async () => {
          await pumpSnapshot(call, () => space.snapshot(part));
          deps.log.info('snapshot streamed', { spaceId, part, cancelled: call.cancelled });
        });
      },
    },
  };
}
