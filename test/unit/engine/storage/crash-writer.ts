/**
 * Child process of crash.test.ts: writes to a space as fast as it can, several writes per tick, and
 * prints one JSON line per acknowledged write (`{ w, entries: [[part, logId], ...] }`) only after
 * its promise resolved, i.e. after COMMIT. The test kills it with SIGKILL at a random moment.
 * Usage: node --import tsx crash-writer.ts <dataPath>
 */
import { pathToFileURL } from 'node:url';
import { createStorageEngine } from '../../../../src/engine/storage/storage-engine.ts';
import type { DataOp } from '../../../../src/engine/storage/types.ts';

/** Enough to outlast any test; the parent kills the process long before. */
const WRITES_MAX = 200_000;
const WRITES_PER_TICK = 4;
const OPS_PER_WRITE = 20;

export function opsOfWrite(w: number): DataOp[] {
  const ops: DataOp[] = [];
  for (let j = 0; j < OPS_PER_WRITE; j++) {
    ops.push({ op: 'putTag', vid: `w${w}-${j}`, tagId: 1, ver: 0, props: { w: BigInt(w), j: BigInt(j) } });
  }
  ops.push({ op: 'putEdge', src: `w${w}-0`, etype: 2, rank: BigInt(w), dst: `w${w}-1`, ver: 0, props: {} });
  return ops;
}

async function main(dataPath: string): Promise<void> {
  const engine = createStorageEngine({ dataPath, walTtlSecs: 14400, fsync: true });
  const space = engine.openSpace(1, 7, 'FIXED_STRING');
  for (let w = 0; w < WRITES_MAX; w += WRITES_PER_TICK) {
    const batch = [];
    for (let k = w; k < w + WRITES_PER_TICK; k++) {
      batch.push(
        space.write(opsOfWrite(k)).then((written) => {
          process.stdout.write(JSON.stringify({ w: k, entries: written.map((x) => [x.part, x.entry.logId]) }) + '\n');
        }),
      );
    }
    await Promise.all(batch);
  }
  engine.close();
}

// Run only as the child's entry script, never when the test imports `opsOfWrite`.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv[2]!);
