/**
 * The routes every process answers on its HTTP port (docs/http.md): `/status`, `/flags`,
 * `/stats` and `/metrics`, plus whatever the process adds (a cluster adds its dashboard). The
 * sync figures are refreshed from the live state right before /stats or /metrics renders them;
 * /metrics also carries the process figures (process_*, nodejs_*).
 *
 * @example
 *   const http = new HttpService(processRoutes({ status: () => ({}), flags: () => flags, metrics }));
 */
import type { Registry } from './prom.ts';
import { text, type Route, type Routes } from './http-server.ts';
import { flagsRoute, metricsRoute, statsRoute, statusRoute, type FlagValue } from './info-pages.ts';
import { processMetrics } from './metric-kit.ts';

/** A process's sync figures: its registry, and how to bring the gauges up to date. */
export interface ProcessMetrics {
  readonly registry: Registry;
  refresh(): void;
}

export interface ProcessRoutesOptions {
  /** Fields /status adds to NebulaGraph's two. */
  readonly status: () => Readonly<Record<string, unknown>>;
  /** The process's resolved flags, in --help order. */
  readonly flags: () => Readonly<Record<string, FlagValue>>;
  readonly metrics: ProcessMetrics;
  /** More routes (they may not replace the common ones). */
  readonly routes?: Routes;
}

export function processRoutes(options: ProcessRoutesOptions): Routes {
  const refreshed =
    (route: Route): Route =>
    (url) => {
      options.metrics.refresh();
      return route(url);
    };
  const common: Record<string, Route> = {
    '/status': statusRoute(options.status),
    '/flags': flagsRoute(options.flags),
    '/stats': refreshed(statsRoute(options.metrics.registry)),
    '/metrics': refreshed(metricsRoute(() => [options.metrics.registry, processMetrics()])),
  };
  const all = { ...options.routes, ...common };
  const index = Object.keys(all).sort().map((path) => `${path}\n`).join('');
  return { ...all, '/': () => text(index) };
}
