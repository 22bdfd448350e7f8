/**
 * The answers a secondary gives to ApplyData / ApplySchema: a code, a NebulaGraph-style message
 * and the stored position, so that every refusal still tells the drainer where to resume.
 */
import { ErrorCode, MetaCode } from '../../../errors.ts';
import type { SyncPosition } from '../../storage/types.ts';
import { E_SCHEMA_PENDING, E_SYNC_CYCLE, E_VERIFY_HOLD, type ApplyReplyMsg, type PositionMsg } from '../wire.ts';

/** The codes a secondary answers with; 0 is success. */
export const ApplyCode = {
  OK: 0,
  E_RPC_FAILURE: ErrorCode.E_RPC_FAILURE,
  E_SPACE_NOT_FOUND: MetaCode.E_SPACE_NOT_FOUND,
  E_UNSUPPORTED: MetaCode.E_UNSUPPORTED,
  E_NO_VALID_DRAINER: MetaCode.E_NO_VALID_DRAINER,
  E_LOG_GAP: MetaCode.E_LOG_GAP,
  E_LOG_STALE: MetaCode.E_LOG_STALE,
  E_PART_MISMATCH: MetaCode.E_PART_MISMATCH,
  E_DATA_CONFLICT: MetaCode.E_DATA_CONFLICT,
  E_DATA_ILLEGAL: MetaCode.E_DATA_ILLEGAL,
  E_SCHEMA_PENDING,
  E_SYNC_CYCLE,
  E_VERIFY_HOLD,
} as const;

/** A stored position as it goes on the wire; no position yet reads as "nothing applied". */
export function positionMsg(position: SyncPosition | undefined): PositionMsg {
  return {
    applied_log_id: String(position?.appliedLogId ?? 0),
    applied_ts: String(position?.appliedTs ?? 0),
    needs_snapshot: position !== undefined && position.snapshotLogId !== null,
  };
}

export function reply(code: number, message: string, position: SyncPosition | undefined): ApplyReplyMsg {
  return { code, message, position: positionMsg(position) };
}

export function applied(position: SyncPosition | undefined): ApplyReplyMsg {
  return reply(ApplyCode.OK, '', position);
}

/** Position fields read from a stored position, defaulting to the start of the log. */
export function appliedOf(position: SyncPosition | undefined): { logId: number; ts: number } {
  return { logId: position?.appliedLogId ?? 0, ts: position?.appliedTs ?? 0 };
}
