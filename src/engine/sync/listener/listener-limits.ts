/**
 * Every bound a listener keeps, in one place (STYLE: every queue bounded, units last in names).
 * Memory per shipped partition stays below roughly
 * (SHIP_WINDOW_BATCHES + SHIP_PENDING_BATCHES_MAX) * SHIP_BATCH_BYTES_MAX plus gRPC's own buffers,
 * however long the backlog.
 */
import { limits } from '../../../limits.ts';

/** Unacknowledged batches (or snapshot chunks) per Ship stream. */
export const SHIP_WINDOW_BATCHES = 8;
/** WAL entries (data) or schema changes (meta) in one shipped batch. */
export const SHIP_BATCH_ENTRIES_MAX = 1000;
/** Payload bytes of one shipped batch (a single larger entry still ships, alone). */
export const SHIP_BATCH_BYTES_MAX = 512 * 1024;
/** Batches built but not yet sent before the listener stops reading its WAL tail. */
export const SHIP_PENDING_BATCHES_MAX = 2;
/** How often the listener asks the primary's meta what to ship. */
export const ASSIGNMENT_POLL_MS = 200;
/** Progress is reported at most this often (and only when it changed, see below). */
export const PROGRESS_REPORT_MS = 100;
/** Unchanged progress is reported again this often, so a restarted meta learns it. */
export const PROGRESS_REFRESH_MS = 2_000;
/** How long the drainer may take to answer a hello. */
export const HELLO_TIMEOUT_MS = 10_000;
/** Largest gRPC message a listener accepts or sends: what every internal link accepts (src/limits.ts). */
export const RPC_MESSAGE_BYTES_MAX = limits.internalMessageBytesMax;
