/**
 * What the secondary's meta says about this drainer, polled every ASSIGNMENT_POLL_MS: the target
 * spaces that added it (GetAssignment, role DRAINER) and the secondary's storage hosts, where data
 * is applied. The last good answer stays in force while the meta is unreachable.
 */
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '../../../log.ts';
import { sleep, unary } from '../rpc-call.ts';
import type { AssignmentReplyMsg } from '../wire.ts';

/** How often the assignment is asked for. */
export const ASSIGNMENT_POLL_MS = 200;

export interface AssignmentPollerOptions {
  readonly meta: grpc.Client;
  readonly host: string;
  readonly port: () => number;
  readonly log: Logger;
  readonly signal: AbortSignal;
}

export class AssignmentPoller {
  /** "ip:port" of the secondary's storage services (ADD HOSTS there). */
  storageHosts: readonly string[] = [];
  /** Target spaces that added this drainer. */
  targets: ReadonlySet<string> = new Set();
  /** The secondary's cluster id ('' until its meta answered): Drainer.Health tells it. */
  clusterId = '';
  private failing = false;

  constructor(private readonly options: AssignmentPollerOptions) {}

  /** Ask once now; answers whether the meta answered. */
  async refresh(): Promise<boolean> {
    const { meta, host, port, log } = this.options;
    try {
      const reply = await unary<AssignmentReplyMsg>(meta, 'GetAssignment', { role: 'DRAINER', host, port: port() });
      if (reply.code !== 0) throw new Error(`code ${reply.code}: ${reply.message}`);
      this.storageHosts = [...reply.storage_hosts];
      this.targets = new Set(reply.assignments.map((a) => a.target_space));
      this.clusterId = reply.cluster_id;
      if (this.failing) log.info('assignment from the secondary meta again', { storageHosts: this.storageHosts });
      this.failing = false;
      return true;
    } catch (cause) {
      // Logged once per outage: the poll runs five times a second.
      if (!this.failing) log.warn('cannot get the assignment from the secondary meta', { cause: (cause as Error).message });
      this.failing = true;
      return false;
    }
  }

  /** Poll until the signal aborts. */
  async run(): Promise<void> {
    while (!this.options.signal.aborted) {
      await this.refresh();
      await sleep(ASSIGNMENT_POLL_MS, this.options.signal);
    }
  }
}
