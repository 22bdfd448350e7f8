// Pins docs/metrics.md and examples/grafana-dashboard.json to the code: every metric any process
// exposes (cluster, listener, drainer, process figures) is documented, every nebula_sync_ name the
// page documents exists, and every metric the Grafana dashboard queries is one a process exposes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyCatalog } from '../../../../src/catalog/empty.ts';
import { ProgressRegistry } from '../../../../src/engine/meta/progress.ts';
import { RefusalRegistry } from '../../../../src/engine/sync/apply/refusals.ts';
import type { SyncRuntime } from '../../../../src/executor/types.ts';
import { ClusterMetrics } from '../../../../src/server/http/cluster-metrics.ts';
import { DrainerMetrics } from '../../../../src/server/http/drainer-metrics.ts';
import { ListenerMetrics } from '../../../../src/server/http/listener-metrics.ts';
import { processMetrics } from '../../../../src/server/http/metric-kit.ts';
import { REPO } from '../../../helpers/processes.ts';

const noSync: SyncRuntime = { listenerStatus: () => 'OFFLINE', drainerStatus: () => 'OFFLINE', syncStatus: () => [], drainerSyncStatus: () => [], syncErrors: () => [] };

async function exposedNames(): Promise<string[]> {
  const registries = [
    new ClusterMetrics({ catalog: emptyCatalog, sync: noSync, progress: new ProgressRegistry(), refusals: new RefusalRegistry(), now: Date.now }).registry,
    new ListenerMetrics(() => [], () => []).registry,
    new DrainerMetrics(() => 0, () => new Set()).registry,
    processMetrics(),
  ];
  const names = await Promise.all(registries.map(async (r) => (await r.getMetricsAsJSON()).map((m) => m.name)));
  return [...new Set(names.flat())].sort();
}

describe('docs/metrics.md', () => {
  const page = readFileSync(join(REPO, 'docs', 'metrics.md'), 'utf8');

  it('documents every metric name a process exposes', async () => {
    const missing = (await exposedNames()).filter((name) => !page.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('documents no nebula_sync_ metric that does not exist', async () => {
    const exposed = new Set(await exposedNames());
    const documented = [...page.matchAll(/`(nebula_sync_\w+)`/g)].map((m) => m[1]!);
    expect(documented.filter((name) => !exposed.has(name))).toEqual([]);
  });

  it('is what the Grafana dashboard in examples/ queries, and nothing else', async () => {
    const exposed = new Set(await exposedNames());
    const dashboard = JSON.parse(readFileSync(join(REPO, 'examples', 'grafana-dashboard.json'), 'utf8')) as { panels: { targets?: { expr: string }[] }[] };
    const exprs = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
    expect(exprs.length).toBeGreaterThan(10);
    const queried = exprs.flatMap((e) => [...e.matchAll(/\b((?:nebula_sync|process|nodejs)_\w+)/g)].map((m) => m[1]!.replace(/_(bucket|sum|count)$/, '')));
    expect([...new Set(queried)].filter((name) => !exposed.has(name))).toEqual([]);
  });
});
