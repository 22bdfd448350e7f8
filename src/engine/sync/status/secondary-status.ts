/**
 * The secondary side of DESIGN section 4: whether a drainer is alive (SHOW DRAINERS) and, per
 * source partition it reported for a target space, how far applying trails receiving
 * (SHOW DRAINER SYNC STATUS).
 */
import type { HostStatus, SyncStatusRow } from '../../../executor/types.ts';
import type { Liveness } from '../../meta/liveness.ts';
import type { ProgressRegistry } from '../../meta/progress.ts';
import { isShipping, lagRow } from './status-rules.ts';

export interface SecondaryStatusDeps {
  readonly liveness: Liveness;
  readonly progress: ProgressRegistry;
  readonly now: () => number;
}

export class SecondaryStatus {
  constructor(private readonly deps: SecondaryStatusDeps) {}

  /** ONLINE while the drainer at host:port heartbeats to this cluster's meta. */
  drainerStatus(host: string, port: number): HostStatus {
    return this.deps.liveness.statusOf('DRAINER', host, port, this.deps.now());
  }

  /**
   * One row per source partition the drainers reported for `space`, by partition. A drainer
   * reports its applied position as `ackedLogId`/`ackedTs` and what it holds as `received*`.
   * Before anything was applied there is no applied ts to measure from, so Time Latency stays 0
   * while LogId Lag already shows what waits.
   */
  drainerSyncStatus(space: string): readonly SyncStatusRow[] {
    const nowMs = this.deps.now();
    const freshMs = this.deps.liveness.onlineWindowMs;
    const rows: SyncStatusRow[] = [];
    for (const [part, report] of this.deps.progress.forSpace('DRAINER', space)) {
      const alive = this.deps.liveness.statusOf('DRAINER', report.host, report.port, nowMs) === 'ONLINE';
      const status: HostStatus = alive && isShipping(report, nowMs, freshMs) ? 'ONLINE' : 'OFFLINE';
      const p = report.progress;
      const latency = p.ackedTs > 0 ? p.receivedTs - p.ackedTs : 0;
      rows.push(lagRow(part, status, p.receivedLogId - p.ackedLogId, latency));
    }
    return rows.sort((a, b) => a.part - b.part);
  }
}
