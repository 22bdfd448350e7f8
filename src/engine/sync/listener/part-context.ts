/**
 * What one part shipper knows: which source partition it ships where, the clients to reach the
 * primary and the drainer, and how to read its acknowledged position.
 */
import type { Logger } from '../../../log.ts';
import type { SourceSpaceMsg } from '../wire.ts';
import type { RpcClients } from './rpc-clients.ts';

export interface PartAssignment {
  readonly source: SourceSpaceMsg;
  readonly targetSpace: string;
  /** 0 = the space's schema (meta listener), 1..N = a data partition. */
  readonly part: number;
  /** "ip:port" of the drainer this part goes to (drainers[part % k]). */
  readonly drainer: string;
  /** The primary's storage hosts (where data WALs are tailed). */
  readonly storageHosts: readonly string[];
  /** The primary's meta addresses (where the meta WAL is tailed). */
  readonly metaAddrs: readonly string[];
}

export interface PartContext {
  readonly assignment: PartAssignment;
  readonly clients: RpcClients;
  /** This listener's "ip:port", sent in the hello. */
  readonly listenerAddr: string;
  readonly log: Logger;
  readonly windowBatches: number;
  /** Consecutive failed sessions: rotates over the primary's addresses. */
  attempt(): number;
  /** The drainer's last acknowledged log id for this part. */
  ackedLogId(): number;
}

/** The address to use on this attempt, rotating over `addrs` as attempts fail. */
export function pickAddr(addrs: readonly string[], attempt: number, what: string): string {
  if (addrs.length === 0) throw new Error(`the primary lists no ${what}`);
  return addrs[attempt % addrs.length]!;
}

/** Cancel a server stream when `signal` aborts; answers the unlink. */
export function cancelOnAbort(stream: { cancel(): void }, signal: AbortSignal): () => void {
  const cancel = () => stream.cancel();
  if (signal.aborted) cancel();
  signal.addEventListener('abort', cancel, { once: true });
  return () => signal.removeEventListener('abort', cancel);
}
