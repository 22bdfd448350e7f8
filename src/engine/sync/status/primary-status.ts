/**
 * The primary side of DESIGN section 4: whether the listener serving a partition is up and the
 * sync not stopped (SHOW LISTENER SYNC, SHOW SYNC STATUS) and how far the drainer's acknowledgements trail the
 * primary's WALs (LogId Lag, Time Latency). Everything is read from the live registries and the
 * WAL tails at call time; nothing here is stored.
 */
import { findSpace, storageListenerOf } from '../../../catalog/lookup.ts';
import type { Catalog, HostRole, ListenerSyncDesc } from '../../../catalog/types.ts';
import type { HostStatus, SyncStatusRow } from '../../../executor/types.ts';
import type { Liveness } from '../../meta/liveness.ts';
import type { ProgressRegistry, ReportedProgress } from '../../meta/progress.ts';
import { StorageDamagedError } from '../../storage/damage.ts';
import type { SpaceStore, StorageEngine } from '../../storage/types.ts';
import { lagRow } from './status-rules.ts';
import type { SchemaEntryIndex } from './schema-entry-index.ts';

export interface PrimaryStatusDeps {
  readonly catalog: () => Catalog;
  readonly storage: StorageEngine;
  readonly liveness: Liveness;
  readonly progress: ProgressRegistry;
  readonly schemaEntries: SchemaEntryIndex;
  readonly now: () => number;
}

interface ServingListener {
  readonly role: HostRole;
  readonly host: string;
  readonly port: number;
}

/** The listener that serves `part`: the meta listener for 0, round-robin storage listeners for 1..N. */
function servingListener(sync: ListenerSyncDesc, part: number): ServingListener {
  if (part === 0) return { role: 'META_LISTENER', host: sync.meta.host, port: sync.meta.port };
  const addr = storageListenerOf(sync, part);
  return { role: 'STORAGE_LISTENER', host: addr.host, port: addr.port };
}

function listenerSyncOf(cat: Catalog, space: string): ListenerSyncDesc | undefined {
  return Object.hasOwn(cat.listeners, space) ? cat.listeners[space] : undefined;
}

export class PrimaryStatus {
  constructor(private readonly deps: PrimaryStatusDeps) {}

  /**
   * ONLINE while the space has a running (not stopped) listener sync and the listener serving
   * `part` heartbeats: the seed shows the listeners ONLINE right after ADD LISTENER SYNC, before
   * the target space exists. STOP SYNC, or a listener that stopped heartbeating, is OFFLINE; a
   * drainer that refuses the stream shows as lag, not as a listener outage.
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

  /** SHOW SYNC STATUS rows for partitions 0..N of `space`; none when the space is unknown. */
  syncStatus(space: string): readonly SyncStatusRow[] {
    const desc = findSpace(this.deps.catalog(), space);
    if (desc === undefined) return [];
    const rows: SyncStatusRow[] = [this.#metaRow(space)];
    const store = this.deps.storage.space(desc.id);
    const reports = this.deps.progress.forSpace('STORAGE_LISTENER', space);
    for (let part = 1; part <= desc.partitionNum; part++) {
      rows.push(this.#dataRow(space, part, store, reports.get(part)));
    }
    return rows;
  }

  /**
   * Partition 0 counts only the meta entries about this space's schema after the acknowledged log
   * id. With nothing acknowledged yet, Time Latency is measured from the oldest such entry (the
   * first the meta listener has to ship), so one pending schema change alone shows 0 ms.
   */
  #metaRow(space: string): SyncStatusRow {
    const acked = this.deps.progress.forSpace('META_LISTENER', space).get(0)?.progress;
    const backlog = this.deps.schemaEntries.backlog(space, acked?.ackedLogId ?? 0);
    const fromTs = acked !== undefined && acked.ackedTs > 0 ? acked.ackedTs : backlog.oldestTs;
    return lagRow(0, this.listenerStatus(space, 0), backlog.count, backlog.newestTs - fromTs);
  }

  /**
   * A data partition: last log id in the primary's WAL minus the acknowledged one. With nothing
   * acknowledged yet, Time Latency is measured from the oldest unacknowledged entry still in the
   * WAL: entry acked + 1 when retained, else the oldest retained one (older ones expired).
   */
  #dataRow(space: string, part: number, store: SpaceStore | undefined, report: ReportedProgress | undefined): SyncStatusRow {
    const status = this.listenerStatus(space, part);
    if (store === undefined) return lagRow(part, status, 0, 0);
    const state = store.partitionState(part);
    const ackedLogId = report?.progress.ackedLogId ?? 0;
    const ackedTs = report?.progress.ackedTs ?? 0;
    const lag = state.lastLogId - ackedLogId;
    if (lag <= 0) return lagRow(part, status, 0, 0);
    const fromTs = ackedTs > 0 ? ackedTs : oldestUnackedTs(store, part, ackedLogId, state.lastTs);
    return lagRow(part, status, lag, state.lastTs - fromTs);
  }
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
