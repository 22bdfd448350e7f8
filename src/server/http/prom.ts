/**
 * prom-client, loaded piece by piece. Its index loads everything, including the process-figure
 * collectors, which pull in @opentelemetry/api (about 80 modules, some 50 ms of a process's
 * start); a process needs only the registry and three metric kinds to start, so those are
 * required by path (prom-client has no `exports` map, so Node allows it) and the process
 * figures are loaded on the first scrape. Types come from the package's own declarations.
 */
import { createRequire } from 'node:module';
import type * as Prom from 'prom-client';

const require = createRequire(import.meta.url);

export const Registry = require('prom-client/lib/registry') as typeof Prom.Registry;
export const Counter = require('prom-client/lib/counter') as typeof Prom.Counter;
export const Gauge = require('prom-client/lib/gauge') as typeof Prom.Gauge;
export const Histogram = require('prom-client/lib/histogram') as typeof Prom.Histogram;

export type Registry = Prom.Registry;
export type Counter<T extends string> = Prom.Counter<T>;
export type Gauge<T extends string> = Prom.Gauge<T>;
export type Histogram<T extends string> = Prom.Histogram<T>;

/** prom-client's collectDefaultMetrics, loaded when first asked for. */
export function collectDefaultMetrics(config: Prom.DefaultMetricsCollectorConfiguration<Prom.RegistryContentType>): void {
  (require('prom-client/lib/defaultMetrics') as typeof Prom.collectDefaultMetrics)(config);
}
