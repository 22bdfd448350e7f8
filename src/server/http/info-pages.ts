/**
 * The pages NebulaGraph's daemons answer on their HTTP port, in NebulaGraph's shapes, so scripts
 * written for NebulaGraph read ours:
 * - `/status`: `{"git_info_sha":"...","status":"running"}` plus what this process adds.
 * - `/flags`: every flag as `name=value` lines, strings quoted; `?flags=a,b` only those (an
 *   unknown one reads `name=nullptr`); `?format=json` gives `{"flags":[{"name":..,"value":..}]}`.
 * - `/stats`: counters and gauges as `name=value` lines, labels NebulaGraph's way
 *   (`name{space=s,part=1}=0`); `?stats=a,b` only those names; `?format=json` gives
 *   `[{"value":..,"name":".."}]`.
 * - `/metrics`: the Prometheus text format (docs/metrics.md lists every name).
 */
import type { Registry } from './prom.ts';
import { GIT_INFO_SHA } from '../../engine/meta/version.ts';
import { json, text, type HttpReply, type Route } from './http-server.ts';

export type FlagValue = string | number | boolean;

/** `/status`: NebulaGraph's two fields, then `extra` (e.g. internal_links, graph_ssl). */
export function statusRoute(extra: () => Readonly<Record<string, unknown>>): Route {
  return () => json({ git_info_sha: GIT_INFO_SHA, status: 'running', ...extra() });
}

const listParam = (url: URL, name: string): string[] | undefined => {
  const raw = url.searchParams.get(name);
  return raw === null ? undefined : raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
};

const wantsJson = (url: URL): boolean => url.searchParams.get('format') === 'json';

function flagText(value: FlagValue | null): string {
  if (value === null) return 'nullptr';
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/** `/flags` over the process's resolved flag values, in the order given. */
export function flagsRoute(flags: () => Readonly<Record<string, FlagValue>>): Route {
  return (url) => {
    const all = flags();
    const names = listParam(url, 'flags') ?? Object.keys(all);
    const rows = names.map((name) => ({ name, value: Object.hasOwn(all, name) ? all[name]! : null }));
    if (wantsJson(url)) return json({ flags: rows });
    return text(rows.map((r) => `${r.name}=${flagText(r.value)}\n`).join(''));
  };
}

interface StatRow {
  readonly name: string;
  readonly base: string;
  readonly value: number;
}

/** Counters and gauges one per label set; histograms as their _sum and _count. */
async function statRows(registry: Registry): Promise<StatRow[]> {
  const rows: StatRow[] = [];
  for (const metric of await registry.getMetricsAsJSON()) {
    for (const sample of metric.values) {
      const base = (sample as { metricName?: string }).metricName ?? metric.name;
      if (base.endsWith('_bucket')) continue;
      const labels = Object.entries(sample.labels).map(([k, v]) => `${k}=${String(v)}`);
      rows.push({ base, name: labels.length === 0 ? base : `${base}{${labels.join(',')}}`, value: sample.value });
    }
  }
  return rows;
}

/** `/stats` over one registry (the process's sync figures, not its process figures). */
export function statsRoute(registry: Registry): Route {
  return async (url) => {
    const wanted = listParam(url, 'stats');
    const rows = (await statRows(registry)).filter((r) => wanted === undefined || wanted.includes(r.base) || wanted.includes(r.name));
    if (wantsJson(url)) return json(rows.map((r) => ({ value: r.value, name: r.name })));
    return text(rows.map((r) => `${r.name}=${r.value}\n`).join(''));
  };
}

/** `/metrics`: each registry's text, one after the other (their names do not overlap). */
export function metricsRoute(registries: () => readonly Registry[]): Route {
  return async (): Promise<HttpReply> => {
    const parts = await Promise.all(registries().map((r) => r.metrics()));
    return { status: 200, type: registries()[0]?.contentType ?? 'text/plain; version=0.0.4; charset=utf-8', body: parts.join('\n') };
  };
}
