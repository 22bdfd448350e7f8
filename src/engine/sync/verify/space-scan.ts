/**
 * One pass over every row of a space read view, summing row hashes per SOURCE partition.
 *
 * On the primary the source partition is the row's own partition. On a secondary the rows of one
 * source partition may sit in any of its own partitions (its partition count may differ), so the
 * row's vid (an edge's src) is hashed with the source's partition count, as NebulaGraph places
 * vids (partition-of.ts); with the same count and vid type that is the row's partition again.
 *
 * The scan reads a page at a time and lets the event loop run every VERIFY_SCAN_SLICE_MS, so the
 * process keeps serving writes (and the applies a verify releases) while it scans; it gives up
 * past VERIFY_SCAN_MS_MAX or when its signal aborts.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { partOfIntHalves, partOfString } from '../../storage/partition-of.ts';
import type { SpaceReadView } from '../../storage/space-read-view.ts';
import type { PartSums } from './part-sums.ts';
import { digest, digestEdge, digestTag, type SchemaNames } from './row-digest.ts';
import { VERIFY_SCAN_MS_MAX, VERIFY_SCAN_PAGE_ROWS, VERIFY_SCAN_SLICE_MS } from './verify-limits.ts';

/** Where a row's source partition comes from. */
export type PartPlacement =
  /** The row's own partition (a primary, or a secondary with the source's count and vid type). */
  | { readonly kind: 'own' }
  /** Hash the vid with the source's partition count. */
  | { readonly kind: 'hash'; readonly partitions: number };

export interface ScanPlan {
  readonly view: SpaceReadView;
  readonly tags: SchemaNames;
  readonly edges: SchemaNames;
  readonly placement: PartPlacement;
  readonly sums: PartSums;
  /** Called for every counted row, after `digest` holds its hashes (keys listing). */
  readonly onRow?: (kind: 'TAG' | 'EDGE', part: number, row: readonly unknown[]) => void;
  readonly signal?: AbortSignal;
}

export interface ScanResult {
  /** Rows counted (rows of unknown schemas are skipped and not counted). */
  readonly rows: number;
  readonly ms: number;
  /** CPU time of the whole process meanwhile (the scan's, plus whatever else it served). */
  readonly cpuMs: number;
}

function partOf(placement: PartPlacement, row: readonly unknown[], vidAt: number): number {
  if (placement.kind === 'own') return row[0] as number;
  const a = row[vidAt];
  if (typeof a === 'number') return partOfIntHalves(a, row[vidAt + 1] as number, placement.partitions);
  return partOfString(a as string, placement.partitions);
}

export async function scanSpace(plan: ScanPlan): Promise<ScanResult> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const { view, sums, placement, onRow } = plan;
  let rows = 0;
  let sliceStart = performance.now();
  const pass = async (kind: 'TAG' | 'EDGE'): Promise<void> => {
    const pager = kind === 'TAG' ? view.tags() : view.edges();
    for (;;) {
      const page = pager.next(VERIFY_SCAN_PAGE_ROWS);
      for (const row of page) {
        const known = kind === 'TAG' ? digestTag(row, plan.tags) : digestEdge(row, plan.edges);
        if (!known) continue;
        const part = partOf(placement, row, 1);
        sums.add(part, digest.keyA, digest.rowA, digest.rowB);
        onRow?.(kind, part, row);
        rows++;
      }
      if (page.length < VERIFY_SCAN_PAGE_ROWS) return;
      const now = performance.now();
      if (now - sliceStart < VERIFY_SCAN_SLICE_MS) continue;
      await nextTurn();
      sliceStart = performance.now();
      if (plan.signal?.aborted) throw new Error('the scan was cancelled');
      if (sliceStart - started > VERIFY_SCAN_MS_MAX) throw new Error(`the scan took longer than ${VERIFY_SCAN_MS_MAX} ms`);
    }
  };
  await pass('TAG');
  await pass('EDGE');
  const used = process.cpuUsage(cpu);
  return { rows, ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}
