/**
 * Temporary storage engines for the storage tests: each in its own folder, closed and removed by
 * `cleanup()`, with an adjustable clock for retention tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../../../src/log.ts';
import { createStorageEngine } from '../../../../src/engine/storage/storage-engine.ts';
import type { StorageEngine } from '../../../../src/engine/storage/types.ts';

export interface TempEngine {
  readonly dir: string;
  engine: StorageEngine;
  /** The clock WAL entries are stamped with; tests move it. */
  clock: { now: number };
  /** Close and open the engine again on the same folder. */
  reopen(): StorageEngine;
  cleanup(): void;
}

export function tempEngine(opts: { walTtlSecs?: number; fsync?: boolean; log?: Logger } = {}): TempEngine {
  const dir = mkdtempSync(join(tmpdir(), 'nebula-sync-storage-'));
  const clock = { now: 1_700_000_000_000 };
  const make = (): StorageEngine =>
    createStorageEngine({ dataPath: dir, walTtlSecs: opts.walTtlSecs ?? 14400, fsync: opts.fsync ?? false, now: () => clock.now, ...(opts.log ? { log: opts.log } : {}) });
  const t: TempEngine = {
    dir,
    engine: make(),
    clock,
    reopen: () => {
      t.engine.close();
      t.engine = make();
      return t.engine;
    },
    cleanup: () => {
      t.engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}
