/**
 * Progress reports: listeners tell a primary's meta how far the drainer acknowledged each source
 * partition, drainers tell a secondary's meta how far they received and applied. The reports are
 * volatile (like heartbeats) and feed SHOW SYNC STATUS, SHOW DRAINER SYNC STATUS and SHOW SYNC
 * ERRORS (src/engine/sync/status/). Ages in a report become times on this meta's clock here.
 * Only the listener serving a partition under the current ADD LISTENER SYNC, or a drainer the
 * target space added, may speak for it: other parts of a report are dropped (docs/status.md). A
 * listener's report that claims a log id this cluster never committed is refused whole.
 */
import type * as grpc from '@grpc/grpc-js';
import { findSpace } from '../../catalog/lookup.ts';
import type { HostRole } from '../../catalog/types.ts';
import type { PartFailure, PartProgress } from '../../engine/meta/progress.ts';
import { reporterServes } from '../../engine/sync/status/serving.ts';
import { num, type PartErrorMsg, type PartProgressMsg, type ProgressReportMsg } from '../../engine/sync/wire.ts';
import { MetaCode } from '../../errors.ts';
import { limits } from '../../limits.ts';
import { throttledWarn, type Logger } from '../../log.ts';
import type { RpcDeps, ServiceHandlers } from './rpc-deps.ts';

const REPORTING_ROLES: ReadonlySet<HostRole> = new Set(['STORAGE_LISTENER', 'META_LISTENER', 'DRAINER']);
/** Parts one report may carry: every partition of the largest space plus partition 0. */
export const REPORT_PARTS_MAX = limits.partitionNumMax + 1;
/** Longest space name or host accepted in a report; longer ones are not names anyone made. */
const NAME_CHARS_MAX = 1024;

interface ProgressReply {
  code: number;
  message: string;
}

/** Longest failure message kept; a longer one is cut (SHOW SYNC ERRORS prints it). */
export const ERROR_MESSAGE_CHARS_MAX = 1024;

const isCount = (v: number): boolean => Number.isSafeInteger(v) && v >= 0;

/** A reported failure on this meta's clock; null when malformed. */
function toFailure(msg: PartErrorMsg, nowMs: number): PartFailure | null {
  const [count, firstAge, lastAge] = [num(msg.count), num(msg.first_age_ms), num(msg.last_age_ms)];
  if (!Number.isInteger(msg.code) || msg.code === 0 || ![count, firstAge, lastAge].every(isCount) || count === 0) return null;
  const message = String(msg.message ?? '').slice(0, ERROR_MESSAGE_CHARS_MAX);
  return { code: msg.code, message, count, firstMs: nowMs - Math.max(firstAge, lastAge), lastMs: nowMs - lastAge };
}

function toPart(msg: PartProgressMsg, nowMs: number): PartProgress | undefined {
  const part = msg.part;
  if (!Number.isInteger(part) || part < 0 || part > limits.partitionNumMax) return undefined;
  const fields = [num(msg.acked_log_id), num(msg.acked_ts), num(msg.received_log_id), num(msg.received_ts), num(msg.unacked_ms), num(msg.ok_age_ms)];
  if (!fields.every(isCount)) return undefined;
  const [ackedLogId, ackedTs, receivedLogId, receivedTs, unackedMs, okAgeMs] = fields as [number, number, number, number, number, number];
  const outstanding = msg.outstanding ?? 0;
  if (!(Number.isInteger(outstanding) && outstanding >= 0)) return undefined;
  const targetSpace = msg.target_space ?? '';
  if (targetSpace.length > NAME_CHARS_MAX) return undefined;
  let error: PartFailure | undefined;
  if (msg.error !== null && msg.error !== undefined) {
    const failure = toFailure(msg.error, nowMs);
    if (failure === null) return undefined;
    error = failure;
  }
  return {
    part,
    shipping: msg.shipping === true,
    ackedLogId,
    ackedTs,
    receivedLogId,
    receivedTs,
    outstanding,
    waitingSinceMs: outstanding > 0 ? nowMs - unackedMs : undefined,
    positionUnknown: msg.position_unknown === true,
    targetSpace,
    okAtMs: okAgeMs > 0 ? nowMs - okAgeMs : undefined,
    error,
  };
}

