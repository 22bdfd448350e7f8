/**
 * Dates and times as NebulaGraph reads and makes them: `date("2019-01-02")`,
 * `time("13:14:15.5")`, `datetime("2019-01-02T13:14:15")`, `timestamp(...)` in seconds. All in UTC,
 * which is the time zone the graph service announces to clients.
 */
import type { DateTimeV, DateV, TimeV, Value } from '../../value/types.ts';

const DATE_RE = /^(-?\d{1,4})-(\d{1,2})-(\d{1,2})$/;
const TIME_RE = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,6}))?)?(?:Z|[+-]00:?00)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function makeDate(year: number, month: number, day: number): DateV | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return Object.freeze({ kind: 'date', year, month, day });
}

export function makeTime(hour: number, minute: number, sec: number, microsec: number): TimeV | undefined {
  if (hour > 23 || minute > 59 || sec > 59 || microsec > 999_999) return undefined;
  return Object.freeze({ kind: 'time', hour, minute, sec, microsec });
}

export function parseDate(text: string): DateV | undefined {
  const m = DATE_RE.exec(text.trim());
  if (!m) return undefined;
  return makeDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function parseTime(text: string): TimeV | undefined {
  const m = TIME_RE.exec(text.trim());
  if (!m) return undefined;
  const micro = m[4] === undefined ? 0 : Number(m[4].padEnd(6, '0'));
  return makeTime(Number(m[1]), Number(m[2]), Number(m[3] ?? 0), micro);
}

export function parseDateTime(text: string): DateTimeV | undefined {
  const trimmed = text.trim();
  const cut = trimmed.search(/[T ]/);
  const date = parseDate(cut < 0 ? trimmed : trimmed.slice(0, cut));
  if (!date) return undefined;
  const time = cut < 0 ? makeTime(0, 0, 0, 0) : parseTime(trimmed.slice(cut + 1));
  if (!time) return undefined;
  return Object.freeze({ ...date, ...time, kind: 'datetime' } as DateTimeV);
}

/** Seconds since the epoch of a datetime (UTC). */
export function epochSeconds(dt: DateTimeV | DateV): bigint {
  const ms =
    dt.kind === 'date'
      ? Date.UTC(dt.year, dt.month - 1, dt.day)
      : Date.UTC(dt.year, dt.month - 1, dt.day, dt.hour, dt.minute, dt.sec);
  return BigInt(Math.floor(ms / 1000));
}

export function dateTimeFromMs(ms: number): DateTimeV {
  const d = new Date(ms);
  return Object.freeze({
    kind: 'datetime',
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    sec: d.getUTCSeconds(),
    microsec: d.getUTCMilliseconds() * 1000,
  });
}

/** The date or time part of a datetime. */
export const dateOf = (dt: DateTimeV): DateV => Object.freeze({ kind: 'date', year: dt.year, month: dt.month, day: dt.day });
export const timeOf = (dt: DateTimeV): TimeV =>
  Object.freeze({ kind: 'time', hour: dt.hour, minute: dt.minute, sec: dt.sec, microsec: dt.microsec });

function mapNumber(v: Value | undefined, fallback: number): number | undefined {
  if (v === undefined) return fallback;
  return typeof v === 'bigint' ? Number(v) : undefined;
}

/** `date({year: 2020, month: 1, day: 2})` and friends: a map of fields to a temporal value. */
export function temporalFromMap(kind: 'date' | 'time' | 'datetime', fields: ReadonlyMap<string, Value>): Value | undefined {
  const get = (name: string, fallback: number): number | undefined => mapNumber(fields.get(name), fallback);
  const year = get('year', 1970);
  const month = get('month', 1);
  const day = get('day', 1);
  const hour = get('hour', 0);
  const minute = get('minute', 0);
  const sec = get('second', 0);
  const micro = (get('millisecond', 0) ?? NaN) * 1000 + (get('microsecond', 0) ?? NaN);
  if ([year, month, day, hour, minute, sec].some((n) => n === undefined) || Number.isNaN(micro)) return undefined;
  if (kind === 'date') return makeDate(year!, month!, day!);
  if (kind === 'time') return makeTime(hour!, minute!, sec!, micro);
  const date = makeDate(year!, month!, day!);
  const time = makeTime(hour!, minute!, sec!, micro);
  return date && time ? Object.freeze({ ...date, ...time, kind: 'datetime' } as DateTimeV) : undefined;
}
