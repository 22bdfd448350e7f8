/**
 * A drainer's figures for /metrics and /stats (docs/metrics.md): what it forwarded and the
 * secondary accepted (the ForwardCounters hook of src/engine/sync/drainer/ship-stream.ts), and
 * how many Ship streams it holds. Series exist only for target spaces that added this drainer.
 *
 * @example
 *   const metrics = new DrainerMetrics(() => drainer.streamCount(), () => assignment.targets);
 */
import { Gauge } from './prom.ts';
import { requestSize, type ForwardCounters } from '../../engine/sync/sync-counters.ts';
import type { ShipRequestMsg } from '../../engine/sync/wire.ts';
import { PartCounter, syncRegistry } from './metric-kit.ts';

export class DrainerMetrics implements ForwardCounters {
  readonly registry = syncRegistry('drainer');
  private readonly entries = new PartCounter(this.registry, 'nebula_sync_forwarded_entries_total', 'Entries (data entries and schema changes) the secondary accepted from this drainer');
  private readonly bytes = new PartCounter(this.registry, 'nebula_sync_forwarded_bytes_total', 'Payload bytes of the batches and snapshot chunks the secondary accepted from this drainer');
  private readonly snapshotRows = new PartCounter(this.registry, 'nebula_sync_snapshot_rows_forwarded_total', 'Snapshot rows the secondary accepted from this drainer');
  private readonly streams = new Gauge({ name: 'nebula_sync_drainer_streams', help: 'Ship streams from listeners open on this drainer', registers: [this.registry] });

  constructor(
    private readonly streamCount: () => number,
    private readonly targets: () => ReadonlySet<string>,
  ) {}

  forwarded(space: string, part: number, req: ShipRequestMsg): void {
    const size = requestSize(req);
    this.entries.add(space, part, size.entries);
    this.bytes.add(space, part, size.bytes);
    this.snapshotRows.add(space, part, size.snapshotRows);
  }

  refresh(): void {
    this.streams.set(this.streamCount());
    const targets = this.targets();
    for (const counter of [this.entries, this.bytes, this.snapshotRows]) counter.prune((space) => targets.has(space));
  }
}
