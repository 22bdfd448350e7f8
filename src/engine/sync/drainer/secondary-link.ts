/**
 * The drainer's calls into the secondary: ApplySchema on its meta for part 0, and for parts 1..N
 * one ApplyDataMany stream per storage host of the secondary (part p goes to host p mod n, so
 * parts spread when there are several), shared by every Ship stream: the requests of many
 * partitions that are ready together travel and are applied together (apply-many-channel.ts).
 * A host that does not know ApplyDataMany gets one ApplyDataStream per Ship stream instead. A
 * transport failure becomes an answer with E_RPC_FAILURE: the stream that asked holds its batch
 * and retries.
 */
import type * as grpc from '@grpc/grpc-js';
import { ErrorCode, MetaCode } from '../../../errors.ts';
import { clientFor } from '../../../server/rpc/proto.ts';
import type { TlsOptions } from '../../../server/rpc/tls.ts';
import { unary } from '../rpc-call.ts';
import type { ApplyReplyMsg, ApplyRequestMsg } from '../wire.ts';
import type { AssignmentPoller } from './assignment-poller.ts';
import { ApplyManyChannel } from './apply-many-channel.ts';
import { APPLY_DEADLINE_MS, DataChannel } from './data-channel.ts';

export { APPLY_DEADLINE_MS };

/** The secondary as one Ship stream sees it: its applies in order, then close(). */
export interface LinkSession {
  apply(req: ApplyRequestMsg): Promise<ApplyReplyMsg>;
  close(): void;
}

export class SecondaryLink {
  private readonly storageClients = new Map<string, grpc.Client>();
  /** The shared apply stream of each storage host, replaced when it broke. */
  private readonly channels = new Map<string, ApplyManyChannel>();
  /** Hosts that answered ApplyDataMany with UNIMPLEMENTED. */
  private readonly legacyHosts = new Set<string>();

  constructor(
    private readonly meta: grpc.Client,
    private readonly assignment: AssignmentPoller,
    /** Credentials of the storage clients (mutual TLS); undefined = plaintext. */
    private readonly tls?: TlsOptions,
  ) {}

  /**
   * A session for one Ship stream. Its data applies go on the host's shared ApplyDataMany stream;
   * closing the session leaves that stream to the others (an apply in flight completes on the
   * secondary, atomically, and its answer is dropped). On a legacy host the session has its own
   * ApplyDataStream, opened on first use and closed with it.
   */
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
          const host = hosts[req.part % hosts.length]!;
          const many = this.shared(host);
          if (many !== undefined) return await many.apply(req);
          if (channel === undefined || channel.broken) channel = new DataChannel(this.storageClient(host));
          return await channel.apply(req);
        } catch (cause) {
          return { code: ErrorCode.E_RPC_FAILURE, message: `RpcFailure: ${(cause as Error).message}`, position: null };
        }
      },
      close: () => channel?.close(),
    };
  }

  /** `host`'s shared apply stream (a broken one is replaced); undefined for a legacy host. */
  private shared(host: string): ApplyManyChannel | undefined {
    let channel = this.channels.get(host);
    if (channel !== undefined && channel.broken) {
      this.channels.delete(host);
      if (channel.legacy) this.legacyHosts.add(host);
      channel = undefined;
    }
    if (this.legacyHosts.has(host)) return undefined;
    if (channel === undefined) {
      channel = new ApplyManyChannel(this.storageClient(host));
      this.channels.set(host, channel);
    }
    return channel;
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
    for (const channel of this.channels.values()) channel.close();
    this.channels.clear();
    for (const client of this.storageClients.values()) client.close();
    this.storageClients.clear();
  }
}
