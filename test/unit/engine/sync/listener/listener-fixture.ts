/**
 * A primary, a fake drainer and a listener wired together in one process, the way the seed's
 * Steps 1-2 wire real processes: SIGN IN DRAINER SERVICE and ADD LISTENER SYNC on the primary.
 */
import type { Logger } from '../../../../../src/log.ts';
import { Listener, type ListenerOptions } from '../../../../../src/engine/sync/listener/listener.ts';
import { decodeWalEntry } from '../../../../../src/engine/wal/wal-codec.ts';
import { num, type WalBatchMsg } from '../../../../../src/engine/sync/wire.ts';
import { startPrimary, type Primary } from '../../../server/rpc/primary/primary-fixture.ts';
import { FakeDrainer } from './fake-drainer.ts';

/** A logger that keeps every line, so tests can see what a listener reported. */
export function recordingLogger(lines: { level: string; msg: string; fields: Record<string, unknown> }[] = [], base: Record<string, unknown> = {}): Logger & { lines: typeof lines } {
  const at = (level: string) => (msg: string, fields: Record<string, unknown> = {}) => void lines.push({ level, msg, fields: { ...base, ...fields } });
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => recordingLogger(lines, { ...base, ...fields }),
  };
}

export interface SyncRig {
  readonly primary: Primary;
  readonly drainer: FakeDrainer;
  readonly log: ReturnType<typeof recordingLogger>;
  listener: Listener;
  listenerPort: number;
  spaceId: number;
  /** Start (again) a listener of `role` on the rig's listener port. */
  startListener(extra?: Partial<ListenerOptions>): Promise<Listener>;
  close(): Promise<void>;
}

/**
 * Primary space `s` (FIXED_STRING(30), tag player) synced to target `t` by a listener of `role`;
 * the sync is added only after `before` ran (to test pre-existing data).
 */
export async function startRig(options: {
  role: 'meta' | 'storage';
  partitionNum: number;
  before?: (primary: Primary) => Promise<unknown>;
  listener?: Partial<ListenerOptions>;
}): Promise<SyncRig> {
  const primary = await startPrimary();
  const drainer = new FakeDrainer();
  const drainerAddr = await drainer.start();
  const log = recordingLogger();
  await primary.run(`CREATE SPACE s(partition_num=${options.partitionNum}, vid_type=fixed_string(30))`, 'USE s', 'CREATE TAG player(name string, age int)');
  await options.before?.(primary);
  const rig: SyncRig = {
    primary,
    drainer,
    log,
    listener: undefined as unknown as Listener,
    listenerPort: 0,
    spaceId: primary.cluster.metaStore.catalog().spaces['s']!.id,
    startListener: async (extra = {}) => {
      rig.listener = new Listener({
        role: options.role,
        localIp: '127.0.0.1',
        port: rig.listenerPort,
        metaServerAddrs: [primary.metaAddr],
        heartbeatIntervalSecs: 1,
        log,
        ...options.listener,
        ...extra,
      });
      rig.listenerPort = (await rig.listener.start()).port;
      return rig.listener;
    },
    close: async () => {
      await rig.listener?.close();
      drainer.close();
      await primary.close();
    },
  };
  await rig.startListener();
  const addr = `127.0.0.1:${rig.listenerPort}`;
  // The other kind of listener gets an address nobody serves.
  const [meta, storage] = options.role === 'meta' ? [addr, '127.0.0.1:1'] : ['127.0.0.1:1', addr];
  await primary.run(`SIGN IN DRAINER SERVICE(${drainerAddr})`, `ADD LISTENER SYNC META ${meta} STORAGE ${storage} TO SPACE t`);
  return rig;
}

/** Every data log id the drainer received for `part`, checking each batch's range matches its entries. */
export function shippedLogIds(batches: readonly WalBatchMsg[]): number[] {
  const ids: number[] = [];
  for (const b of batches) {
    const entries = b.entries.map((e) => decodeWalEntry(e).logId);
    const first = num(b.first_log_id);
    if (entries.some((id, i) => id !== first + i) || num(b.last_log_id) !== first + entries.length - 1) {
      throw new Error(`batch ${first}..${num(b.last_log_id)} does not match its entries ${entries.join(',')}`);
    }
    ids.push(...entries);
  }
  return ids;
}

export const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

export const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
