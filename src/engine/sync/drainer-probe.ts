/**
 * What a cluster's sync statements may ask a drainer before they commit anything: which cluster it
 * writes to (Drainer.Health's cluster_id, learnt from that cluster's meta) and which sources said
 * hello to it lately for a target space (with their lineages). ADD LISTENER SYNC, SIGN IN DRAINER
 * SERVICE and ADD DRAINER use it to refuse a sync that would close a cycle (src/engine/sync/
 * DESIGN.md, "Cycles"). A drainer that does not answer within DRAINER_PROBE_DEADLINE_MS is no
 * reason to refuse: the statement goes on and the secondary's apply-time check still holds.
 *
 * @example
 *   const peers = createSyncPeers({ clusterId: metaStore.clusterId, connect: (a) => clientFor('Drainer', a, tls) });
 *   const facts = await peers.probeDrainer({ host: '127.0.0.1', port: 9889 }, 'replication_basketballplayer');
 *   facts?.clusterId; // the secondary's id, or undefined when the drainer did not answer
 */
import type * as grpc from '@grpc/grpc-js';
import type { HostAddr, LineageLink } from '../../catalog/types.ts';
import { unary } from './rpc-call.ts';
import type { SourceSpaceMsg } from './wire.ts';

/** How long a statement waits for a drainer's answer before it goes on without it. */
export const DRAINER_PROBE_DEADLINE_MS = 1_500;
/** Hello sources taken from one answer (a drainer remembers a bounded number anyway). */
const HELLO_SOURCES_TAKEN_MAX = 256;

/** A source that said hello to a drainer, as a statement reasons about it. */
export interface HelloSource {
  readonly clusterId: string;
  readonly space: string;
  readonly lineage: readonly LineageLink[];
}

/** What a drainer answered. */
export interface DrainerFacts {
  /** The cluster it writes to; '' when it has not heard from that cluster's meta yet. */
  readonly clusterId: string;
  /** Sources that said hello for the target space asked about (none when none was asked). */
  readonly helloSources: readonly HelloSource[];
}

/** The sync statements' view of other processes (ExecContext.peers); only a running cluster has one. */
export interface SyncPeers {
  /** This cluster's own id (its meta store's). */
  readonly clusterId: string;
  /** Ask the drainer at `addr`; undefined when it did not answer in time. */
  probeDrainer(addr: HostAddr, targetSpace?: string): Promise<DrainerFacts | undefined>;
}

export interface SyncPeersDeps {
  readonly clusterId: string;
  /** A Drainer service client for "ip:port" (mutual TLS when the cluster runs it). */
  readonly connect: (address: string) => grpc.Client;
  readonly deadlineMs?: number;
}

interface HealthReplyMsg {
  cluster_id: string;
  hello_sources?: SourceSpaceMsg[];
}

const helloSourceOf = (s: SourceSpaceMsg): HelloSource => ({
  clusterId: s.cluster_id,
  space: s.space_name,
  lineage: (s.lineage ?? []).map((l) => ({ clusterId: l.cluster_id, space: l.space_name })),
});

export function createSyncPeers(deps: SyncPeersDeps): SyncPeers {
  return {
    clusterId: deps.clusterId,
    probeDrainer: async (addr, targetSpace) => {
      const client = deps.connect(`${addr.host}:${addr.port}`);
      try {
        const reply = await unary<HealthReplyMsg>(client, 'Health', { target_space: targetSpace ?? '' }, deps.deadlineMs ?? DRAINER_PROBE_DEADLINE_MS);
        return {
          clusterId: reply.cluster_id,
          helloSources: (reply.hello_sources ?? []).slice(0, HELLO_SOURCES_TAKEN_MAX).map(helloSourceOf),
        };
      } catch {
        return undefined;
      } finally {
        client.close();
      }
    },
  };
}
