/**
 * The drainer's calls into the secondary: ApplySchema on its meta for part 0, ApplyData on one of
 * its storage hosts for parts 1..N (part p goes to host p mod n, so parts spread when there are
 * several). A transport failure becomes an answer with E_RPC_FAILURE: the stream that asked
 * answers its listener with it, and the listener reconnects.
 */
import type * as grpc from '@grpc/grpc-js';
import { ErrorCode, MetaCode } from '../../../errors.ts';
import { clientFor } from '../../../server/rpc/proto.ts';
import { unary } from '../rpc-call.ts';
import type { ApplyReplyMsg, ApplyRequestMsg } from '../wire.ts';
import type { AssignmentPoller } from './assignment-poller.ts';

/** Deadline of one ApplyData / ApplySchema: a large batch with fsync can take a while. */
export const APPLY_DEADLINE_MS = 30_000;

export class SecondaryLink {
  private readonly storageClients = new Map<string, grpc.Client>();

  constructor(
    private readonly meta: grpc.Client,
    private readonly assignment: AssignmentPoller,
  ) {}

  async apply(req: ApplyRequestMsg): Promise<ApplyReplyMsg> {
    try {
      if (req.part === 0) return await unary<ApplyReplyMsg>(this.meta, 'ApplySchema', req, APPLY_DEADLINE_MS);
      let hosts = this.assignment.storageHosts;
      if (hosts.length === 0 && (await this.assignment.refresh())) hosts = this.assignment.storageHosts;
      if (hosts.length === 0) {
        return { code: MetaCode.E_NO_HOSTS, message: 'NoHosts: the secondary has no storage hosts yet (ADD HOSTS there)', position: null };
      }
      return await unary<ApplyReplyMsg>(this.storageClient(hosts[req.part % hosts.length]!), 'ApplyData', req, APPLY_DEADLINE_MS);
    } catch (cause) {
      return { code: ErrorCode.E_RPC_FAILURE, message: `RpcFailure: ${(cause as Error).message}`, position: null };
    }
  }

  private storageClient(addr: string): grpc.Client {
    let client = this.storageClients.get(addr);
    if (client === undefined) {
      client = clientFor('Storage', addr);
      this.storageClients.set(addr, client);
    }
    return client;
  }

  close(): void {
    for (const client of this.storageClients.values()) client.close();
    this.storageClients.clear();
  }
}
