/**
 * The date line nebula-console prints after each result and on leaving: Go's time.RFC1123 in
 * local time, `Mon, 02 Jan 2006 15:04:05 MST`. The zone is Intl's short name (`UTC`, `PST`, or
 * `GMT+2` where English has no abbreviation; Go would print `CET` there).
 */

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let format = formats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      weekday: 'short',
      day: '2-digit',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
      ...(timeZone !== undefined ? { timeZone } : {}),
    });
    formats.set(key, format);
  }
  return format;
}

/** `date` as RFC 1123 in `timeZone` (the process's local zone when undefined). */
export function formatDateLine(date: Date, timeZone?: string): string {
  const parts = Object.fromEntries(formatFor(timeZone).formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts['weekday']}, ${parts['day']} ${parts['month']} ${parts['year']} ${parts['hour']}:${parts['minute']}:${parts['second']} ${parts['timeZoneName']}`;
}
