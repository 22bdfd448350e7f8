/**
 * Ships one source partition to its drainer for as long as it is assigned and not stopped:
 * hello, position, then the data or meta session; on any failure it backs off and starts again
 * from the drainer's answer, so it resumes exactly where the secondary says it stopped (rule 9).
 */
import type { Logger } from '../../../log.ts';
import { backoffMs, sleep } from '../rpc-call.ts';
import { num, type PositionMsg } from '../wire.ts';
import type { PartAssignment, PartContext } from './part-context.ts';
import type { RpcClients } from './rpc-clients.ts';
import { shipData } from './ship-data.ts';
import { shipMeta } from './ship-meta.ts';
import { ShipRefused, ShipSession } from './ship-session.ts';

/** After a refusal the part waits as if it had failed this many times (a refusal rarely heals fast). */
const REFUSED_ATTEMPT = 5;

export interface PartProgressState {
  readonly shipping: boolean;
  readonly ackedLogId: number;
  readonly ackedTs: number;
}

export interface PartShipperOptions {
  readonly assignment: PartAssignment;
  readonly clients: RpcClients;
  readonly listenerAddr: string;
  readonly windowBatches: number;
  readonly log: Logger;
  readonly onProgress: (state: PartProgressState) => void;
}

export class PartShipper {
  private readonly controller = new AbortController();
  private readonly log: Logger;
  private running: Promise<void> | undefined;
  private attempt = 0;
  private lastError = '';
  private state: PartProgressState = { shipping: false, ackedLogId: 0, ackedTs: 0 };

  constructor(private readonly options: PartShipperOptions) {
    const a = options.assignment;
    this.log = options.log.child({ space: a.source.space_name, part: a.part, drainer: a.drainer, target: a.targetSpace });
  }

  get progress(): PartProgressState {
    return this.state;
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Cancel the streams and wait for the loop to end; the part then reports shipping = false. */
  async stop(): Promise<void> {
    if (!this.controller.signal.aborted) this.log.info('stopped shipping');
    this.controller.abort();
    await this.running;
  }

  private async run(): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      const session = new ShipSession(this.options.clients.get('Drainer', this.options.assignment.drainer), this.options.windowBatches, signal, (p) =>
        this.acked(p),
      );
      try {
        await this.session(session);
      } catch (err) {
        if (signal.aborted) break;
        this.failed(err as Error);
      } finally {
        session.close();
        this.update({ ...this.state, shipping: false });
      }
      await sleep(backoffMs(this.attempt++), signal);
    }
  }

  private async session(session: ShipSession): Promise<never> {
    const a = this.options.assignment;
    const reply = await session.sayHello({ source: a.source, target_space: a.targetSpace, part: a.part, listener: this.options.listenerAddr });
    if (reply.code !== 0) throw new ShipRefused(reply.code, reply.message);
    const position: PositionMsg = reply.position ?? { applied_log_id: 0, applied_ts: 0, needs_snapshot: false };
    this.acked(position);
    this.attempt = 0;
    this.lastError = '';
    this.update({ ...this.state, shipping: true });
    this.log.info('connected to the drainer', { applied: num(position.applied_log_id), needsSnapshot: position.needs_snapshot });
    const ctx: PartContext = {
      assignment: a,
      clients: this.options.clients,
      listenerAddr: this.options.listenerAddr,
      log: this.log,
      windowBatches: this.options.windowBatches,
      attempt: () => this.attempt,
      ackedLogId: () => this.state.ackedLogId,
    };
    return a.part === 0 ? shipMeta(ctx, session, position) : shipData(ctx, session, position);
  }

  private failed(err: Error): void {
    if (err instanceof ShipRefused) {
      this.attempt = Math.max(this.attempt, REFUSED_ATTEMPT);
      if (err.message !== this.lastError) this.log.warn('refused by the drainer', { code: err.code, message: err.message });
    } else if (err.message !== this.lastError) {
      this.log.warn('shipping interrupted; retrying', { cause: err.message });
    }
    this.lastError = err.message;
  }

  private acked(position: PositionMsg): void {
    this.update({ ...this.state, ackedLogId: num(position.applied_log_id), ackedTs: num(position.applied_ts) });
  }

  private update(next: PartProgressState): void {
    const s = this.state;
    if (s.shipping === next.shipping && s.ackedLogId === next.ackedLogId && s.ackedTs === next.ackedTs) return;
    this.state = next;
    this.options.onProgress(next);
  }
}
