// Pins the live sync dashboard in a real browser (Debian's chromium driven by playwright-core):
// served on the cluster's HTTP port, it shows the seed space's 16 partitions on the primary and
// the secondary, its lag figure rises while sync is stopped and the primary takes writes, and it
// falls back to 0 after RESTART SYNC, without a script error. UPDATE_SCREENSHOT=1 also saves the
// page as docs/dashboard.png (the README shows it).
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GraphClient } from '../../src/client/graph-client.ts';
import { REPO, stopAll } from '../helpers/processes.ts';
import { eventually, must, PRIMARY_SPACE, setUpSync, startTopology, TARGET_SPACE, type Topology } from '../helpers/topology.ts';

const CHROMIUM = '/usr/bin/chromium';
/** Without the background-networking flags chromium keeps calling home, refused on a closed network. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const VIEWPORT = { width: 1280, height: 900 };
const WAIT_MS = 60_000;
/** Vertices written while sync is stopped: the lag the page must show. */
const STOPPED_WRITES = 24;
/** Taking docs/dashboard.png: each phase then lasts longer, so the chart has a story to show. */
const SCREENSHOT = process.env['UPDATE_SCREENSHOT'] === '1';
const PHASE_MS = SCREENSHOT ? 20_000 : 0;
const PACE_MS = 250;

let t: Topology;
let clients: { primary: GraphClient; secondary: GraphClient };
let profile: string;
let browser: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
let written = 0;

const card = (space: string, side: 'primary' | 'secondary') => `section.space[data-space="${space}"][data-side="${side}"]`;

async function figure(selector: string): Promise<string> {
  return (await page.textContent(selector)) ?? '';
}

/** Waits (in the page) until `selector`'s text, read as a number, passes `test`. */
async function waitFigure(selector: string, test: 'zero' | 'positive'): Promise<void> {
  await page.waitForFunction(
    ([sel, want]) => {
      const text = document.querySelector(sel)?.textContent ?? '';
      const n = Number(text);
      return text !== '' && !Number.isNaN(n) && (want === 'zero' ? n === 0 : n > 0);
    },
    [selector, test] as const,
    { timeout: WAIT_MS },
  );
}

/** Insert `count` players on the primary, one statement each, spread over the partitions. */
async function writePlayers(count: number): Promise<void> {
  for (let i = 0; i < count; i++, written++) {
    await must(clients.primary, `INSERT VERTEX player(name, age) VALUES "dash${written}":("Player ${written}", ${20 + (written % 20)})`);
  }
}

/** One player every PACE_MS for `ms` (nothing when 0): a steady trickle of writes. */
async function writeSteadily(ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await writePlayers(1);
    await new Promise((r) => setTimeout(r, PACE_MS));
  }
}

beforeAll(async () => {
  t = await startTopology();
  clients = await setUpSync(t);
  await must(clients.primary, 'CREATE TAG player(name string, age int)');
  await must(clients.primary, 'CREATE EDGE follow(degree int)');
  await eventually('the schema on the secondary', async () => (await clients.secondary.execute('DESCRIBE TAG player')).errorCode === 0, WAIT_MS);
  profile = mkdtempSync(join(tmpdir(), 'nebula-sync-chromium-'));
  browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: VIEWPORT });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('pageerror', (err) => pageErrors.push(err.message));
}, 180_000);

afterEach((ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  for (const name of ['primary', 'secondary', 'storageListener', 'drainer'] as const) console.error(`--- ${name} log tail ---\n${t[name].stderr().slice(-3000)}`);
});

afterAll(async () => {
  await browser?.close();
  if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  await clients?.primary.close();
  await clients?.secondary.close();
  await stopAll();
});

describe('the sync dashboard in a browser', () => {
  it("shows the secondary's target space with its 16 partitions", async () => {
    await writePlayers(3);
    await page.goto(`http://127.0.0.1:${t.secondary.ports.http}/dashboard`);
    await page.waitForSelector(`${card(TARGET_SPACE, 'secondary')} tr.part-row >> nth=15`, { timeout: WAIT_MS });
    expect(await page.locator(`${card(TARGET_SPACE, 'secondary')} tr.part-row`).count()).toBe(16);
    expect(await figure(`${card(TARGET_SPACE, 'secondary')} .peer`)).toMatch(new RegExp(`receives from .*/${PRIMARY_SPACE}$`));
    expect(await page.isVisible(`${card(TARGET_SPACE, 'secondary')} .no-refusals`)).toBe(true);
  }, 120_000);

  it('shows the primary space live: 16 partitions at lag 0, the lag rising while sync is stopped, back to 0 after RESTART SYNC', async () => {
    const primary = card(PRIMARY_SPACE, 'primary');
    await page.goto(`http://127.0.0.1:${t.primary.ports.http}/dashboard`);
    await page.waitForSelector(`${primary} tr.part-row >> nth=15`, { timeout: WAIT_MS });
    expect(await page.locator(`${primary} tr.part-row`).count()).toBe(16);
    expect(await figure(`${primary} .peer`)).toBe(`ships to ${TARGET_SPACE}`);
    await waitFigure(`${primary} .total-lag`, 'zero');
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === '16/16', `${primary} .online`, { timeout: WAIT_MS });
    // Some traffic while syncing, so the chart has an apply rate to draw.
    await writePlayers(12);
    await writeSteadily(PHASE_MS);

    await must(clients.primary, 'STOP SYNC');
    await writePlayers(STOPPED_WRITES);
    await writeSteadily(PHASE_MS);
    await waitFigure(`${primary} .total-lag`, 'positive');
    await page.waitForFunction(
      ([sel, want]) => Number(document.querySelector(sel)?.textContent) >= want,
      [`${primary} .total-lag`, STOPPED_WRITES] as const,
      { timeout: WAIT_MS },
    );
    expect(await page.isVisible(`${primary} .stopped`)).toBe(true);
    expect(await page.locator(`${primary} tr.part-row td.bad`).count()).toBeGreaterThan(0);

    await must(clients.primary, 'RESTART SYNC');
    await waitFigure(`${primary} .total-lag`, 'zero');
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === '16/16', `${primary} .online`, { timeout: WAIT_MS });
    expect(await page.isVisible(`${primary} .stopped`)).toBe(false);
    // The chart drew the rise and the fall.
    expect(await page.locator(`${primary} .chart canvas`).count()).toBe(1);
    expect(pageErrors).toEqual([]);

    await writePlayers(12);
    await writeSteadily(PHASE_MS);
    await waitFigure(`${primary} .total-lag`, 'zero');
    const shot = join(profile, 'dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    if (SCREENSHOT) copyFileSync(shot, join(REPO, 'docs', 'dashboard.png'));
  }, 240_000);
});
