/**
 * The last step of every data statement: write the ops it built. A statement that read the rows
 * it changes (UPDATE, INSERT IF NOT EXISTS, DELETE) builds them inside the store's read-then-write
 * step, so that it sees every write committed before it and no write slips between its reads and
 * its own (storage's `readThenWrite`); one that only writes (a plain INSERT) just writes.
 */
import type { DataOp, SpaceStore } from '../../engine/storage/types.ts';
import { ok, type Result } from '../../errors.ts';

export interface Built<T> {
  readonly ops: readonly DataOp[];
  readonly value: T;
}

/** Build and write; `reads` says whether `build` reads the store. Answers build's value or error. */
export async function writeBuilt<T>(store: SpaceStore, reads: boolean, build: () => Result<Built<T>>): Promise<Result<T>> {
  if (!reads) {
    const built = build();
    if (!built.ok) return built;
    if (built.value.ops.length > 0) await store.write(built.value.ops);
    return ok(built.value.value);
  }
  return store.readThenWrite((): { ops: readonly DataOp[]; value: Result<T> } => {
    const built = build();
    return built.ok ? { ops: built.value.ops, value: ok(built.value.value) } : { ops: [], value: built };
  });
}
