/**
 * The drainer's calls into the secondary: ApplySchema on its meta for part 0, and for parts 1..N
 * an ApplyDataStream to one of its storage hosts (part p goes to host p mod n, so parts spread
 * when there are several), one stream per Ship stream (`session()`). A transport failure becomes
 * an answer with E_RPC_FAILURE: the stream that asked answers its listener with it, and the
 * listener reconnects.
 */
import type * as grpc from '@grpc/grpc-js';
import { ErrorCode, MetaCode } from '../../../errors.ts';
import { clientFor } from '../../../server/rpc/proto.ts';
import type { TlsOptions } from '../../../server/rpc/tls.ts';
import { unary } from '../rpc-call.ts';
import type { ApplyReplyMsg, ApplyRequestMsg } from '../wire.ts';
import type { AssignmentPoller } from './assignment-poller.ts';
import { APPLY_DEADLINE_MS, DataChannel } from './data-channel.ts';

export { APPLY_DEADLINE_MS };

/** The secondary as one Ship stream sees it: its applies in order, then close(). */
export interface LinkSession {
  apply(req: ApplyRequestMsg): Promise<ApplyReplyMsg>;
  close(): void;
}

export class SecondaryLink {
  private readonly storageClients = new Map<string, grpc.Client>();

  constructor(
    private readonly meta: grpc.Client,
    private readonly assignment: AssignmentPoller,
    /** Credentials of the storage clients (mutual TLS); undefined = plaintext. */
    private readonly tls?: TlsOptions,
  ) {}

  /** A session for one Ship stream: data applies share one ApplyDataStream, opened on first use. */
  session(): LinkSession {
    let channel: DataChannel | undefined;
    return {
      apply: async (req) => {
        try {
          if (req.part === 0) return await unary<ApplyReplyMsg>(this.meta, 'ApplySchema', req, APPLY_DEADLINE_MS);
          let hosts = this.assignment.storageHosts;
          if (hosts.length === 0 && (await this.assignment.refresh())) hosts = this.assignment.storageHosts;
          if (hosts.length === 0) {
            return { code: MetaCode.E_NO_HOSTS, message: 'NoHosts: the secondary has no storage hosts yet (ADD HOSTS there)', position: null };
          }
          if (channel === undefined || channel.broken) channel = new DataChannel(this.storageClient(hosts[req.part % hosts.length]!));
          return await channel.apply(req);
        } catch (cause) {
          return { code: ErrorCode.E_RPC_FAILURE, message: `RpcFailure: ${(cause as Error).message}`, position: null };
        }
      },
      close: () => channel?.close(),
    };
  }

  private storageClient(addr: string): grpc.Client {
    let client = this.storageClients.get(addr);
    if (client === undefined) {
      client = clientFor('Storage', addr, this.tls);
      this.storageClients.set(addr, client);
    }
    return client;
  }

  close(): void {
    for (const client of this.storageClients.values()) client.close();
    this.storageClients.clear();
  }
}
