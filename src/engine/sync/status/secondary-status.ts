/**
 * The secondary side of the status tables (docs/status.md): whether a drainer is alive (SHOW
 * DRAINERS) and, per source partition a drainer of the target space reported, whether it holds an
 * accepted stream and how far applying trails receiving (SHOW DRAINER SYNC STATUS).
 */
import type { Catalog } from '../../../catalog/types.ts';
import type { HostStatus, SyncStatusRow } from '../../../executor/types.ts';
import type { Liveness } from '../../meta/liveness.ts';
import type { ProgressRegistry, ReportedProgress } from '../../meta/progress.ts';
import { drainerServes, sameSpace } from './serving.ts';
import { lagRow, whyNotShipping, type NotShipping } from './status-rules.ts';

export interface SecondaryStatusDeps {
  readonly catalog: () => Catalog;
  readonly liveness: Liveness;
  readonly progress: ProgressRegistry;
  readonly now: () => number;
}

/** What the secondary knows about one source partition's stream right now. */
export interface DrainerPartView {
  readonly part: number;
  readonly report: ReportedProgress;
  readonly heartbeating: boolean;
  readonly notShipping: NotShipping | undefined;
  readonly status: HostStatus;
}

export class SecondaryStatus {
  constructor(private readonly deps: SecondaryStatusDeps) {}

  /** SHOW DRAINERS: ONLINE while the drainer at host:port heartbeats to this cluster's meta. */
  drainerStatus(host: string, port: number): HostStatus {
    return this.deps.liveness.statusOf('DRAINER', host, port, this.deps.now());
  }

  /**
   * Each source partition of `space` reported by a drainer the space added, by partition. ONLINE
   * while that drainer heartbeats and freshly reports an accepted stream for it, writes or not.
   */
  partViews(space: string): DrainerPartView[] {
    const nowMs = this.deps.now();
    const cat = this.deps.catalog();
    const views: DrainerPartView[] = [];
    for (const [part, report] of this.deps.progress.forSpace('DRAINER', space)) {
      if (!drainerServes(cat, report.host, report.port, space) || !sameSpace(cat, space, report.progress.spaceId)) continue;
      const heartbeating = this.deps.liveness.statusOf('DRAINER', report.host, report.port, nowMs) === 'ONLINE';
      const notShipping = whyNotShipping(report, nowMs);
      const status: HostStatus = heartbeating && notShipping === undefined ? 'ONLINE' : 'OFFLINE';
      views.push({ part, report, heartbeating, notShipping, status });
    }
    return views.sort((a, b) => a.part - b.part);
  }

  /**
   * SHOW DRAINER SYNC STATUS: LogId Lag = last received - last applied; Time Latency = ts of the
   * newest received entry - ts of the last applied one. Before anything was applied there is no
   * applied ts to measure from, so Time Latency stays 0 while LogId Lag already shows what waits.
   */
  drainerSyncStatus(space: string): readonly SyncStatusRow[] {
    return this.partViews(space).map(({ part, report, status }) => {
      const p = report.progress;
      const latency = p.ackedTs > 0 ? p.receivedTs - p.ackedTs : 0;
      return lagRow(part, status, p.receivedLogId - p.ackedLogId, latency);
    });
  }
}
