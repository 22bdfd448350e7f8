/**
 * The main thread's side of the storage writer thread (storage-worker.ts): one thread per
 * process, shared by every storage engine in it (a cluster process has one engine; a test file
 * may open many, and each would otherwise pay for a thread start).
 *
 * Writes are posted with their buffers moved, not copied, and resolve when the `committed` event
 * of their group arrives; each space then hears which partitions got entries. Control calls
 * (close, an explicit purge) are synchronous for their callers, as the storage API is: the main
 * thread posts the call and blocks on a shared signal (`Atomics.wait`, bounded) until the writer
 * has answered on the reply port. The thread is unref'd whenever no write is in flight, so it
 * never keeps a process alive.
 *
 * Where the thread's code comes from: in the build, dist/storage-worker.js (an entry point of
 * scripts/build.mjs, beside the chunk that holds this code); from sources (vitest, tsx), this
 * folder's storage-worker.ts, loaded through tsx's ESM hooks, which an eval'd two-line bootstrap
 * registers in the new thread before importing it.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { deserializeError, type Committed, type ControlOp, type ControlReply, type OpenSpace, type WorkerEvent, type WorkerLog } from './worker-protocol.ts';
import type { WriteRequest } from './write-batch.ts';

/** Longest a control call waits for the writer thread (it may be in a long COMMIT, or starting). */
const CONTROL_CALL_MS_MAX = 120_000;

interface PendingWrite {
  readonly resolve: (logIds: readonly number[]) => void;
  readonly reject: (err: Error) => void;
}

/** How the writer thread is started: its built file, or its source through tsx. */
function startWorker(workerData: unknown, transferList: MessagePort[]): Worker {
  // Kept in a variable: the build rewrites `new URL('<file>', import.meta.url)` into an asset copy.
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./storage-worker.js', here), { workerData, transferList });
  const entry = new URL('./storage-worker.ts', here).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData, transferList });
}

export class StorageWorkerClient {
  private static instance: StorageWorkerClient | undefined;
  private readonly worker: Worker;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly replies: MessagePort;
  private readonly pending = new Map<number, PendingWrite>();
  private readonly committed = new Map<string, (c: Committed) => void>();
  private logSink: ((log: WorkerLog) => void) | undefined;
  private nextWriteId = 1;
  private nextSeq = 1;
  private failure: Error | undefined;

  /** The process's writer thread, started on first use. */
  static shared(): StorageWorkerClient {
    StorageWorkerClient.instance ??= new StorageWorkerClient();
    return StorageWorkerClient.instance;
  }

  private constructor() {
    const channel = new MessageChannel();
    this.replies = channel.port1;
    this.worker = startWorker({ signal: this.signal, replies: channel.port2 }, [channel.port2]);
    this.worker.on('message', (event: WorkerEvent) => this.onEvent(event));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`the storage writer thread exited (code ${code})`)));
    this.worker.unref();
  }

  /** Where the writer's own warnings go (the last engine that asked). */
  onLog(sink: (log: WorkerLog) => void): void {
    this.logSink = sink;
  }

  /** Tell `space`'s committed groups to `handler`; answers an unsubscribe. */
  subscribe(space: string, handler: (c: Committed) => void): () => void {
    this.committed.set(space, handler);
    return () => this.committed.delete(space);
  }

  open(req: Omit<OpenSpace, 'kind'>): void {
    this.post({ kind: 'open', ...req });
  }

  writeId(): number {
    return this.nextWriteId++;
  }

  /** Post `req`; resolves with its entries' log ids once its group committed. */
  write(req: WriteRequest): Promise<readonly number[]> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(req.id, { resolve, reject });
      this.worker.postMessage(req, [req.bodies.buffer as ArrayBuffer]);
    });
  }

  /** Retention sweep, not waited for. */
  purge(cutoffMs: number): void {
    if (this.failure === undefined) this.post({ kind: 'purge', cutoffMs });
  }

  /** Run a control call in the writer thread and wait for its answer, synchronously. */
  call(op: ControlOp): number {
    if (this.failure !== undefined) throw this.failure;
    const seq = this.nextSeq++;
    this.worker.postMessage({ kind: 'call', seq, ...op });
    const deadline = Date.now() + CONTROL_CALL_MS_MAX;
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      if (seen === seq) break;
      if (this.failure !== undefined) throw this.failure;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`the storage writer thread did not answer ${op.op} in ${CONTROL_CALL_MS_MAX} ms`);
      Atomics.wait(this.signal, 0, seen, Math.min(left, 1_000));
    }
    const got = receiveMessageOnPort(this.replies)?.message as ControlReply | undefined;
    if (got === undefined || got.seq !== seq) throw new Error(`the storage writer thread answered out of turn (${op.op})`);
    if (!got.ok) throw new Error(got.error);
    return got.value;
  }

  private post(msg: object): void {
    if (this.failure !== undefined) throw this.failure;
    this.worker.postMessage(msg);
  }

  private onEvent(event: WorkerEvent): void {
    if (event.kind === 'log') return this.logSink?.(event);
    for (const o of event.outcomes) {
      const p = this.pending.get(o.id);
      if (p === undefined) continue;
      this.pending.delete(o.id);
      if ('error' in o) p.reject(deserializeError(o.error));
      else p.resolve(o.logIds);
    }
    if (this.pending.size === 0) this.worker.unref();
    this.committed.get(event.space)?.(event);
  }

  /** The thread is gone: nothing written from now on can be acknowledged. */
  private fail(err: Error): void {
    if (this.failure !== undefined) return;
    this.failure = new Error(`storage writer thread failed: ${err.message}`);
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
    this.logSink?.({ kind: 'log', level: 'error', message: 'the storage writer thread failed: writes are refused', fields: { error: err.message } });
  }
}
