/**
 * A cluster's sync figures for /metrics and /stats (docs/metrics.md): on the primary side the
 * rows of SHOW SYNC STATUS, on the secondary side the rows of SHOW DRAINER SYNC STATUS, both read
 * through syncPicture() at scrape time; what the secondary applied and how long each apply took
 * (the ApplyCounters hook of src/engine/sync/apply/secondary-applier.ts); and the refusals of the
 * cluster's RefusalRegistry by code. Series exist only for spaces the catalog has.
 *
 * @example
 *   const metrics = new ClusterMetrics({ catalog, sync, progress, refusals, now: Date.now });
 *   createSecondaryApplier({ ..., counters: metrics });
 *   metrics.refresh(); await metrics.registry.metrics();
 */
import { Counter, Gauge, Histogram } from './prom.ts';
import { bodyOf } from '../../engine/sync/apply/secondary-applier.ts';
import { UNKNOWN_TARGET } from '../../engine/sync/apply/refusals.ts';
import { requestSize, type ApplyCounters } from '../../engine/sync/sync-counters.ts';
import type { ApplyReplyMsg, ApplyRequestMsg } from '../../engine/sync/wire.ts';
import { PartCounter, partGauge, syncRegistry } from './metric-kit.ts';
import { syncPicture, type SyncPicture, type SyncPictureDeps } from './sync-picture.ts';

/** Apply latency buckets, in seconds: a batch applies in about a millisecond, a large snapshot chunk in a second. */
export const APPLY_SECONDS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

interface SideGauges {
  readonly lag: Gauge<'space' | 'part'>;
  readonly latency: Gauge<'space' | 'part'>;
  readonly online: Gauge<'space' | 'part'>;
}

export class ClusterMetrics implements ApplyCounters {
  readonly registry = syncRegistry('cluster');
  private readonly primary: SideGauges;
  private readonly secondary: SideGauges;
  private readonly stopped = new Gauge({ name: 'nebula_sync_stopped', help: 'Primary side: 1 while STOP SYNC is in effect for the space', labelNames: ['space'], registers: [this.registry] });
  private readonly appliedEntries = new PartCounter(this.registry, 'nebula_sync_applied_entries_total', 'Secondary side: entries (data entries and schema changes) in the batches this cluster applied');
  private readonly appliedBytes = new PartCounter(this.registry, 'nebula_sync_applied_bytes_total', 'Secondary side: payload bytes of the batches and snapshot chunks this cluster applied');
  private readonly snapshotRows = new PartCounter(this.registry, 'nebula_sync_snapshot_rows_applied_total', 'Secondary side: rows written from snapshot chunks (full sync)');
  private readonly applySeconds = new Histogram({
    name: 'nebula_sync_apply_duration_seconds',
    help: 'Secondary side: time to apply one accepted batch or snapshot chunk, durable on disk',
    labelNames: ['space'],
    buckets: APPLY_SECONDS_BUCKETS,
    registers: [this.registry],
  });
  private readonly refusals = new Counter({
    name: 'nebula_sync_refusals_total',
    help: `Secondary side: requests refused, by target space ("${UNKNOWN_TARGET}": a space this cluster does not have) and code`,
    labelNames: ['space', 'code'],
    registers: [this.registry],
  });
  private readonly histogramSpaces = new Set<string>();

  constructor(private readonly deps: SyncPictureDeps) {
    const side = (prefix: string, what: string): SideGauges => ({
      lag: partGauge(this.registry, `nebula_sync_${prefix}log_id_lag`, `${what}: LogId Lag of the partition`),
      latency: partGauge(this.registry, `nebula_sync_${prefix}time_latency_seconds`, `${what}: Time Latency of the partition, in seconds`),
      online: partGauge(this.registry, `nebula_sync_${prefix}online`, `${what}: 1 while the partition's Sync Status is ONLINE`),
    });
    this.primary = side('', 'Primary side (SHOW SYNC STATUS)');
    this.secondary = side('drainer_', 'Secondary side (SHOW DRAINER SYNC STATUS)');
  }

  /** The secondary applier's hook: count what an accepted batch or chunk carried. */
  answered(req: ApplyRequestMsg, answer: ApplyReplyMsg, ms: number): void {
    if (answer.code !== 0 || bodyOf(req) === 'position_only') return;
    const size = requestSize(req);
    this.appliedEntries.add(req.target_space, req.part, size.entries);
    this.appliedBytes.add(req.target_space, req.part, size.bytes);
    this.snapshotRows.add(req.target_space, req.part, size.snapshotRows);
    this.histogramSpaces.add(req.target_space);
    this.applySeconds.observe({ space: req.target_space }, ms / 1000);
  }

  picture(): SyncPicture {
    return syncPicture(this.deps);
  }

  /** Set the gauges from the status functions and forget series of spaces that are gone. */
  refresh(): void {
    const picture = this.picture();
    for (const gauges of [this.primary, this.secondary]) for (const g of Object.values(gauges)) g.reset();
    this.stopped.reset();
    for (const s of picture.spaces) {
      const gauges = s.side === 'primary' ? this.primary : this.secondary;
      if (s.side === 'primary') this.stopped.set({ space: s.space }, s.stopped ? 1 : 0);
      for (const p of s.parts) {
        const labels = { space: s.space, part: String(p.part) };
        gauges.lag.set(labels, p.logIdLag);
        gauges.latency.set(labels, p.timeLatencyMs / 1000);
        gauges.online.set(labels, p.status === 'ONLINE' ? 1 : 0);
      }
    }
    const spaces = this.deps.catalog().spaces;
    const exists = (space: string) => Object.hasOwn(spaces, space);
    for (const counter of [this.appliedEntries, this.appliedBytes, this.snapshotRows]) counter.prune(exists);
    for (const space of this.histogramSpaces) {
      if (exists(space)) continue;
      this.applySeconds.remove({ space });
      this.histogramSpaces.delete(space);
    }
    this.refreshRefusals([...Object.keys(spaces), UNKNOWN_TARGET]);
  }

  private refreshRefusals(spaces: readonly string[]): void {
    this.refusals.reset();
    for (const space of spaces) {
      const byCode = new Map<number, number>();
      for (const r of this.deps.refusals.list(space)) byCode.set(r.code, (byCode.get(r.code) ?? 0) + r.count);
      for (const [code, count] of byCode) this.refusals.inc({ space, code: String(code) }, count);
    }
  }
}
