/**
 * Meta.TailMetaWal as a tail source: for one space, batches whose `entries` are empty and whose
 * `schema_changes` are that space's tag and edge changes as full images, each batch still covering
 * its whole log id range (so partition 0's position and lag move over entries about anything
 * else). Users, roles, hosts, other spaces and password hashes never leave the primary on this
 * link. The changes come from the cluster's SchemaChangeLog, which replays the meta WAL once.
 */
import type { MetaStore } from '../../engine/meta/meta-store.ts';
import type { SchemaChangeLog } from '../../engine/sync/primary/schema-change-log.ts';
import type { SchemaChangeMsg, WalBatchMsg } from '../../engine/sync/wire.ts';
import { TAIL_BATCH_BYTES_MAX, TAIL_READ_ENTRIES_MAX, type TailSource, type TailStep } from './primary-tail.ts';

/** Bytes a change costs in a batch: its props and name (the rest is a few fixed fields). */
const changeBytes = (c: SchemaChangeMsg): number => c.props_json.length + c.name.length + c.comment.length;

/** `changes` cut into runs of at most TAIL_READ_ENTRIES_MAX changes and TAIL_BATCH_BYTES_MAX bytes. */
function runsOf(changes: readonly SchemaChangeMsg[]): SchemaChangeMsg[][] {
  const runs: SchemaChangeMsg[][] = [];
  let run: SchemaChangeMsg[] = [];
  let bytes = 0;
  for (const c of changes) {
    if (run.length > 0 && (run.length >= TAIL_READ_ENTRIES_MAX || bytes + changeBytes(c) > TAIL_BATCH_BYTES_MAX)) {
      runs.push(run);
      run = [];
      bytes = 0;
    }
    run.push(c);
    bytes += changeBytes(c);
  }
  runs.push(run);
  return runs;
}

/**
 * The batches that cover [from, to] for `spaceId`: consecutive ranges, each ending at its last
 * change, the final one at `to` (whose ts is `toTs`).
 */
export function metaBatches(
  log: SchemaChangeLog,
  spaceId: number,
  from: number,
  to: number,
  toTs: number,
  source: { lastLogId: number; lastTs: number },
): Partial<WalBatchMsg>[] {
  const runs = runsOf(log.changes(spaceId, from, to));
  let first = from;
  return runs.map((run, i) => {
    const final = i === runs.length - 1;
    const tail = run[run.length - 1];
    const last = final || tail === undefined ? to : Number(tail.log_id);
    const batch: Partial<WalBatchMsg> = {
      first_log_id: first,
      last_log_id: last,
      entries: [],
      schema_changes: run,
      last_ts: final || tail === undefined ? toTs : Number(tail.ts),
      source_last_log_id: source.lastLogId,
      source_last_ts: source.lastTs,
    };
    first = last + 1;
    return batch;
  });
}

/** The meta tail of space `spaceId`; `stopped` is the space's STOP SYNC. */
export function metaTailSource(store: MetaStore, log: SchemaChangeLog, spaceId: number, stopped: () => boolean): TailSource {
  return {
    stopped,
    read: (from, max): TailStep => {
      const to = log.catchUp(max);
      const source = { lastLogId: store.lastLogId(), lastTs: store.lastTs() };
      if (from > to) return { kind: 'batches', batches: [], next: from, lastLogId: source.lastLogId };
      return { kind: 'batches', batches: metaBatches(log, spaceId, from, to, log.ts, source), next: to + 1, lastLogId: source.lastLogId };
    },
    subscribe: (wake) => store.onCommit(() => wake()),
  };
}
