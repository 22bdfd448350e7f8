/**
 * The secondary side of synchronization: Storage.ApplyData (source parts 1..N) and Meta.ApplySchema
 * (part 0), as src/engine/sync/DESIGN.md "Secondary" says. The logic is in src/engine/sync/apply/;
 * these handlers only hand the decoded request over and send the answer back.
 */
import * as grpc from '@grpc/grpc-js';
import { ErrorCode } from '../../errors.ts';
import { createSecondaryApplier } from '../../engine/sync/apply/secondary-applier.ts';
import type { ApplyReplyMsg, ApplyRequestMsg } from '../../engine/sync/wire.ts';
import type { RpcDeps, ServiceHandlers } from './rpc-deps.ts';

type ApplyCall = grpc.ServerUnaryCall<ApplyRequestMsg, ApplyReplyMsg>;
type ApplyStream = grpc.ServerDuplexStream<ApplyRequestMsg, ApplyReplyMsg>;

/**
 * ApplyDataStream: requests applied one after another in arrival order (a drainer's stream carries
 * one source partition, whose entries must apply in log id order), each answered in that order.
 */
function applyStream(apply: (req: ApplyRequestMsg) => Promise<ApplyReplyMsg>) {
  return (call: ApplyStream): void => {
    let chain = Promise.resolve();
    call.on('data', (req: ApplyRequestMsg) => {
      chain = chain.then(async () => {
        const answer = await apply(req).catch(
          (cause: Error): ApplyReplyMsg => ({ code: ErrorCode.E_RPC_FAILURE, message: `RpcFailure: ${cause.message}`, position: null }),
        );
        if (!call.cancelled && call.writable) call.write(answer);
      });
    });
    call.on('end', () => void chain.then(() => call.writable && call.end()));
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
    storage: { ApplyData: handle(applier.applyData), ApplyDataStream: applyStream(applier.applyData) },
  };
}
