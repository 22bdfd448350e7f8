/**
 * Listeners and drainers announce themselves to a cluster's meta service every
 * heartbeat_interval_secs (SHOW HOSTS <role> lists them ONLINE while they do). Failures are logged
 * and retried at the next beat; the loop stops with its AbortSignal.
 */
import type * as grpc from '@grpc/grpc-js';
import type { HostRole } from '../../catalog/types.ts';
import { GIT_INFO_SHA, PRODUCT_VERSION } from '../meta/version.ts';
import type { Logger } from '../../log.ts';
import { sleep, unary } from './rpc-call.ts';

export interface HeartbeatLoopOptions {
  readonly meta: grpc.Client;
  readonly role: HostRole;
  readonly host: string;
  readonly port: number;
  readonly intervalMs: number;
  readonly log: Logger;
  readonly signal: AbortSignal;
}

export async function runHeartbeats(options: HeartbeatLoopOptions): Promise<void> {
  let failing = false;
  while (!options.signal.aborted) {
    try {
      const reply = await unary<{ code: number; message: string }>(options.meta, 'Heartbeat', {
        role: options.role,
        host: options.host,
        port: options.port,
        git_info_sha: GIT_INFO_SHA,
        version: PRODUCT_VERSION,
      });
      if (reply.code !== 0) options.log.warn('heartbeat refused by meta', { code: reply.code, message: reply.message });
      else if (failing) options.log.info('heartbeat accepted again');
      failing = reply.code !== 0;
    } catch (cause) {
      if (!failing) options.log.warn('heartbeat failed', { cause: (cause as Error).message });
      failing = true;
    }
    await sleep(options.intervalMs, options.signal);
  }
}
