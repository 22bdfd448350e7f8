/**
 * A consistent picture of one partition, for full sync (DESIGN rule 5).
 *
 * It opens its own read-only connection and holds a read transaction on it: in WAL mode SQLite
 * then keeps serving that connection the database as of the transaction's first read, while the
 * live connection goes on committing. The first read is the partition's state, so `logId` is
 * exactly the last entry the rows reflect. Rows are streamed lazily with `.iterate()`, each one
 * verified against its checksum as it is read (a damaged row throws `StorageDamagedError` in the
 * middle of the stream, so it is never shipped), its props left as stored (`encodedProps`) for a
 * snapshot to ship as they are; `close()` ends any iteration still running, the
 * transaction and the connection.
 *
 * It is also the way to read every row of one partition, verified: a scrub or a verifier
 * iterates `tags()` and `edges()` and closes it.
 */
import { strict as assert } from 'node:assert';
import Database from 'better-sqlite3';
import type { VidType } from './space-schema.ts';
import { prepareRowReads, type RowDecoder } from './space-statements.ts';
import type { EdgeRow, PartitionSnapshot, TagRow } from './types.ts';

export function openPartitionSnapshot(
  file: string,
  vidType: VidType,
  part: number,
  decode: RowDecoder,
  onClose: (s: PartitionSnapshot) => void,
): PartitionSnapshot {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const reads = prepareRowReads(db, vidType);
  db.prepare('BEGIN').run();
  const state = reads.stateOfPart.get(part) as number[] | undefined;
  assert(state !== undefined, `partition ${part} has no state`);
  const live = new Set<Iterator<unknown>>();
  let closed = false;

  function* rows<T>(start: () => IterableIterator<unknown[]>, map: (r: unknown[]) => T): IterableIterator<T> {
    assert(!closed, 'snapshot is closed');
    const iter = start();
    live.add(iter);
    try {
      for (const r of iter) yield map(r);
    } finally {
      live.delete(iter);
    }
  }

  const snapshot: PartitionSnapshot = {
    logId: state[0]!,
    ts: state[1]!,
    tags: (): IterableIterator<TagRow> => rows(() => reads.tagsOfPart.iterate(part) as IterableIterator<unknown[]>, decode.tagEncoded),
    edges: (): IterableIterator<EdgeRow> =>
      rows(() => reads.edgesOfPart.iterate(part) as IterableIterator<unknown[]>, decode.edgeEncoded),
    close: (): void => {
      if (closed) return;
      closed = true;
      for (const it of live) it.return?.();
      live.clear();
      db.prepare('COMMIT').run();
      db.close();
      onClose(snapshot);
    },
  };
  return snapshot;
}
