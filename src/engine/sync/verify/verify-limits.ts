/**
 * Every bound of VERIFY SYNC in one place. The waits that hold a drainer's apply (the freeze and
 * the barrier) must end well before the drainer gives up on that apply (APPLY_DEADLINE_MS), or a
 * verify would break the very stream it is checking: the assertion below keeps that true.
 */
import { strict as assert } from 'node:assert';
import { APPLY_DEADLINE_MS } from '../drainer/data-channel.ts';

/** Longest the secondary holds a source's applies between FREEZE and CUT. */
export const VERIFY_FREEZE_MS_MAX = 5_000;
/** Longest the secondary waits for every partition to reach its barrier (applies are held meanwhile). */
export const VERIFY_BARRIER_WAIT_MS_MAX = 15_000;
/** Safety net: a gate opens by itself after this long, whatever happened to its verify. */
export const VERIFY_GATE_MS_MAX = VERIFY_FREEZE_MS_MAX + VERIFY_BARRIER_WAIT_MS_MAX + 2_000;
assert(VERIFY_GATE_MS_MAX < APPLY_DEADLINE_MS, 'a verify barrier must not outlast the drainer apply deadline');

/** First and longest pause between two looks at the secondary's positions while waiting. */
export const VERIFY_POLL_MS_MIN = 2;
export const VERIFY_POLL_MS_MAX = 50;

/** Longest one side may scan its rows (at 200,000 rows/s: 120 million rows). */
export const VERIFY_SCAN_MS_MAX = 600_000;
/** Rows read per page of a scan (one short synchronous read). */
export const VERIFY_SCAN_PAGE_ROWS = 500;
/** Longest a scan keeps the event loop before it lets writes and applies run. */
export const VERIFY_SCAN_SLICE_MS = 2;

/** Longest a secondary keeps the picture of a finished CUT open for the KEYS that may follow. */
export const VERIFY_PICTURE_MS_MAX = 120_000;

/** Buckets per partition for finding differing keys (a power of two). */
export const VERIFY_KEY_BUCKETS = 1024;
/** Rows the secondary sends back for one KEYS request (whole buckets, at least one). */
export const VERIFY_KEY_ROWS_MAX = 2_000;
/** Differing keys listed by VERIFY SYNC WITH KEYS. */
export const VERIFY_KEYS_LISTED_MAX = 1_000;

/** Deadline of a FREEZE or END call. */
export const VERIFY_SHORT_CALL_MS = 5_000;
/** Deadline of a CUT or KEYS call: the barrier wait and a whole scan, with room to answer. */
export const VERIFY_LONG_CALL_MS = VERIFY_BARRIER_WAIT_MS_MAX + VERIFY_SCAN_MS_MAX + 10_000;

/** The deadline of one phase's call, used by the primary and by the drainer that relays it. */
export function verifyCallMs(phase: string): number {
  return phase === 'CUT' || phase === 'KEYS' ? VERIFY_LONG_CALL_MS : VERIFY_SHORT_CALL_MS;
}
