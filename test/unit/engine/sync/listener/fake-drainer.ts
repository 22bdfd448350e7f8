/**
 * A drainer for listener tests, written against the wire only: it answers each hello with the
 * position it holds for that part (or a chosen refusal), records every batch and snapshot chunk,
 * acknowledges them in order with the new applied position, and can hold acknowledgements back to
 * test the listener's window.
 */
import * as grpc from '@grpc/grpc-js';
import { serviceDefinition } from '../../../../../src/server/rpc/proto.ts';
import { openRpcPort, type RpcPort } from '../../../../../src/server/rpc/rpc-port.ts';
import { ShipMux, type ShipManyCall } from '../../../../../src/engine/sync/drainer/ship-mux.ts';
import { num, type ShipHelloMsg, type ShipReplyMsg, type ShipRequestMsg, type WalBatchMsg, type SnapshotChunkMsg } from '../../../../../src/engine/sync/wire.ts';

export interface PartPosition {
  applied: number;
  appliedTs: number;
  needsSnapshot: boolean;
}

export type Received = { part: number; batch: WalBatchMsg } | { part: number; snapshot: SnapshotChunkMsg };

export class FakeDrainer {
  readonly server = new grpc.Server();
  port = 0;
  private rpcPort: RpcPort | undefined;
  readonly positions = new Map<number, PartPosition>();
  readonly received: Received[] = [];
  readonly hellos: ShipHelloMsg[] = [];
  /** Most unacknowledged requests seen on one stream. */
  maxUnacked = 0;
  /** Answer hellos with this code instead of a position. */
  refuseWith: { code: number; message: string } | undefined;
  /** While true, acknowledgements wait until release(). */
  holdAcks = false;
  private held: (() => void)[] = [];
  openStreams = 0;

  async start(): Promise<string> {
    this.server.addService(serviceDefinition('Drainer'), {
      Health: (_c: unknown, cb: grpc.sendUnaryData<unknown>) => cb(null, { role: 'DRAINER', status: 'ONLINE' }),
      Ship: (call: grpc.ServerDuplexStream<ShipRequestMsg, ShipReplyMsg>) => this.ship(call),
      // The listener's streams arrive as virtual streams of one ShipMany call, as at a real drainer.
      ShipMany: (call: ShipManyCall) => void new ShipMux(call, (stream) => this.ship(stream as unknown as grpc.ServerDuplexStream<ShipRequestMsg, ShipReplyMsg>)),
    });
    this.rpcPort = await openRpcPort(this.server, '127.0.0.1:0', undefined);
    this.port = this.rpcPort.port;
    return `127.0.0.1:${this.port}`;
  }

  position(part: number): PartPosition {
    let p = this.positions.get(part);
    if (p === undefined) this.positions.set(part, (p = { applied: 0, appliedTs: 0, needsSnapshot: false }));
    return p;
  }

  batches(part: number): WalBatchMsg[] {
    return this.received.flatMap((r) => (r.part === part && 'batch' in r ? [r.batch] : []));
  }

  chunks(part: number): SnapshotChunkMsg[] {
    return this.received.flatMap((r) => (r.part === part && 'snapshot' in r ? [r.snapshot] : []));
  }

  release(): void {
    this.holdAcks = false;
    const held = this.held;
    this.held = [];
    for (const ack of held) ack();
  }

  close(): void {
    this.rpcPort?.destroy();
  }

  private ship(call: grpc.ServerDuplexStream<ShipRequestMsg, ShipReplyMsg>): void {
    let part = -1;
    let unacked = 0;
    this.openStreams += 1;
    let open = true;
    const closed = () => {
      if (open) this.openStreams -= 1;
      open = false;
    };
    // A Ship call closes; a virtual stream of ShipMany is cancelled.
    call.on('close', closed);
    call.on('cancelled', closed);
    call.on('error', () => undefined);
    call.on('data', (req: ShipRequestMsg) => {
      if (req.hello !== undefined && req.body === 'hello') {
        this.hellos.push(req.hello);
        part = req.hello.part;
        if (this.refuseWith !== undefined) return call.write({ ...this.refuseWith, position: null });
        return call.write({ code: 0, message: '', position: this.wire(this.position(part)) });
      }
      unacked += 1;
      this.maxUnacked = Math.max(this.maxUnacked, unacked);
      const p = this.position(part);
      if (req.body === 'batch' && req.batch !== undefined) {
        this.received.push({ part, batch: req.batch });
        p.applied = num(req.batch.last_log_id);
        p.appliedTs = num(req.batch.last_ts);
      } else if (req.body === 'snapshot' && req.snapshot !== undefined) {
        this.received.push({ part, snapshot: req.snapshot });
        p.needsSnapshot = !req.snapshot.last;
        if (req.snapshot.last) {
          p.applied = num(req.snapshot.log_id);
          p.appliedTs = num(req.snapshot.ts);
        }
      }
      const reply = { code: 0, message: '', position: this.wire(p) };
      const ack = () => {
        unacked -= 1;
        call.write(reply);
      };
      if (this.holdAcks) this.held.push(ack);
      else ack();
    });
  }

  private wire(p: PartPosition) {
    return { applied_log_id: p.applied, applied_ts: p.appliedTs, needs_snapshot: p.needsSnapshot };
  }
}
