/**
 * Progress reports: listeners tell a primary's meta how far the drainer acknowledged each source
 * partition, drainers tell a secondary's meta how far they received and applied. The reports are
 * volatile (like heartbeats) and feed SHOW SYNC STATUS, SHOW LISTENER SYNC and SHOW DRAINER SYNC
 * STATUS (src/engine/sync/status/).
 */
import type * as grpc from '@grpc/grpc-js';
import type { HostRole } from '../../catalog/types.ts';
import type { PartProgress } from '../../engine/meta/progress.ts';
import { num, type PartProgressMsg, type ProgressReportMsg } from '../../engine/sync/wire.ts';
import { MetaCode } from '../../errors.ts';
import { limits } from '../../limits.ts';
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

function toPart(msg: PartProgressMsg): PartProgress | undefined {
  const part = msg.part;
  if (!Number.isInteger(part) || part < 0 || part > limits.partitionNumMax) return undefined;
  const fields = [num(msg.acked_log_id), num(msg.acked_ts), num(msg.received_log_id), num(msg.received_ts)];
  if (fields.some((v) => !Number.isSafeInteger(v) || v < 0)) return undefined;
  const [ackedLogId, ackedTs, receivedLogId, receivedTs] = fields as [number, number, number, number];
  return { part, shipping: msg.shipping === true, ackedLogId, ackedTs, receivedLogId, receivedTs };
}

/** Checks a report and records it; answers the reply to send. */
export function acceptProgress(deps: RpcDeps, req: ProgressReportMsg): ProgressReply {
  const refuse = (why: string): ProgressReply => {
    deps.log.warn('progress report refused', { role: req.role, host: req.host, port: req.port, space: req.space, why });
    return { code: MetaCode.E_INVALID_HOST, message: `invalid progress report from ${req.host}:${req.port} (${req.role}): ${why}` };
  };
  const role = req.role as HostRole;
  if (!REPORTING_ROLES.has(role)) return refuse('role must be STORAGE_LISTENER, META_LISTENER or DRAINER');
  if (req.host === '' || req.host.length > NAME_CHARS_MAX) return refuse('bad host');
  if (!(Number.isInteger(req.port) && req.port > 0 && req.port < 65536)) return refuse('bad port');
  if (req.space === '' || req.space.length > NAME_CHARS_MAX) return refuse('bad space name');
  const raw = req.parts ?? [];
  if (raw.length > REPORT_PARTS_MAX) return refuse(`more than ${REPORT_PARTS_MAX} parts`);
  const parts: PartProgress[] = [];
  for (const msg of raw) {
    const part = toPart(msg);
    if (part === undefined) return refuse(`bad progress for part ${String(msg.part)}`);
    parts.push(part);
  }
  const recorded = deps.progress.report({ role, host: req.host, port: req.port, space: req.space, parts }, deps.now());
  if (!recorded) return refuse('too many spaces reported');
  return { code: 0, message: '' };
}

export function progressHandlers(deps: RpcDeps): ServiceHandlers {
  return {
    meta: {
      ReportProgress: (call: grpc.ServerUnaryCall<ProgressReportMsg, ProgressReply>, callback: grpc.sendUnaryData<ProgressReply>) =>
        callback(null, acceptProgress(deps, call.request)),
    },
    storage: {},
  };
}
