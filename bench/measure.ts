/**
 * Small measuring helpers for the benchmarks: percentiles, peak RSS of a process, the machine's
 * load, formatting, and `Figures`: every figure of a run printed with its target beside it, kept
 * so that several runs end with a table of medians.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

export function percentile(sortedAsc: readonly number[], p: number): number {
  if (sortedAsc.length === 0) return NaN;
  const index = Math.min(sortedAsc.length - 1, Math.max(0, Math.ceil((p / 100) * sortedAsc.length) - 1));
  return sortedAsc[index]!;
}

export const median = (values: readonly number[]): number => percentile([...values].sort((a, b) => a - b), 50);

/** Peak resident set size of a live process in MiB (Linux VmHWM), or NaN when unknown. */
export function peakRssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** CPU time (user + system, all threads) a live process has used, in ms (Linux /proc), or NaN. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/**
 * CPU per row of each process between two `cpuMs` readings (ms by process name), in microseconds,
 * and their sum: what one row cost the whole machine.
 */
export function cpuPerRow(before: Record<string, number>, after: Record<string, number>, rows: number): { byProcess: Record<string, number>; totalUs: number } {
  const byProcess = Object.fromEntries(Object.entries(after).map(([name, ms]) => [name, (1000 * (ms - before[name]!)) / rows]));
  return { byProcess, totalUs: Object.values(byProcess).reduce((sum, us) => sum + us, 0) };
}

/**
 * The most rows a second `cpus` CPUs can carry when a row costs `totalUs` microseconds of CPU in
 * all: the ceiling the work itself sets, reached only if every CPU did this and nothing else and
 * no process ever waited for another. NaN when nothing was measured.
 */
export function cpuCeiling(totalUs: number, cpus: number): number {
  return totalUs > 0 && cpus > 0 ? (cpus * 1e6) / totalUs : NaN;
}

export function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}

/** `fmt` with thousands separators, for the figures table. */
export function fmtGrouped(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return 'n/a';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** The 1, 5 and 15 minute load averages, as `uptime` prints them. */
export function loadAverage(): string {
  return loadavg().map((l) => l.toFixed(2)).join(', ');
}

/** What a figure should reach: a bound, and where it comes from. */
export interface Target {
  readonly atLeast?: number;
  readonly atMost?: number;
  /** e.g. "PostgreSQL 94,149" or "issue 8". */
  readonly note?: string;
}

interface Figure {
  readonly label: string;
  readonly unit: string;
  readonly digits: number;
  readonly target: Target | undefined;
  readonly values: number[];
}

function targetText(t: Target | undefined, digits: number): string {
  if (t === undefined) return '';
  const bound = t.atLeast !== undefined ? `>= ${fmtGrouped(t.atLeast, digits)}` : t.atMost !== undefined ? `<= ${fmtGrouped(t.atMost, digits)}` : '';
  return [bound, t.note].filter((s) => s !== undefined && s !== '').join(', ');
}

function verdict(t: Target | undefined, value: number): string {
  if (t === undefined || !Number.isFinite(value)) return '';
  if (t.atLeast !== undefined) return value >= t.atLeast ? 'met' : 'MISSED';
  if (t.atMost !== undefined) return value <= t.atMost ? 'met' : 'MISSED';
  return '';
}

/** Every figure of the benchmark, by key, over all runs. */
export class Figures {
  private readonly all = new Map<string, Figure>();

  /** Record one run's value and print it with its target. */
  add(key: string, value: number, spec: { label: string; unit: string; digits?: number; target?: Target }): void {
    let f = this.all.get(key);
    if (f === undefined) {
      f = { label: spec.label, unit: spec.unit, digits: spec.digits ?? 0, target: spec.target, values: [] };
      this.all.set(key, f);
    }
    f.values.push(value);
    const t = targetText(f.target, f.digits);
    const v = verdict(f.target, value);
    console.log(`  ${f.label}: ${fmtGrouped(value, f.digits)} ${f.unit}${t ? `   [target ${t}${v ? `: ${v}` : ''}]` : ''}`);
  }

  /** The table of medians (and the spread) of every figure, with targets. */
  summary(runs: number): void {
    console.log(`\nsummary: median of ${runs} run(s) [min .. max]`);
    for (const f of this.all.values()) {
      const m = median(f.values);
      const spread = f.values.length > 1 ? ` [${fmtGrouped(Math.min(...f.values), f.digits)} .. ${fmtGrouped(Math.max(...f.values), f.digits)}]` : '';
      const t = targetText(f.target, f.digits);
      const v = verdict(f.target, m);
      console.log(`  ${f.label}: ${fmtGrouped(m, f.digits)} ${f.unit}${spread}${t ? `   [target ${t}${v ? `: ${v}` : ''}]` : ''}`);
    }
  }
}
