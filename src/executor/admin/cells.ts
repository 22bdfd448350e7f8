/**
 * How admin statements spell the cells of their tables: integers as bigint, host addresses in
 * NebulaGraph's quoted form, times as datetime values. One place, so every SHOW agrees.
 */
import { dateTimeFromMs } from '../expr/datetime.ts';
import type { HostAddr } from '../../parser/ast.ts';
import type { Value } from '../../value/types.ts';
import { EMPTY } from '../../value/types.ts';

/** An integer cell: NebulaGraph answers int64, which our values carry as bigint. */
export function int(n: number): bigint {
  return BigInt(n);
}

/**
 * A listener or drainer address as SHOW LISTENER SYNC / SHOW DRAINERS print it: the ip in double
 * quotes followed by the port, so the console shows `""192.168.10.103":9789"`.
 */
export function quotedHost(addr: HostAddr): string {
  return `"${addr.host}":${addr.port}`;
}

/** "host:port", the key the catalog uses for storage hosts. */
export function hostKey(addr: HostAddr): string {
  return `${addr.host}:${addr.port}`;
}

/** A UTC datetime value for a job time in ms since the epoch; EMPTY when the time is unknown. */
export function dateTimeOf(ms: number | undefined): Value {
  return ms === undefined ? EMPTY : dateTimeFromMs(ms);
}

/** A cell that may be absent: NebulaGraph leaves it EMPTY (a blank in the console). */
export function optional(text: string | undefined): Value {
  return text === undefined ? EMPTY : text;
}

/**
 * `record[key]` when `key` is the record's own: catalog records are keyed by names users choose,
 * and a space called `constructor` must not find Object's prototype.
 */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
