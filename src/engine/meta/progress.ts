/**
 * How far synchronization got, as the live processes report it (volatile, like liveness): listeners
 * report to the primary's meta (acknowledged positions per source partition), drainers to the
 * secondary's meta (received and applied positions). SHOW SYNC STATUS, SHOW DRAINER SYNC STATUS
 * and SHOW SYNC ERRORS read it (src/engine/sync/status/). Every time here is on the meta's own
 * clock: the RPC handler turns the reporter's ages into it.
 */
import type { HostRole } from '../../catalog/types.ts';

/** The last failure a reporter saw for a part, and how often in a row (docs/status.md). */
export interface PartFailure {
  readonly code: number;
  readonly message: string;
  readonly count: number;
  readonly firstMs: number;
  readonly lastMs: number;
}

export interface PartProgress {
  readonly part: number;
  /** The reporter holds a stream for this part that the drainer (or secondary) accepted. */
  readonly shipping: boolean;
  /** The log id durable on the secondary (listener: as acknowledged; drainer: as applied). */
  readonly ackedLogId: number;
  readonly ackedTs: number;
  readonly receivedLogId: number;
  readonly receivedTs: number;
  /** Batches sent and not yet acknowledged (listeners; 0 when the reporter does not say). */
  readonly outstanding?: number;
  /** Since when the stream has waited for an acknowledgement; undefined when nothing is outstanding. */
  readonly waitingSinceMs?: number | undefined;
  /** The reporter has not learnt the secondary's position yet: ackedLogId/ackedTs say nothing. */
  readonly positionUnknown?: boolean;
  /** Listeners: the target space the acknowledgements are about. */
  readonly targetSpace?: string;
  /** Drainers: when the part last worked (an accepted hello or an applied batch). */
  readonly okAtMs?: number | undefined;
  readonly error?: PartFailure | undefined;
  /**
   * Id of the space the report was about when it arrived (stamped by the meta, not sent): a space
   * dropped and created again under the same name is another space, whose positions start over.
   */
  readonly spaceId?: number | undefined;
}

export interface ProgressReport {
  readonly role: HostRole;
  readonly host: string;
  readonly port: number;
  /** Listener: the primary space. Drainer: the target space. */
  readonly space: string;
  readonly parts: readonly PartProgress[];
}

export interface ReportedProgress {
  readonly host: string;
  readonly port: number;
  readonly progress: PartProgress;
  /** When it was reported, ms since the epoch. */
  readonly atMs: number;
}

/** Distinct (role, space) pairs kept at most: a bound against a misbehaving reporter. */
const SPACES_MAX = 10_000;

/**
 * The position a report stands for. A reporter that has not learnt the position yet (a listener
 * just restarted, its drainer unreachable) keeps the one the same reporter last gave for the same
 * target: the secondary still holds it, so the lag stays what it is instead of jumping to every
 * entry of the partition.
 */
function withKnownPosition(progress: PartProgress, host: string, port: number, was: ReportedProgress | undefined): PartProgress {
  if (progress.positionUnknown !== true || was === undefined) return progress;
  const prev = was.progress;
  const sameReporter =
    was.host === host && was.port === port && (prev.targetSpace ?? '') === (progress.targetSpace ?? '') && prev.spaceId === progress.spaceId;
  if (!sameReporter || prev.positionUnknown === true) return progress;
  return { ...progress, positionUnknown: false, ackedLogId: prev.ackedLogId, ackedTs: prev.ackedTs };
}

export class ProgressRegistry {
  private readonly bySpace = new Map<string, Map<number, ReportedProgress>>();

  /** Record a report; false when the registry is full. */
  report(report: ProgressReport, nowMs: number): boolean {
    const key = `${report.role}\u0000${report.space}`;
    let parts = this.bySpace.get(key);
    if (parts === undefined) {
      if (this.bySpace.size >= SPACES_MAX) return false;
      parts = new Map();
      this.bySpace.set(key, parts);
    }
    for (const given of report.parts) {
      const progress = withKnownPosition(given, report.host, report.port, parts.get(given.part));
      parts.set(given.part, { host: report.host, port: report.port, progress, atMs: nowMs });
    }
    return true;
  }

  /** The latest progress per part that `role` reported for `space`. */
  forSpace(role: HostRole, space: string): ReadonlyMap<number, ReportedProgress> {
    return this.bySpace.get(`${role}\u0000${space}`) ?? new Map();
  }

  /** Forget a space's progress (its sync was removed). */
  forget(role: HostRole, space: string): void {
    this.bySpace.delete(`${role}\u0000${space}`);
  }
}
