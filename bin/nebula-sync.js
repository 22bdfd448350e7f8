#!/usr/bin/env node
// Runs the compiled command line: dist/, made by `npm run build` (`npm ci` runs it as `prepare`).
// In a checkout (scripts/ is there; an installed package has none) it warns when a source is
// newer than the build, so that an edit is not silently left out.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/main.js', import.meta.url);
const stamp = new URL('../dist/.built', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('nebula-sync: dist/ is missing; run `npm run build` (npm ci and npm install run it)\n');
  process.exit(1);
}

/** The first file under `dir` (docs aside) modified after `sinceMs`, or undefined. */
function newerFile(dir, sinceMs) {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name.endsWith('.md')) continue;
    const path = `${entry.parentPath ?? entry.path}/${entry.name}`;
    if (statSync(path).mtimeMs > sinceMs) return path;
  }
  return undefined;
}

if (existsSync(new URL('../scripts/build.mjs', import.meta.url)) && existsSync(stamp)) {
  const builtMs = statSync(stamp).mtimeMs;
  const newer = ['../src', '../grammar', '../bench'].map((d) => fileURLToPath(new URL(d, import.meta.url))).filter(existsSync).map((d) => newerFile(d, builtMs)).find((f) => f !== undefined);
  if (newer !== undefined) process.stderr.write(`nebula-sync: warning: ${newer} is newer than dist/; run \`npm run build\` to run the current sources\n`);
}
await import(main.href);
