/**
 * One cell as nebula-console prints it (nebula-go's ValueWrapper.String): strings in double quotes
 * and unescaped, floats with `.0` when whole, `__NULL__` and the other null kinds by name, map keys
 * sorted, vertices as `("vid" :tag{k: v})`, edges as `[:name "src"->"dst" @rank {k: v}]`.
 *
 * @example
 *   formatValue(mapOf([['name', 'Tim Duncan'], ['age', 42n]])) // '{age: 42, name: "Tim Duncan"}'
 */
import type { DateTimeV, DateV, EdgeV, PathV, TimeV, Value, VertexV } from '../value/types.ts';

const NULL_NAMES = ['__NULL__', 'NaN', 'BAD_DATA', 'BAD_TYPE', 'ERR_OVERFLOW', 'UNKNOWN_PROP', 'DIV_BY_ZERO', 'OUT_OF_RANGE'];

const pad = (n: number, width: number): string => {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? `-${s}` : s;
};

export const formatDate = (d: DateV): string => `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}`;

export const formatTime = (t: TimeV): string =>
  `${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.sec, 2)}.${pad(t.microsec, 6)}`;

export const formatDateTime = (t: DateTimeV): string =>
  `${t.year}-${pad(t.month, 2)}-${pad(t.day, 2)}T${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.sec, 2)}.${pad(t.microsec, 6)}`;

/**
 * Go's strconv.FormatFloat(f, 'g', -1, 64) with `.0` added when there is no point (before the
 * exponent, as nebula-go 3.x does: `1.0e+06`), so a float never reads as an int.
 */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  const s = goShortestG(f);
  if (s.includes('.')) return s;
  const e = s.indexOf('e');
  return e === -1 ? `${s}.0` : `${s.slice(0, e)}.0${s.slice(e)}`;
}

/** Shortest round-trip digits, in %e form when the exponent is < -4 or >= 6 (Go's 'g' rule). */
function goShortestG(f: number): string {
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, expText] = f.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    return `${mantissa}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  }
  // Within that range JavaScript's own shortest form is plain decimal, as Go's is.
  return String(f);
}

function formatProps(props: ReadonlyMap<string, Value>): string {
  const keys = [...props.keys()].sort();
  return keys.map((k) => `${k}: ${formatValue(props.get(k)!)}`).join(', ');
}

const formatVid = (vid: bigint | string): string => formatValue(vid);

function formatVertex(v: VertexV): string {
  if (v.tags.length === 0) return `(${formatVid(v.vid)})`;
  const tags = v.tags.map((t) => `${t.name}{${formatProps(t.props)}}`);
  return `(${formatVid(v.vid)} :${tags.join(' :')})`;
}

function formatEdge(e: EdgeV): string {
  const arrow = e.direction === 1 ? `${formatVid(e.src)}->${formatVid(e.dst)}` : `${formatVid(e.src)}<-${formatVid(e.dst)}`;
  return `[:${e.name} ${arrow} @${e.ranking} {${formatProps(e.props)}}]`;
}

function formatPath(p: PathV): string {
  let out = `<${formatVertex(p.src)}`;
  for (const s of p.steps) {
    const edge = `[:${s.name}@${s.ranking} {${formatProps(s.props)}}]`;
    out += s.direction === 1 ? `-${edge}->` : `<-${edge}-`;
    out += formatVertex(s.dst);
  }
  return `${out}>`;
}

export function formatValue(v: Value): string {
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      return formatFloat(v);
    case 'string':
      return `"${v}"`;
  }
  if (v === null) return '__NULL__';
  switch (v.kind) {
    case 'null':
      return NULL_NAMES[v.nullType] ?? '__NULL__';
    case 'empty':
      return '__EMPTY__';
    case 'date':
      return formatDate(v);
    case 'time':
      return formatTime(v);
    case 'datetime':
      return formatDateTime(v);
    case 'vertex':
      return formatVertex(v);
    case 'edge':
      return formatEdge(v);
    case 'path':
      return formatPath(v);
    case 'list':
      return `[${v.values.map(formatValue).join(', ')}]`;
    case 'set':
      return `{${v.values.map(formatValue).join(', ')}}`;
    case 'map':
      return `{${formatProps(v.entries)}}`;
    case 'dataset':
      return `[${v.dataset.rows.map((row) => `[${row.map(formatValue).join(', ')}]`).join(', ')}]`;
  }
}
