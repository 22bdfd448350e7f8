/**
 * A listener's figures for /metrics and /stats (docs/metrics.md): what its part shippers sent to
 * the drainer (the ShipCounters hook of src/engine/sync/listener/part-shipper.ts), and per
 * partition whether it ships and the position the drainer acknowledged. Series exist only for
 * spaces the listener is assigned.
 *
 * @example
 *   const metrics = new ListenerMetrics(() => listener.partStates(), () => reporter.spaces());
 *   new PartShipper({ ..., counters: metrics });
 */
import { requestSize, type ShipCounters } from '../../engine/sync/sync-counters.ts';
import type { ShipRequestMsg } from '../../engine/sync/wire.ts';
import { PartCounter, partGauge, syncRegistry } from './metric-kit.ts';

/** One assigned partition as the listener knows it. */
export interface ListenerPartState {
  readonly space: string;
  readonly part: number;
  readonly shipping: boolean;
  readonly ackedLogId: number;
}

export class ListenerMetrics implements ShipCounters {
  readonly registry = syncRegistry('listener');
  private readonly entries = new PartCounter(this.registry, 'nebula_sync_shipped_entries_total', 'Entries (data entries and schema changes) sent to the drainer; a batch sent again after a reconnect counts again');
  private readonly bytes = new PartCounter(this.registry, 'nebula_sync_shipped_bytes_total', 'Payload bytes of the batches and snapshot chunks sent to the drainer');
  private readonly snapshotRows = new PartCounter(this.registry, 'nebula_sync_snapshot_rows_shipped_total', 'Rows sent in snapshot chunks (full sync)');
  private readonly shipping = partGauge(this.registry, 'nebula_sync_listener_shipping', '1 while the partition is connected to its drainer and shipping');
  private readonly acked = partGauge(this.registry, 'nebula_sync_listener_acked_log_id', 'The last log id the drainer acknowledged (durable on the secondary)');

  constructor(
    private readonly parts: () => readonly ListenerPartState[],
    /** Spaces the listener is assigned, shipping or stopped: the others' series are dropped. */
    private readonly spaces: () => Iterable<string>,
  ) {}

  sent(space: string, part: number, req: ShipRequestMsg): void {
    const size = requestSize(req);
    this.entries.add(space, part, size.entries);
    this.bytes.add(space, part, size.bytes);
    this.snapshotRows.add(space, part, size.snapshotRows);
  }

  refresh(): void {
    this.shipping.reset();
    this.acked.reset();
    for (const p of this.parts()) {
      const labels = { space: p.space, part: String(p.part) };
      this.shipping.set(labels, p.shipping ? 1 : 0);
      this.acked.set(labels, p.ackedLogId);
    }
    const spaces = new Set(this.spaces());
    for (const counter of [this.entries, this.bytes, this.snapshotRows]) counter.prune((space) => spaces.has(space));
  }
}
