/**
 * The primary side of the status tables (docs/status.md): whether the listener serving a
 * partition is up (SHOW LISTENER SYNC), whether its stream really ships (SHOW SYNC STATUS: ONLINE
 * only while a drainer accepted it and acknowledges), and how far the secondary's durable position
 * trails the primary's WALs (LogId Lag, Time Latency). Everything is read from the live registries
 * and the WALs at call time; nothing here is stored.
 *
 * The lag uses the latest acknowledged position the serving listener reported, fresh or not: a
 * position the secondary once held durably is a lower bound of what it holds now, so the lag can
 * read too high (a listener silent after acknowledgements) but never too low. That is what lets
 * an operator trust 0 / 0 (the guarantee in docs/status.md).
 */
import { findSpace } from '../../../catalog/lookup.ts';
import type { Catalog, ListenerSyncDesc } from '../../../catalog/types.ts';
import type { HostStatus, SyncStatusRow } from '../../../executor/types.ts';
import type { Liveness } from '../../meta/liveness.ts';
import type { ProgressRegistry, ReportedProgress } from '../../meta/progress.ts';
import { StorageDamagedError } from '../../storage/damage.ts';
import type { SpaceStore, StorageEngine } from '../../storage/types.ts';
import type { SchemaEntryIndex } from './schema-entry-index.ts';
import { listenerSyncOf, sameSpace, servingListener, type ServingHost } from './serving.ts';
import { lagRow, whyNotShipping, type NotShipping } from './status-rules.ts';

export interface PrimaryStatusDeps {
  readonly catalog: () => Catalog;
  readonly storage: StorageEngine;
  readonly liveness: Liveness;
  readonly progress: ProgressRegistry;
  readonly schemaEntries: SchemaEntryIndex;
  readonly now: () => number;
}

/** What the primary knows about one partition's stream right now. */
export interface PartView {
  readonly part: number;
  readonly sync: ListenerSyncDesc;
  readonly who: ServingHost;
  /** The serving listener heartbeats. */
  readonly heartbeating: boolean;
  /** The serving listener's latest report about this sync's target; undefined when none. */
  readonly report: ReportedProgress | undefined;
  /** Why the stream does not ship now (undefined when it does); ignores STOP SYNC. */
  readonly notShipping: NotShipping | undefined;
  readonly status: HostStatus;
}

export class PrimaryStatus {
  constructor(private readonly deps: PrimaryStatusDeps) {}

  /**
   * SHOW LISTENER SYNC: ONLINE while the space has a running (not stopped) listener sync and the
   * listener serving `part` heartbeats. This table is about the listener process: the seed shows
   * it ONLINE right after ADD LISTENER SYNC, before the target space exists. Whether data flows
   * is SHOW SYNC STATUS's business.
   */
  listenerStatus(space: string, part: number): HostStatus {
    const cat = this.deps.catalog();
    const sync = listenerSyncOf(cat, space);
    const desc = findSpace(cat, space);
    if (sync === undefined || sync.stopped || desc === undefined) return 'OFFLINE';
    if (!Number.isInteger(part) || part < 0 || part > desc.partitionNum) return 'OFFLINE';
    if (part > 0 && sync.storage.length === 0) return 'OFFLINE';
    const who = servingListener(sync, part);
    return this.deps.liveness.statusOf(who.role, who.host, who.port, this.deps.now());
  }

  /** The stream of `part` of `space` as the primary sees it; undefined without a listener sync. */
  partView(space: string, part: number): PartView | undefined {
    const cat = this.deps.catalog();
    const sync = listenerSyncOf(cat, space);
    const desc = findSpace(cat, space);
    if (sync === undefined || desc === undefined || part < 0 || part > desc.partitionNum) return undefined;
    if (part > 0 && sync.storage.length === 0) return undefined;
    const nowMs = this.deps.now();
    const who = servingListener(sync, part);
    const heartbeating = this.deps.liveness.statusOf(who.role, who.host, who.port, nowMs) === 'ONLINE';
    const report = this.#reportOf(cat, space, sync, who, part);
    const notShipping = whyNotShipping(report, nowMs);
    const status: HostStatus = !sync.stopped && heartbeating && notShipping === undefined ? 'ONLINE' : 'OFFLINE';
    return { part, sync, who, heartbeating, report, notShipping, status };
  }

  /** SHOW SYNC STATUS rows for partitions 0..N of `space`; none when the space is unknown. */
  syncStatus(space: string): readonly SyncStatusRow[] {
    const desc = findSpace(this.deps.catalog(), space);
    if (desc === undefined) return [];
    const store = this.deps.storage.space(desc.id);
    const rows: SyncStatusRow[] = [];
    for (let part = 0; part <= desc.partitionNum; part++) {
      const view = this.partView(space, part);
      const status = view?.status ?? 'OFFLINE';
      const acked = durableLogId(view?.report);
      rows.push(part === 0 ? this.#metaRow(space, status, acked) : this.#dataRow(part, status, acked, store));
    }
    return rows;
  }

  /** The serving listener's report about the current target, if it made one. */
  #reportOf(cat: Catalog, space: string, sync: ListenerSyncDesc, who: ServingHost, part: number): ReportedProgress | undefined {
    const report = this.deps.progress.forSpace(who.role, space).get(part);
    if (report === undefined || report.host !== who.host || report.port !== who.port) return undefined;
    const p = report.progress;
    return p.targetSpace === sync.targetSpace && sameSpace(cat, space, p.spaceId) ? report : undefined;
  }

  /** Partition 0 counts only the meta entries about this space's schema after the durable log id. */
  #metaRow(space: string, status: HostStatus, acked: number): SyncStatusRow {
    const backlog = this.deps.schemaEntries.backlog(space, acked);
    return lagRow(0, status, backlog.count, this.deps.now() - backlog.oldestTs);
  }

  /** A data partition: last log id in the primary's WAL minus the durable one; latency from the oldest entry not durable. */
  #dataRow(part: number, status: HostStatus, acked: number, store: SpaceStore | undefined): SyncStatusRow {
    if (store === undefined) return lagRow(part, status, 0, 0);
    const state = store.partitionState(part);
    const lag = state.lastLogId - acked;
    if (lag <= 0) return lagRow(part, status, 0, 0);
    return lagRow(part, status, lag, this.deps.now() - oldestUnackedTs(store, part, acked, state.lastTs));
  }
}

/** The log id the secondary durably holds as far as `report` says: 0 when unknown. */
function durableLogId(report: ReportedProgress | undefined): number {
  const p = report?.progress;
  return p === undefined || p.positionUnknown === true ? 0 : p.ackedLogId;
}

/**
 * ts of the first entry after `ackedLogId` that the WAL still holds; `fallbackTs` when none is
 * left, or when the partition is refused as damaged (its lag still shows; its entries cannot).
 */
function oldestUnackedTs(store: SpaceStore, part: number, ackedLogId: number, fallbackTs: number): number {
  try {
    return retainedTs(store, part, ackedLogId, fallbackTs);
  } catch (err) {
    if (err instanceof StorageDamagedError) return fallbackTs;
    throw err;
  }
}

function retainedTs(store: SpaceStore, part: number, ackedLogId: number, fallbackTs: number): number {
  const read = store.readWal(part, ackedLogId + 1, 1);
  if (read.kind === 'entries') return read.entries[0]?.ts ?? fallbackTs;
  const retained = store.readWal(part, read.firstLogId, 1);
  return retained.kind === 'entries' ? (retained.entries[0]?.ts ?? fallbackTs) : fallbackTs;
}
