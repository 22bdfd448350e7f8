// Pins that the checked-in API report (api/nebula-sync.api.d.ts) and the generated reference
// (docs/api/) match the public API in src/, so that a change of the public surface cannot reach
// review without its report diff, and that the report exports exactly what src/index.ts does.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.ts';

const REPO = resolve(import.meta.dirname, '../..');
/** Each check compiles the sources with TypeScript (typedoc for the docs): slow on a loaded machine. */
const CHECK_MS_MAX = 240_000;

function run(script: string): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO, 'scripts', script), '--check'], { cwd: REPO, encoding: 'utf8', timeout: CHECK_MS_MAX });
  return { status: r.status, stderr: r.stderr + (r.error?.message ?? '') };
}

describe('the API report and the reference', () => {
  it('api/nebula-sync.api.d.ts is what scripts/api-types.mjs makes from src/ (npm run api:update)', () => {
    const r = run('api-types.mjs');
    expect(r.status, r.stderr).toBe(0);
  }, CHECK_MS_MAX);

  it('the report exports the values src/index.ts exports, and no others', () => {
    const report = readFileSync(join(REPO, 'api/nebula-sync.api.d.ts'), 'utf8');
    const values = /^export \{ (.*) \};$/m.exec(report)?.[1]?.split(', ') ?? [];
    expect(values.sort()).toEqual(Object.keys(api).sort());
  });

  it('docs/api/ is what scripts/api-docs.mjs makes from the TSDoc (npm run docs:api)', () => {
    const r = run('api-docs.mjs');
    expect(r.status, r.stderr).toBe(0);
  }, CHECK_MS_MAX);
});
