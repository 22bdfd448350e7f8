/**
 * nebula-console's output for one statement: a bordered table with every cell left-aligned, a
 * rule under the header and at the bottom (none between rows), then a footer line; or an error
 * line `[ERROR (<code>)]: <message>`.
 *
 * @example
 *   formatResult({ errorCode: 0, latencyUs: 800, spaceName: '', data: { columns: ['a'], rows: [[1n]] } }, 1200, { timing: false })
 *   // '+---+\n| a |\n+---+\n| 1 |\n+---+\nGot 1 rows\n'
 */
import type { ExecutionResponse } from '../server/graph-handler.ts';
import type { DataSet } from '../value/types.ts';
import { formatMicros } from './duration.ts';
import { formatValue } from './format-value.ts';

export interface FormatOptions {
  /** Print `(time spent X/Y)`; off for golden files so that they are stable. */
  readonly timing: boolean;
}

/** Display width: code points, so that `µ` or `é` count once as a terminal shows them. */
const width = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** The bordered table for a DataSet, one string per line. */
export function formatTable(ds: DataSet): string[] {
  const cells = ds.rows.map((row) => ds.columns.map((_, i) => formatValue(i < row.length ? row[i]! : null)));
  const widths = ds.columns.map((c, i) => Math.max(width(c), ...cells.map((r) => width(r[i]!))));
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const line = (texts: readonly string[]): string =>
    `|${texts.map((t, i) => ` ${t}${' '.repeat(widths[i]! - width(t))} `).join('|')}|`;
  return [rule, line(ds.columns), rule, ...cells.map(line), rule];
}

/** The footer line, with or without the `(time spent X/Y)` part. */
export function formatFooter(resp: ExecutionResponse, clientElapsedUs: number, opts: FormatOptions): string {
  const spent = opts.timing ? ` (time spent ${formatMicros(resp.latencyUs)}/${formatMicros(clientElapsedUs)})` : '';
  const ds = resp.data;
  if (ds === undefined || ds.columns.length === 0) return `Execution succeeded${spent}`;
  if (ds.rows.length === 0) return `Empty set${spent}`;
  return `Got ${ds.rows.length} rows${spent}`;
}

/** Everything the console prints for one response, newline-terminated. */
export function formatResult(resp: ExecutionResponse, clientElapsedUs: number, opts: FormatOptions): string {
  if (resp.errorCode !== 0) return `${formatError(resp.errorCode, resp.errorMsg ?? '')}\n`;
  const lines: string[] = [];
  const ds = resp.data;
  if (ds !== undefined && ds.columns.length > 0 && ds.rows.length > 0) lines.push(...formatTable(ds));
  lines.push(formatFooter(resp, clientElapsedUs, opts));
  return `${lines.join('\n')}\n`;
}

export const formatError = (code: number, message: string): string => `[ERROR (${code})]: ${message}`;
