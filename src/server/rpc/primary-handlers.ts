/**
 * The primary side of synchronization (src/engine/sync/DESIGN.md, "Primary"): assignments for
 * listeners, the meta and partition WAL tails, and partition snapshots for full sync.
 */
import * as grpc from '@grpc/grpc-js';
import { findSpaceById } from '../../catalog/lookup.ts';
import { encodeMetaEntry } from '../../engine/meta/meta-codec.ts';
import type { MetaStore } from '../../engine/meta/meta-store.ts';
import type { SpaceStore } from '../../engine/storage/types.ts';
import { num, type Int64Text } from '../../engine/sync/wire.ts';
import { assignmentReply, type AssignmentQuery } from './primary-assignment.ts';
import { pumpSnapshot } from './primary-snapshot.ts';
import { pumpTail, type TailSource } from './primary-tail.ts';
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

/** The meta WAL as a tail source: never purged, so never `gone`. */
function metaTailSource(store: MetaStore, spaceId: number): TailSource {
  return {
    stopped: () => syncStopped(store, spaceId),
    read: (from, max) => {
      const entries = store.readWal(from, max).map((e) => ({ logId: e.logId, ts: e.ts, bytes: Buffer.from(encodeMetaEntry(e)) }));
      return { kind: 'entries', entries, lastLogId: store.lastLogId(), lastTs: store.lastTs() };
    },
    subscribe: (wake) => store.onCommit(() => wake()),
  };
}

/** One partition's WAL as a tail source; commits of other partitions do not wake it. */
function partTailSource(store: MetaStore, space: SpaceStore, part: number): TailSource {
  return {
    stopped: () => syncStopped(store, space.spaceId),
    // Entries go out as stored: no decode and re-encode on the primary's hot path.
    read: (from, max) => space.readWalRaw(part, from, max),
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
    return { code: grpc.status.NOT_FOUND, details: `space ${spaceId} not found`, metadata: new grpc.Metadata() };
  }
  if (!Number.isInteger(part) || part < 1 || part > space.partitionNum) {
    return { code: grpc.status.INVALID_ARGUMENT, details: `no partition ${part} in space ${spaceId}`, metadata: new grpc.Metadata() };
  }
  return space;
}

/** Run a stream's pump; an unexpected failure ends the call with INTERNAL instead of hanging it. */
function serve(deps: RpcDeps, call: Stream<unknown>, what: string, pump: () => Promise<void>): void {
  pump().catch((cause: unknown) => {
    deps.log.error(`${what} failed`, { cause });
    call.emit('error', { code: grpc.status.INTERNAL, details: `${what} failed: ${(cause as Error).message}` });
  });
}

export function primaryHandlers(deps: RpcDeps): ServiceHandlers {
  return {
    meta: {
      GetAssignment: (call: grpc.ServerUnaryCall<AssignmentQuery, unknown>, callback: grpc.sendUnaryData<unknown>) =>
        callback(null, assignmentReply(deps.metaStore.catalog(), deps.metaStore.clusterId, call.request)),
      TailMetaWal: (call: Stream<TailRequest>) =>
        serve(deps, call, 'meta WAL tail', () => pumpTail(call, metaTailSource(deps.metaStore, call.request.space_id), num(call.request.from_log_id))),
    },
    storage: {
      TailWal: (call: Stream<TailRequest>) => {
        const { space_id: spaceId, part } = call.request;
        const space = spaceAndPart(deps, spaceId, part);
        if ('code' in space) return void call.emit('error', space);
        serve(deps, call, `WAL tail of space ${spaceId} part ${part}`, () =>
          pumpTail(call, partTailSource(deps.metaStore, space, part), num(call.request.from_log_id)),
        );
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
