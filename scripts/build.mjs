#!/usr/bin/env node
/**
 * `npm run build` (and `prepare`, so `npm ci` leaves a ready build): bundles the command line into
 * dist/ with esbuild, so that a process starts without compiling TypeScript. Plain JavaScript, so it
 * runs before anything is built.
 *
 * - Three entries, code-split: src/cli/main.ts -> dist/main.js, the command line, where each
 *   subcommand's `import()` stays a separate chunk, so a listener never loads the cluster and
 *   `--help` loads only the commands; src/index.ts -> dist/index.js, the library (the package's
 *   `exports`), sharing chunks with the command line; and the storage writer thread,
 *   src/engine/storage/storage-worker.ts -> dist/storage-worker.js, beside the chunks, where
 *   storage-worker-client.ts starts it from.
 * - dist/index.d.ts, the library's declarations in one file (scripts/api-types.mjs), except with
 *   --if-stale: that is the test run's build, and processes need only the JavaScript.
 * - Packages stay external (node_modules, resolved by Node at run time), except INLINED ones.
 * - `new URL('<relative path>', import.meta.url)` in a source names a file next to that source;
 *   in a bundle `import.meta.url` is the chunk's. Such a path is rewritten: a file under src/ is
 *   copied to dist/assets/ and pointed to there; any other file of the package (bin/...) is
 *   pointed to from dist/. A path whose file does not exist fails the build.
 *
 *   node scripts/build.mjs            build
 *   node scripts/build.mjs --if-stale build the JavaScript only when a source is newer than the last build
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const SRC = join(ROOT, 'src');
/** Written last; its time is the build's, for --if-stale. */
const STAMP = join(DIST, '.built');
/** Folders whose files go into the bundle (grammar/ through the parser, bench/ through `nebula-sync bench`). */
const SOURCE_DIRS = ['src', 'grammar', 'bench'].map((d) => join(ROOT, d));
/**
 * Packages bundled into dist/ instead of loaded from node_modules: chevrotain's ESM build imports
 * lodash-es file by file (hundreds of modules), which alone took about half a second of a
 * cluster's start; bundled, esbuild keeps only the functions it uses.
 */
const INLINED = ['chevrotain'];
/** Written by the declarations step (scripts/api-types.mjs), not by esbuild: kept by the cleanup. */
const DIST_TYPES = join(DIST, 'index.d.ts');
const ASSET_URL = /new URL\((['"])(\.{1,2}\/[^'"]+)\1,\s*import\.meta\.url\)/g;

const toUrlPath = (path) => path.split(sep).join('/');

/** Newest modification time (ms) of any file under `dir`, docs aside. */
function newestMtimeMs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name.endsWith('.md')) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return newest;
}

/** True when dist/ is missing or older than a source, this script or package.json. */
export function isStale() {
  if (!existsSync(STAMP) || !existsSync(join(DIST, 'main.js')) || !existsSync(join(DIST, 'index.js'))) return true;
  const built = statSync(STAMP).mtimeMs;
  const inputs = [join(ROOT, 'scripts/build.mjs'), join(ROOT, 'package.json')].map((f) => statSync(f).mtimeMs);
  return Math.max(...inputs, ...SOURCE_DIRS.map(newestMtimeMs)) > built;
}

/** The esbuild plugin that rewrites asset URLs (see the module comment). */
function assetUrls(copies) {
  return {
    name: 'asset-urls',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const errors = [];
        const contents = text.replace(ASSET_URL, (whole, quote, rel) => {
          const target = resolve(dirname(args.path), rel);
          if (!existsSync(target)) {
            errors.push({ text: `${rel} names ${target}, which does not exist` });
            return whole;
          }
          const underSrc = !relative(SRC, target).startsWith('..');
          const inDist = underSrc ? join(DIST, 'assets', relative(SRC, target)) : target;
          if (underSrc) copies.set(inDist, target);
          const url = toUrlPath(relative(DIST, inDist));
          return `new URL(${quote}${url.startsWith('../') ? url : `./${url}`}${quote}, import.meta.url)`;
        });
        return { contents, loader: 'ts', errors };
      });
    },
  };
}

/**
 * Every package the project names except those in INLINED, each with its subpaths: Node loads
 * them from node_modules at run time.
 */
function externalPackages() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((n) => !INLINED.includes(n));
  return names.flatMap((n) => [n, `${n}/*`]);
}

export async function buildDist() {
  const copies = new Map();
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: {
      main: 'src/cli/main.ts',
      index: 'src/index.ts',
      'storage-worker': 'src/engine/storage/storage-worker.ts',
    },
    outdir: DIST,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: externalPackages(),
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [assetUrls(copies)],
  });
  for (const [to, from] of copies) {
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
  }
  // Chunks of an earlier build that this one did not write (their names carry a content hash).
  const written = new Set([...Object.keys(result.metafile.outputs).map((o) => resolve(ROOT, o)), ...copies.keys(), DIST_TYPES]);
  for (const entry of readdirSync(DIST, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath ?? entry.path, entry.name);
    if (entry.isFile() && path !== STAMP && !written.has(path)) rmSync(path);
  }
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ifStale = process.argv.includes('--if-stale');
  if (ifStale && !isStale()) process.exit(0);
  await buildDist();
  if (!ifStale) {
    // Loaded here: the TypeScript compiler takes a while to load, and --if-stale never needs it.
    const { buildApiTypes } = await import('./api-types.mjs');
    writeFileSync(DIST_TYPES, buildApiTypes().dts);
  }
}
