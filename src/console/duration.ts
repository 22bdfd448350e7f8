/**
 * Go's time.Duration.String(), which nebula-console uses for `(time spent X/Y)`: `0s`, `850ns`,
 * `512µs`, `1.234ms`, `1.5s`, `2m3.5s`, `1h0m0s`.
 */

const NS_PER_US = 1000;
const NS_PER_MS = 1_000_000;
const NS_PER_S = 1_000_000_000;

/** `value` split at `digits` decimal places, trailing zeros of the fraction dropped. */
function fraction(value: number, digits: number): string {
  const scale = 10 ** digits;
  const whole = Math.floor(value / scale);
  const frac = String(value % scale).padStart(digits, '0').replace(/0+$/, '');
  return frac === '' ? String(whole) : `${whole}.${frac}`;
}

export function formatGoDuration(nanoseconds: number): string {
  const ns = Math.round(nanoseconds);
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  const u = Math.abs(ns);
  if (u < NS_PER_US) return `${sign}${u}ns`;
  if (u < NS_PER_MS) return `${sign}${fraction(u, 3)}µs`;
  if (u < NS_PER_S) return `${sign}${fraction(u, 6)}ms`;
  const totalSec = Math.floor(u / NS_PER_S);
  let out = `${fraction((totalSec % 60) * NS_PER_S + (u % NS_PER_S), 9)}s`;
  const totalMin = Math.floor(totalSec / 60);
  if (totalMin > 0) {
    out = `${totalMin % 60}m${out}`;
    const hours = Math.floor(totalMin / 60);
    if (hours > 0) out = `${hours}h${out}`;
  }
  return sign + out;
}

/** A duration given in microseconds (the server's latency unit). */
export const formatMicros = (us: number): string => formatGoDuration(us * NS_PER_US);
