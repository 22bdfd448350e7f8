/**
 * Vitest global setup: integration tests spawn `bin/nebula-sync.js`, which runs the compiled
 * dist/, so dist/ must be built from the sources under test. Builds only when a source is newer
 * than the last build (esbuild, about a second); type checking stays in `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '..');
const BUILD_TIMEOUT_MS = 120_000;

export default function setup(): void {
  const run = spawnSync(process.execPath, [join(REPO, 'scripts/build.mjs'), '--if-stale'], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: BUILD_TIMEOUT_MS,
  });
  if (run.status !== 0) throw new Error(`building dist/ failed (node scripts/build.mjs):\n${run.stdout}${run.stderr}${run.error?.message ?? ''}`);
}
