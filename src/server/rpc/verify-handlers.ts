/**
 * Storage.VerifyData: the secondary's half of VERIFY SYNC. The logic is in
 * src/engine/sync/verify/ (secondary-verify.ts); this only hands the request over.
 */
import * as grpc from '@grpc/grpc-js';
import { SecondaryVerifier } from '../../engine/sync/verify/secondary-verify.ts';
import type { VerifyReplyMsg, VerifyRequestMsg } from '../../engine/sync/verify/verify-wire.ts';
import type { RpcDeps, ServiceHandlers } from './rpc-deps.ts';

export function verifyHandlers(deps: RpcDeps): ServiceHandlers {
  const verifier = new SecondaryVerifier({ metaStore: deps.metaStore, storage: deps.storage, log: deps.log.child({ side: 'verify' }) });
  return {
    meta: {},
    storage: {
      VerifyData: (call: grpc.ServerUnaryCall<VerifyRequestMsg, VerifyReplyMsg>, callback: grpc.sendUnaryData<VerifyReplyMsg>) => {
        verifier.handle(call.request).then(
          (answer) => callback(null, answer),
          (cause: Error) => callback({ code: grpc.status.INTERNAL, details: cause.message } as grpc.ServiceError, null),
        );
      },
    },
  };
}
