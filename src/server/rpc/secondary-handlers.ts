/**
 * The secondary side of synchronization: Storage.ApplyData (source parts 1..N) and Meta.ApplySchema
 * (part 0), as src/engine/sync/DESIGN.md "Secondary" says. The logic is in src/engine/sync/apply/;
 * these handlers only hand the decoded request over and send the answer back.
 */
import * as grpc from '@grpc/grpc-js';
import { ErrorCode } from '../../errors.ts';
import { createSecondaryApplier } from '../../engine/sync/apply/secondary-applier.ts';
import { APPLY_MANY_ITEMS_MAX, type ApplyManyReplyMsg, type ApplyManyRequestMsg, type ApplyReplyMsg, type ApplyRequestMsg } from '../../engine/sync/wire.ts';
import type { RpcDeps, ServiceHandlers } from './rpc-deps.ts';

type ApplyCall = grpc.ServerUnaryCall<ApplyRequestMsg, ApplyReplyMsg>;
type ApplyStream = grpc.ServerDuplexStream<ApplyRequestMsg, ApplyReplyMsg>;
type ApplyManyStream = grpc.ServerDuplexStream<ApplyManyRequestMsg, ApplyManyReplyMsg>;

/** Messages of one ApplyDataMany stream being applied at once; beyond it the stream stops reading. */
export const APPLY_MANY_IN_FLIGHT_MAX = 32;

const failed = (cause: Error): ApplyReplyMsg => ({ code: ErrorCode.E_RPC_FAILURE, message: `RpcFailure: ${cause.message}`, position: null });

/**
 * ApplyDataStream: requests applied one after another in arrival order (a drainer's stream carries
 * one source partition, whose entries must apply in log id order), each answered in that order.
 */
function applyStream(apply: (req: ApplyRequestMsg) => Promise<ApplyReplyMsg>) {
  return (call: ApplyStream): void => {
    let chain = Promise.resolve();
    call.on('data', (req: ApplyRequestMsg) => {
      chain = chain.then(async () => {
        const answer = await apply(req).catch(failed);
        if (!call.cancelled && call.writable) call.write(answer);
      });
    });
    call.on('end', () => void chain.then(() => call.writable && call.end()));
    call.on('error', () => undefined);
  };
}

/**
 * ApplyDataMany: one stream from a drainer for all its partitions. Every item of a message is
 * handed to `apply` at once, in item order; the applier runs the requests of one (target, source,
 * part) one after another and others freely, so a partition's order holds within a message and
 * across messages (the drainer has one request of a partition in flight at a time). So a
 * message's writes reach the storage writer together and share its group commit. Messages are
 * answered in arrival order; at most APPLY_MANY_IN_FLIGHT_MAX are worked on at once (the stream
 * stops reading beyond that). A message of more than APPLY_MANY_ITEMS_MAX items, or without a
 * list, ends the stream with INVALID_ARGUMENT and applies nothing of it.
 */
function applyManyStream(apply: (req: ApplyRequestMsg) => Promise<ApplyReplyMsg>) {
  return (call: ApplyManyStream): void => {
    let answered = Promise.resolve();
    let inFlight = 0;
    let paused = false;
    let ended = false;
    call.on('data', (msg: ApplyManyRequestMsg) => {
      if (ended) return;
      const items = msg?.items;
      if (!Array.isArray(items) || items.length > APPLY_MANY_ITEMS_MAX) {
        ended = true;
        const details = `ApplyDataMany: a message carries at most ${APPLY_MANY_ITEMS_MAX} items`;
        call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details, metadata: new grpc.Metadata() });
        return;
      }
      const work = Promise.all(items.map((req) => apply(req).catch(failed)));
      if (++inFlight >= APPLY_MANY_IN_FLIGHT_MAX && !paused) {
        paused = true;
        call.pause();
      }
      answered = answered.then(async () => {
        const replies = await work;
        if (--inFlight < APPLY_MANY_IN_FLIGHT_MAX / 2 && paused) {
          paused = false;
          call.resume();
        }
        if (!ended && !call.cancelled && call.writable) call.write({ items: replies });
      });
    });
    call.on('end', () => void answered.then(() => !ended && call.writable && call.end()));
    call.on('error', () => undefined);
  };
}

export function secondaryHandlers(deps: RpcDeps): ServiceHandlers {
  const applier = createSecondaryApplier({ metaStore: deps.metaStore, storage: deps.storage, now: deps.now, log: deps.log.child({ side: 'secondary' }), counters: deps.applyCounters });
  const handle = (apply: (req: ApplyRequestMsg) => Promise<ApplyReplyMsg>) => (call: ApplyCall, callback: grpc.sendUnaryData<ApplyReplyMsg>) => {
    apply(call.request).then(
      (answer) => callback(null, answer),
      (cause: Error) => callback({ code: grpc.status.INTERNAL, details: cause.message } as grpc.ServiceError, null),
    );
  };
  return {
    meta: { ApplySchema: handle(applier.applySchema) },
    storage: { ApplyData: handle(applier.applyData), ApplyDataStream: applyStream(applier.applyData), ApplyDataMany: applyManyStream(applier.applyDataItem) },
  };
}
