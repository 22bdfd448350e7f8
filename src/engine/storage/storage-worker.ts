/**
 * The storage writer thread: every SQLite write of the process happens here (write transactions,
 * group commit, fsync, WAL append, retention), so the graph service's event loop never waits for
 * a COMMIT and a cluster uses a second core. The main thread keeps its own connections for reads;
 * in WAL mode they never wait for this one and see only what it committed.
 *
 * It serves messages in arrival order (worker-protocol.ts): `open` a space's file, `write`
 * (reported after its group's COMMIT in a `committed` event), `purge` (the retention timer), and
 * control `call`s, which the main thread waits for: the reply goes to the reply port, then the
 * shared signal is raised and notified. A failure here is reported, never left hanging.
 *
 * Loaded as dist/storage-worker.js from the build, or from this source through tsx under tests
 * (storage-worker-client.ts decides which).
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openSpaceDb } from './space-schema.ts';
import { SpaceWriter } from './space-writer.ts';
import { serializeError, type ControlCall, type ControlReply, type OpenSpace, type WorkerEvent, type WorkerRequest } from './worker-protocol.ts';
import type { WriteRequest } from './write-batch.ts';

interface WorkerSetup {
  readonly signal: Int32Array;
  readonly replies: MessagePort;
}

const { signal, replies } = workerData as WorkerSetup;
const port = parentPort!;
/** Open spaces by key, or why opening failed (every write to it then fails with that). */
const spaces = new Map<string, SpaceWriter | Error>();

const emit = (event: WorkerEvent): void => port.postMessage(event);

function open(m: OpenSpace): void {
  const old = spaces.get(m.space);
  if (old instanceof SpaceWriter) old.close();
  try {
    const db = openSpaceDb(m.file, m.fsync);
    spaces.set(m.space, new SpaceWriter(db, m.partitionNum, (outcomes, parts, walRowids) => emit({ kind: 'committed', space: m.space, outcomes, parts, walRowids })));
  } catch (err) {
    spaces.set(m.space, err instanceof Error ? err : new Error(String(err)));
  }
}

function write(m: WriteRequest): void {
  const writer = spaces.get(m.space) ?? new Error(`space ${m.space} is not open in the storage writer`);
  if (writer instanceof SpaceWriter) return writer.write(m);
  emit({ kind: 'committed', space: m.space, outcomes: [{ id: m.id, error: serializeError(writer) }], parts: [] });
}

function purge(cutoffMs: number): number {
  let purged = 0;
  for (const [space, writer] of spaces) {
    if (!(writer instanceof SpaceWriter)) continue;
    try {
      purged += writer.purgeOlderThan(cutoffMs);
    } catch (err) {
      emit({ kind: 'log', level: 'warn', message: 'WAL retention failed; it is tried again at the next sweep', fields: { space, error: String(err) } });
    }
  }
  return purged;
}

function close(keys: readonly string[]): number {
  for (const key of keys) {
    const writer = spaces.get(key);
    spaces.delete(key);
    if (writer instanceof SpaceWriter) writer.close();
  }
  return keys.length;
}

function answer(m: ControlCall): void {
  let reply: ControlReply;
  try {
    const value = m.op === 'purge' ? purge(m.cutoffMs) : m.op === 'close' ? close(m.spaces) : 0;
    reply = { seq: m.seq, ok: true, value };
  } catch (err) {
    reply = { seq: m.seq, ok: false, error: String(err) };
  }
  replies.postMessage(reply);
  Atomics.store(signal, 0, m.seq);
  Atomics.notify(signal, 0);
}

port.on('message', (m: WorkerRequest) => {
  switch (m.kind) {
    case 'open':
      return open(m);
    case 'write':
      return write(m);
    case 'purge':
      return void purge(m.cutoffMs);
    case 'call':
      return answer(m);
  }
});
