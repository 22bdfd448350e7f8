/**
 * How far synchronization got, as the live processes report it (volatile, like liveness): listeners
 * report to the primary's meta (acknowledged positions per source partition), drainers to the
 * secondary's meta (received and applied positions). SHOW SYNC STATUS, SHOW LISTENER SYNC and
 * SHOW DRAINER SYNC STATUS read it.
 */
import type { HostRole } from '../../catalog/types.ts';

export interface PartProgress {
  readonly part: number;
  /** The reporter is connected downstream for this part and not stopped. */
  readonly shipping: boolean;
  readonly ackedLogId: number;
  readonly ackedTs: number;
  readonly receivedLogId: number;
  readonly receivedTs: number;
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
    for (const progress of report.parts) parts.set(progress.part, { host: report.host, port: report.port, progress, atMs: nowMs });
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
