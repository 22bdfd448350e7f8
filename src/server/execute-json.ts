/**
 * The body `executeJson` answers: NebulaGraph's ExecutionResponse::toJson, built from the same
 * ExecutionResponse that `execute` would send.
 *
 * Values follow NebulaGraph's Value::toJson: ints as JSON numbers (all 64 bits, written exactly,
 * which is why this module writes JSON text itself rather than using JSON.stringify), strings,
 * maps as objects, lists and sets as arrays, a vertex as its `tag.prop` map, an edge as its props,
 * a path as alternating vertex and edge prop maps; `meta` names the vertex and edge ids per cell.
 *
 * @example
 *   executeJsonBody({ errorCode: 0, latencyUs: 12, spaceName: '', data: { columns: ['1'], rows: [[1n]] } })
 *   // '{"errors":[{"code":0}],"results":[{"spaceName":"","latencyInUs":12,"columns":["1"],...}]}'
 */
import type { ExecutionResponse } from './graph-handler.ts';
import type { DataSet, Value, VertexV } from '../value/types.ts';
import { formatDate, formatDateTime, formatTime } from '../console/format-value.ts';

export function executeJsonBody(resp: ExecutionResponse): string {
  const errors = errorsJson(resp);
  const parts = [`"spaceName":${str(resp.spaceName)}`, `"latencyInUs":${Math.trunc(resp.latencyUs)}`];
  if (resp.data !== undefined) parts.push(dataSetFields(resp.data));
  if (resp.comment !== undefined) parts.push(`"comment":${str(resp.comment)}`);
  parts.push(`"errors":${errors}`);
  return `{"errors":[${errors}],"results":[{${parts.join(',')}}]}`;
}

function errorsJson(resp: ExecutionResponse): string {
  if (resp.errorCode === 0 || resp.errorMsg === undefined) return `{"code":${resp.errorCode}}`;
  return `{"code":${resp.errorCode},"message":${str(resp.errorMsg)}}`;
}

function dataSetFields(ds: DataSet): string {
  const rows = ds.rows.map((row) => `{"row":[${row.map(valueJson).join(',')}],"meta":[${row.map(metaJson).join(',')}]}`);
  return `"columns":[${ds.columns.map(str).join(',')}],"data":[${rows.join(',')}]`;
}

const str = (s: string): string => JSON.stringify(s);

function propsJson(props: Iterable<readonly [string, Value]>, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of props) out.push(`${str(prefix + k)}:${valueJson(v)}`);
  return out;
}

function vertexJson(v: VertexV): string {
  const parts: string[] = [];
  for (const tag of v.tags) parts.push(...propsJson(tag.props, `${tag.name}.`));
  return `{${parts.join(',')}}`;
}

export function valueJson(v: Value): string {
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'string':
      return str(v);
  }
  if (v === null) return 'null';
  switch (v.kind) {
    case 'null':
      return 'null';
    case 'empty':
      return '"__EMPTY__"';
    case 'date':
      return str(formatDate(v));
    case 'time':
      return str(formatTime(v));
    case 'datetime':
      return str(formatDateTime(v));
    case 'vertex':
      return vertexJson(v);
    case 'edge':
      return `{${propsJson(v.props).join(',')}}`;
    case 'path': {
      const parts = [vertexJson(v.src)];
      for (const step of v.steps) parts.push(`{${propsJson(step.props).join(',')}}`, vertexJson(step.dst));
      return `[${parts.join(',')}]`;
    }
    case 'list':
    case 'set':
      return `[${v.values.map(valueJson).join(',')}]`;
    case 'map':
      return `{${propsJson(v.entries).join(',')}}`;
    case 'dataset':
      return `{${dataSetFields(v.dataset)}}`;
  }
}

const vidJson = (vid: bigint | string): string => (typeof vid === 'bigint' ? vid.toString() : str(vid));

export function metaJson(v: Value): string {
  if (v === null || typeof v !== 'object') return 'null';
  switch (v.kind) {
    case 'vertex':
      return `{"type":"vertex","id":${vidJson(v.vid)}}`;
    case 'edge':
      return edgeMeta(v.name, v.src, v.dst, v.direction, v.ranking);
    case 'path': {
      const parts = [metaJson(v.src)];
      let src = v.src.vid;
      for (const step of v.steps) {
        const [from, to] = step.direction === 1 ? [src, step.dst.vid] : [step.dst.vid, src];
        parts.push(edgeMeta(step.name, from, to, step.direction, step.ranking), metaJson(step.dst));
        src = step.dst.vid;
      }
      return `[${parts.join(',')}]`;
    }
    case 'list':
    case 'set':
      return `[${v.values.map(metaJson).join(',')}]`;
    default:
      return 'null';
  }
}

function edgeMeta(name: string, src: bigint | string, dst: bigint | string, type: number, ranking: bigint): string {
  return `{"type":"edge","id":{"name":${str(name)},"src":${vidJson(src)},"dst":${vidJson(dst)},"type":${type},"ranking":${ranking}}}`;
}
