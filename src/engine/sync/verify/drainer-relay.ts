/**
 * Drainer.Verify: a drainer passes a verify from the primary to the secondary it applies to
 * (Storage.VerifyData on the secondary's first storage host), stamping its own address so that the
 * secondary can check the target space added this drainer, as it does for every apply. The
 * drainer keeps no state of its own about a verify.
 */
import type * as grpc from '@grpc/grpc-js';
import { ErrorCode, MetaCode } from '../../../errors.ts';
import { clientFor } from '../../../server/rpc/proto.ts';
import type { TlsOptions } from '../../../server/rpc/tls.ts';
import type { AssignmentPoller } from '../drainer/assignment-poller.ts';
import { unary } from '../rpc-call.ts';
import { verifyCallMs } from './verify-limits.ts';
import { verifyFailure, type VerifyReplyMsg, type VerifyRequestMsg } from './verify-wire.ts';

export class VerifyRelay {
  #client: { readonly address: string; readonly client: grpc.Client } | undefined;

  constructor(
    private readonly assignment: AssignmentPoller,
    private readonly self: () => string,
    private readonly tls?: TlsOptions,
  ) {}

  async verify(req: VerifyRequestMsg): Promise<VerifyReplyMsg> {
    let hosts = this.assignment.storageHosts;
    if (hosts.length === 0 && (await this.assignment.refresh())) hosts = this.assignment.storageHosts;
    const address = hosts[0];
    if (address === undefined) return verifyFailure(MetaCode.E_NO_HOSTS, 'NoHosts: the secondary has no storage hosts yet (ADD HOSTS there)');
    if (this.#client?.address !== address) {
      this.#client?.client.close();
      this.#client = { address, client: clientFor('Storage', address, this.tls) };
    }
    try {
      return await unary<VerifyReplyMsg>(this.#client.client, 'VerifyData', { ...req, drainer: this.self() }, verifyCallMs(req.phase));
    } catch (cause) {
      return verifyFailure(ErrorCode.E_RPC_FAILURE, `RpcFailure: secondary storage ${address}: ${(cause as Error).message}`);
    }
  }

  close(): void {
    this.#client?.client.close();
    this.#client = undefined;
  }
}
