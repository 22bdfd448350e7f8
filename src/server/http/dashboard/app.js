/*
 * The dashboard's script: polls /api/sync every POLL_MS and draws, for each space this cluster
 * ships or receives, its headline figures, a chart of LogId lag and apply rate over the last
 * HISTORY_MS, one row per partition, and the refusals the secondary counted. Plain browser
 * JavaScript, no build step. Every value from the server is written with textContent: refusal
 * messages and source names come from the network and are never parsed as HTML.
 */
'use strict';

const POLL_MS = 1000;
/** The chart keeps this much history (the page keeps it in memory only). */
const HISTORY_MS = 10 * 60 * 1000;
const CHART_HEIGHT_PX = 220;
const CHART_WIDTH_MIN_PX = 300;
const COLORS = { lag: '#c0392b', rate: '#2563eb' };

/** One view per `${side}:${space}`. */
const views = new Map();

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function formatMs(ms) {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

function formatRate(rate) {
  if (rate === null || rate === undefined) return '-';
  return rate >= 100 ? `${Math.round(rate)}/s` : `${rate.toFixed(1)}/s`;
}

function figure(label, cls) {
  const value = el('span', { class: `value ${cls}`, text: '-' });
  return { node: el('div', { class: 'figure' }, value, el('span', { class: 'label', text: label })), value };
}

function makeChart(container) {
  const positive = (_u, _min, max) => [0, Math.max(1, max ?? 1)];
  const opts = {
    width: Math.max(CHART_WIDTH_MIN_PX, container.clientWidth),
    height: CHART_HEIGHT_PX,
    scales: { x: { time: true }, lag: { range: positive }, rate: { range: positive } },
    legend: { live: false },
    series: [
      {},
      { label: 'LogId lag', scale: 'lag', stroke: COLORS.lag, width: 2, fill: 'rgba(192,57,43,0.08)' },
      { label: 'applied log ids/s', scale: 'rate', stroke: COLORS.rate, width: 2 },
    ],
    axes: [
      {},
      { scale: 'lag', label: 'LogId lag', stroke: COLORS.lag },
      { scale: 'rate', side: 1, label: 'log ids/s', stroke: COLORS.rate, grid: { show: false } },
    ],
  };
  return new uPlot(opts, [[], [], []], container);
}

function createView(space) {
  const title = el('h2', {}, el('span', { class: 'name', text: space.space }));
  const badge = el('span', { class: `side ${space.side}`, text: space.side });
  const peer = el('span', { class: 'peer' });
  const stopped = el('span', { class: 'stopped', text: 'STOP SYNC', hidden: '' });
  const figures = {
    lag: figure('LogId lag (sum)', 'total-lag'),
    latency: figure('Time latency (max)', 'max-latency'),
    rate: figure('apply rate', 'apply-rate'),
    online: figure('partitions ONLINE', 'online'),
  };
  const chartBox = el('div', { class: 'chart' });
  const parts = el('tbody', { class: 'parts' });
  const partTable = el(
    'table',
    { class: 'part-table' },
    el('thead', {}, el('tr', {}, ...['PartId', 'Sync Status', 'LogId Lag', 'Time Latency', 'applied log id'].map((h) => el('th', { text: h })))),
    parts,
  );
  const refusals = el('tbody', { class: 'refusals' });
  const refusalTable = el(
    'table',
    { class: 'refusal-table', hidden: '' },
    el('thead', {}, el('tr', {}, ...['PartId', 'code', 'count', 'last', 'message'].map((h) => el('th', { text: h })))),
    refusals,
  );
  const noRefusals = el('p', { class: 'no-refusals', text: 'No refusals.' });
  const section = el(
    'section',
    { class: 'space', 'data-space': space.space, 'data-side': space.side },
    el('div', { class: 'space-head' }, title, badge, peer, stopped),
    el('div', { class: 'figures' }, ...Object.values(figures).map((f) => f.node)),
    chartBox,
    el('div', { class: 'columns' }, el('div', {}, el('h3', { text: 'Partitions' }), partTable), el('div', {}, el('h3', { text: 'Refusals' }), noRefusals, refusalTable)),
  );
  document.getElementById('spaces').append(section);
  const view = { section, peer, stopped, figures, parts, refusals, refusalTable, noRefusals, chart: makeChart(chartBox), chartBox, points: [], last: undefined };
  return view;
}

function setRows(tbody, rows, cellsOf, rowClass) {
  while (tbody.rows.length > rows.length) tbody.deleteRow(-1);
  rows.forEach((row, i) => {
    const cells = cellsOf(row);
    let tr = tbody.rows[i];
    if (tr === undefined || tr.cells.length !== cells.length) {
      tr = el('tr', { class: rowClass }, ...cells.map(() => el('td')));
      if (i < tbody.rows.length) tbody.replaceChild(tr, tbody.rows[i]);
      else tbody.append(tr);
    }
    cells.forEach((cell, c) => {
      tr.cells[c].textContent = String(cell.text);
      tr.cells[c].className = cell.cls ?? '';
    });
  });
}

function recordPoint(view, space, nowMs) {
  let rate = null;
  if (view.last !== undefined && nowMs > view.last.nowMs) {
    rate = Math.max(0, (space.appliedLogIds - view.last.applied) / ((nowMs - view.last.nowMs) / 1000));
  }
  view.last = { nowMs, applied: space.appliedLogIds };
  view.points.push({ t: nowMs / 1000, lag: space.logIdLag, rate });
  while (view.points.length > 0 && view.points[0].t < (nowMs - HISTORY_MS) / 1000) view.points.shift();
  view.chart.setData([view.points.map((p) => p.t), view.points.map((p) => p.lag), view.points.map((p) => p.rate)]);
  return rate;
}

function renderSpace(view, space, nowMs) {
  const rate = recordPoint(view, space, nowMs);
  view.peer.textContent = space.side === 'primary' ? `ships to ${space.peer}` : space.peer === '' ? 'no source yet' : `receives from ${space.peer}`;
  view.stopped.hidden = !space.stopped;
  const online = space.parts.filter((p) => p.status === 'ONLINE').length;
  const f = view.figures;
  f.lag.value.textContent = String(space.logIdLag);
  f.lag.value.dataset.value = String(space.logIdLag);
  f.lag.value.classList.toggle('bad', space.logIdLag > 0);
  f.latency.value.textContent = formatMs(space.timeLatencyMsMax);
  f.rate.value.textContent = formatRate(rate);
  f.online.value.textContent = `${online}/${space.parts.length}`;
  f.online.value.classList.toggle('bad', online < space.parts.length);
  setRows(
    view.parts,
    space.parts,
    (p) => [
      { text: p.part },
      { text: p.status, cls: p.status === 'ONLINE' ? 'online' : 'offline' },
      { text: p.logIdLag, cls: p.logIdLag > 0 ? 'bad' : '' },
      { text: p.timeLatencyMs },
      { text: p.appliedLogId },
    ],
    'part-row',
  );
  setRows(view.refusals, space.refusals, (r) => [
    { text: r.part },
    { text: r.codeName === '' ? r.code : `${r.codeName} (${r.code})` },
    { text: r.count },
    { text: new Date(r.lastMs).toLocaleTimeString() },
    { text: r.message, cls: 'message' },
  ], 'refusal-row');
  view.refusalTable.hidden = space.refusals.length === 0;
  view.noRefusals.hidden = space.refusals.length > 0;
}

function render(picture) {
  const seen = new Set();
  for (const space of picture.spaces) {
    const key = `${space.side}:${space.space}`;
    seen.add(key);
    if (!views.has(key)) views.set(key, createView(space));
    renderSpace(views.get(key), space, picture.nowMs);
  }
  for (const [key, view] of views) {
    if (seen.has(key)) continue;
    view.section.remove();
    views.delete(key);
  }
  document.getElementById('empty').hidden = picture.spaces.length > 0;
  document.getElementById('updated').textContent = `updated ${new Date(picture.nowMs).toLocaleTimeString()}`;
}

function setConnection(state, detail) {
  const node = document.getElementById('connection');
  node.dataset.state = state;
  node.textContent = state === 'live' ? 'live' : `cannot reach the cluster (${detail}); retrying`;
}

async function poll() {
  try {
    const response = await fetch('/api/sync', { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    render(await response.json());
    setConnection('live');
  } catch (err) {
    setConnection('down', err.message);
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

window.addEventListener('resize', () => {
  for (const view of views.values()) view.chart.setSize({ width: Math.max(CHART_WIDTH_MIN_PX, view.chartBox.clientWidth), height: CHART_HEIGHT_PX });
});
document.getElementById('origin').textContent = window.location.host;
poll();
