/**
 * What a cluster's sync statements may learn about other processes before they commit anything:
 * which cluster a drainer writes to (Drainer.Health's cluster_id, learnt from that cluster's
 * meta), and which sources asked this cluster lately to sync into a space and were refused (with
 * their lineages, apply/knocking.ts). ADD LISTENER SYNC, SIGN IN DRAINER SERVICE and ADD DRAINER
 * use them to refuse a sync that would close a cycle (src/engine/sync/DESIGN.md, "Cycles"). A
 * drainer that does not answer within DRAINER_PROBE_DEADLINE_MS is no reason to refuse: the
 * statement goes on and the secondary's apply-time check still holds.
 *
 * @example
 *   const peers = createSyncPeers({ clusterId: metaStore.clusterId, connect: (a) => clientFor('Drainer', a, tls), knocking: ... });
 *   const facts = await peers.probeDrainer({ host: '127.0.0.1', port: 9889 });
 *   facts?.clusterId; // the secondary's id, or undefined when the drainer did not answer
 */
import type * as grpc from '@grpc/grpc-js';
import type { HostAddr, LineageLink } from '../../catalog/types.ts';
import { unary } from './rpc-call.ts';

/** How long a statement waits for a drainer's answer before it goes on without it. */
export const DRAINER_PROBE_DEADLINE_MS = 1_500;
/** A source that asked to sync into a space of this cluster, as a statement reasons about it. */
export interface KnockingSource {
  readonly clusterId: string;
  readonly space: string;
  readonly lineage: readonly LineageLink[];
}

/** What a drainer answered. */
export interface DrainerFacts {
  /** The cluster it writes to; '' when it has not heard from that cluster's meta yet. */
  readonly clusterId: string;
}

/** The sync statements' view of other processes (ExecContext.peers); only a running cluster has one. */
export interface SyncPeers {
  /** This cluster's own id (its meta store's). */
  readonly clusterId: string;
  /** Ask the drainer at `addr`; undefined when it did not answer in time. */
  probeDrainer(addr: HostAddr): Promise<DrainerFacts | undefined>;
  /** Sources refused lately when they asked to sync into `space` of this cluster (no drainer added yet, or a cycle). */
  knocking(space: string): readonly KnockingSource[];
}

export interface SyncPeersDeps {
  readonly clusterId: string;
  /** A Drainer service client for "ip:port" (mutual TLS when the cluster runs it). */
  readonly connect: (address: string) => grpc.Client;
  readonly deadlineMs?: number;
  /** This cluster's knocking sources of a space (knockingOf(metaStore).sources); none when absent. */
  readonly knocking?: (space: string) => readonly KnockingSource[];
}

interface HealthReplyMsg {
  cluster_id: string;
}

export function createSyncPeers(deps: SyncPeersDeps): SyncPeers {
  return {
    clusterId: deps.clusterId,
    knocking: (space) => deps.knocking?.(space) ?? [],
    probeDrainer: async (addr) => {
      const client = deps.connect(`${addr.host}:${addr.port}`);
      try {
        const reply = await unary<HealthReplyMsg>(client, 'Health', {}, deps.deadlineMs ?? DRAINER_PROBE_DEADLINE_MS);
        return { clusterId: reply.cluster_id };
      } catch {
        return undefined;
      } finally {
        client.close();
      }
    },
  };
}
