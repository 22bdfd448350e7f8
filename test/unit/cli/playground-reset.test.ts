// Pins `playground --reset`: it removes only what the playground makes in its data folder (process folders, logs, tls, the set-up marker) and refuses, removing nothing, a folder that holds anything else.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resetDataPath } from '../../../src/cli/playground-reset.ts';
import { playgroundLayout } from '../../../src/cli/playground-topology.ts';

const dirs: string[] = [];
function folder(entries: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'nebula-sync-reset-'));
  dirs.push(dir);
  for (const e of entries) {
    if (e.includes('.')) writeFileSync(join(dir, e), 'x');
    else mkdirSync(join(dir, e, 'inner'), { recursive: true });
  }
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('resetDataPath', () => {
  it("removes the playground's own entries and says which, keeping the folder", () => {
    const dir = folder(['primary', 'secondary', 'drainer', 'logs', 'tls', 'playground-setup.json']);
    const removed = resetDataPath(playgroundLayout(dir, 1));
    expect(removed).toEqual(['drainer', 'logs', 'playground-setup.json', 'primary', 'secondary', 'tls'].map((e) => join(dir, e)));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a folder holding anything else, and removes nothing', () => {
    const dir = folder(['primary', 'logs', 'thesis.tex']);
    const answer = resetDataPath(playgroundLayout(dir, 1));
    expect(answer).toBeInstanceOf(Error);
    expect((answer as Error).message).toMatch(/holds thesis\.tex, which the playground did not make; nothing was removed/);
    expect(readdirSync(dir).sort()).toEqual(['logs', 'primary', 'thesis.tex']);
  });

  it('has nothing to remove in a folder that does not exist', () => {
    const dir = join(folder([]), 'never-made');
    expect(resetDataPath(playgroundLayout(dir, 1))).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });
});
