/**
 * The live sync dashboard a cluster serves on its HTTP port: `/dashboard` (plain HTML, JS and CSS
 * from ./dashboard/, no build step) and the JSON it polls every second, `/api/sync` (the
 * syncPicture of sync-picture.ts). The chart library, uPlot, is a runtime dependency; its files
 * are served from node_modules, found the way Node finds a package, so a checkout, dist/ and an
 * installed package all serve the same files.
 *
 * @example
 *   const routes = dashboardRoutes(() => metrics.picture());
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { json, type HttpReply, type Route, type Routes } from './http-server.ts';
import type { SyncPicture } from './sync-picture.ts';

const HTML = 'text/html; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** Static files may be cached this long by the browser (they change only with the package). */
const STATIC_MAX_AGE_SECS = 300;

const require = createRequire(import.meta.url);

/**
 * Each file by its own `new URL(...)` literal: the build (scripts/build.mjs) copies exactly the
 * files named this way next to the bundle and rewrites the URL.
 */
const FILES: Readonly<Record<string, { readonly file: () => URL | string; readonly type: string }>> = {
  '/dashboard': { file: () => new URL('./dashboard/index.html', import.meta.url), type: HTML },
  '/dashboard/app.js': { file: () => new URL('./dashboard/app.js', import.meta.url), type: JS },
  '/dashboard/style.css': { file: () => new URL('./dashboard/style.css', import.meta.url), type: CSS },
  '/dashboard/uPlot.iife.min.js': { file: () => require.resolve('uplot/dist/uPlot.iife.min.js'), type: JS },
  '/dashboard/uPlot.min.css': { file: () => require.resolve('uplot/dist/uPlot.min.css'), type: CSS },
};

function staticRoute(file: () => URL | string, type: string): Route {
  let body: Promise<Buffer> | undefined;
  return async (): Promise<HttpReply> => {
    // Read once; a failed read is tried again on the next request.
    body ??= readFile(file()).catch((cause: Error) => {
      body = undefined;
      throw cause;
    });
    return { status: 200, type, body: await body, headers: { 'cache-control': `max-age=${STATIC_MAX_AGE_SECS}` } };
  };
}

export function dashboardRoutes(picture: () => SyncPicture): Routes {
  const routes: Record<string, Route> = { '/api/sync': () => json(picture()) };
  for (const [path, { file, type }] of Object.entries(FILES)) routes[path] = staticRoute(file, type);
  routes['/dashboard/'] = routes['/dashboard']!;
  return routes;
}
