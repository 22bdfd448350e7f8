/**
 * `nebula-sync playground --reset`: start from scratch by removing what the playground keeps in
 * its data folder (one sub-folder per process, logs/, tls/ and the set-up marker), and nothing
 * else. A folder that holds anything the playground did not make is refused as a whole: --reset
 * with a mistyped --data_path must never delete someone's files.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SETUP_MARKER } from './playground-state.ts';
import { allProcesses, type PlaygroundLayout } from './playground-topology.ts';

/** What the playground may have made in its data folder. */
function playgroundEntries(layout: PlaygroundLayout): Set<string> {
  return new Set([...allProcesses(layout).map((p) => p.name), 'logs', 'tls', SETUP_MARKER]);
}

/**
 * Remove the playground's own entries of `layout.dataPath`; answers what was removed (paths), or
 * an Error naming what the folder holds that is not the playground's (then nothing is removed).
 */
export function resetDataPath(layout: PlaygroundLayout): string[] | Error {
  const dir = layout.dataPath;
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) return new Error(`--reset: ${dir} is not a folder`);
  const known = playgroundEntries(layout);
  const entries = readdirSync(dir);
  const foreign = entries.filter((e) => !known.has(e));
  if (foreign.length > 0) {
    return new Error(
      `--reset: ${dir} holds ${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', ...' : ''}, which the playground did not make; ` +
        'nothing was removed. Point --data_path at the playground\'s own folder, or remove it by hand.',
    );
  }
  const removed: string[] = [];
  for (const entry of entries.sort()) {
    const path = join(dir, entry);
    rmSync(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}