/**
 * The last log id this cluster committed in `part` of space `spaceId` (partition 0: the meta WAL):
 * a listener can have shipped, and a drainer acknowledged, nothing beyond it, so a report that
 * claims more is not the truth and must not make SHOW SYNC STATUS read 0.
 */
function committedLogId(deps: RpcDeps, spaceId: number | undefined, part: number): number {
  if (part === 0) return deps.metaStore.lastLogId();
  const store = spaceId === undefined ? undefined : deps.storage.space(spaceId);
  return store === undefined || part > store.partitionNum ? 0 : store.partitionState(part).lastLogId;
}

/** Refused reports are logged at most once per this period (the latest, with a count): anyone can send them. */
const REFUSAL_LOG_MS = 10_000;
const refusalLogs = new WeakMap<Logger, (fields: Record<string, unknown>) => void>();

/** The throttled refusal line of `log`, made on first use. */
function refusalLog(log: Logger): (fields: Record<string, unknown>) => void {
  let warn = refusalLogs.get(log);
  if (warn === undefined) {
    warn = throttledWarn(log, 'progress report refused', REFUSAL_LOG_MS);
    refusalLogs.set(log, warn);
  }
  return warn;
}

/** Checks a report and records it; answers the reply to send. `peer`: where it came from, for the log. */
export function acceptProgress(deps: RpcDeps, req: ProgressReportMsg, peer?: string): ProgressReply {
  const refuse = (why: string): ProgressReply => {
    refusalLog(deps.log)({ role: req.role, host: req.host, port: req.port, space: req.space, why, peer });
    return { code: MetaCode.E_INVALID_HOST, message: `invalid progress report from ${req.host}:${req.port} (${req.role}): ${why}` };
  };
  const role = req.role as HostRole;
  if (!REPORTING_ROLES.has(role)) return refuse('role must be STORAGE_LISTENER, META_LISTENER or DRAINER');
  if (req.host === '' || req.host.length > NAME_CHARS_MAX) return refuse('bad host');
  if (!(Number.isInteger(req.port) && req.port > 0 && req.port < 65536)) return refuse('bad port');
  if (req.space === '' || req.space.length > NAME_CHARS_MAX) return refuse('bad space name');
  const raw = req.parts ?? [];
  if (raw.length > REPORT_PARTS_MAX) return refuse(`more than ${REPORT_PARTS_MAX} parts`);
  const nowMs = deps.now();
  const parts: PartProgress[] = [];
  for (const msg of raw) {
    const part = toPart(msg, nowMs);
    if (part === undefined) return refuse(`bad progress for part ${String(msg.part)}`);
    parts.push(part);
  }
  // Parts this reporter does not serve (a stale assignment, a stranger) are dropped, not refused:
  // a listener that lost a part between two polls must not be told off for it.
  const cat = deps.metaStore.catalog();
  const spaceId = findSpace(cat, req.space)?.id;
  const served = parts.filter((p) => reporterServes(cat, role, req.host, req.port, req.space, p.part)).map((p) => ({ ...p, spaceId }));
  if (served.length === 0) return { code: 0, message: '' };
  for (const p of role === 'DRAINER' ? [] : served) {
    const claimed = Math.max(p.ackedLogId, p.receivedLogId);
    const committed = committedLogId(deps, spaceId, p.part);
    if (claimed > committed) return refuse(`part ${p.part}: log id ${claimed} is beyond the last one committed here (${committed})`);
  }
  const recorded = deps.progress.report({ role, host: req.host, port: req.port, space: req.space, parts: served }, nowMs);
  if (!recorded) return refuse('too many spaces reported');
  return { code: 0, message: '' };
}

export function progressHandlers(deps: RpcDeps): ServiceHandlers {
  return {
    meta: {
      ReportProgress: (call: grpc.ServerUnaryCall<ProgressReportMsg, ProgressReply>, callback: grpc.sendUnaryData<ProgressReply>) =>
        callback(null, acceptProgress(deps, call.request, call.getPeer())),
    },
    storage: {},
  };
}
