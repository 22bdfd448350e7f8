/**
 * Runs the playground's child processes: starts them with `startChild`, sends their logs to one
 * file each, notices when one dies, and stops them all (SIGTERM, then SIGKILL after a timeout).
 * Should the playground itself die, each child sees its stdin pipe close and stops (children.ts).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log.ts';
import { startChild, waitExit, type ChildHandle } from './children.ts';
import type { PlaygroundProcess } from './playground-topology.ts';

/** How long a child may take to exit after SIGTERM before it gets SIGKILL. */
export const STOP_TIMEOUT_MS = 10_000;
/**
 * A child exit this soon after a stop began is part of the stop. Ctrl-C in a terminal signals the
 * whole process group, so a child may exit on its own SIGINT before our handler has run.
 */
const EXIT_GRACE_MS = 500;

interface Running {
  readonly proc: PlaygroundProcess;
  readonly handle: ChildHandle;
  readonly logFile: WriteStream;
  /** Later groups are stopped first: the sync processes before the clusters they talk to. */
  readonly group: number;
}

export interface SupervisorOptions {
  readonly logDir: string;
  readonly log: Logger;
  /** A child exited while nobody asked it to. */
  readonly onUnexpectedExit: (proc: PlaygroundProcess, code: number | null, signal: NodeJS.Signals | null) => void;
}

export class PlaygroundSupervisor {
  readonly #running: Running[] = [];
  #group = 0;
  #stopping: Promise<void> | undefined;

  constructor(private readonly options: SupervisorOptions) {}

  /** Whether a stop began (by a signal, a dead child or a failed start). */
  get stopping(): boolean {
    return this.#stopping !== undefined;
  }

  /** PIDs of every child started, alive or not. */
  pids(): readonly number[] {
    return this.#running.map((r) => r.handle.pid);
  }

  /** Start `procs` together; rejects naming the first that failed (the others keep running until stopAll). */
  async start(procs: readonly PlaygroundProcess[]): Promise<void> {
    const group = this.#group++;
    const results = await Promise.allSettled(procs.map((proc) => this.#startOne(proc, group)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  async #startOne(proc: PlaygroundProcess, group: number): Promise<void> {
    const path = join(this.options.logDir, `${proc.name}.log`);
    const logFile = createWriteStream(path, { flags: 'a' });
    logFile.write(`--- ${new Date().toISOString()} nebula-sync ${proc.command} ${proc.args.join(' ')}\n`);
    this.options.log.info('starting', { process: proc.name, command: proc.command, log: path });
    let handle: ChildHandle;
    try {
      handle = await startChild(proc.command, proc.args, { onStderr: (text) => logFile.write(text) });
    } catch (cause) {
      logFile.end();
      throw new Error(`the ${proc.title} did not start (log: ${path}): ${(cause as Error).message}`);
    }
    this.#running.push({ proc, handle, logFile, group });
    if (this.stopping) {
      // A stop began while this child was starting: the stop did not know it, so end it here.
      await this.#stopOne(this.#running[this.#running.length - 1]!);
      throw new Error(`the ${proc.title} started while the playground was stopping`);
    }
    this.options.log.info('ready', { process: proc.name, pid: handle.pid, ...handle.ready });
    handle.child.once('exit', (code, signal) => {
      logFile.end(`--- exited code=${String(code)} signal=${String(signal)}\n`);
      if (this.stopping) return;
      setTimeout(() => {
        if (!this.stopping) this.options.onUnexpectedExit(proc, code, signal);
      }, EXIT_GRACE_MS);
    });
  }

  /** Stop every child (sync processes first, then clusters). Idempotent: later calls share the first. */
  stopAll(): Promise<void> {
    this.#stopping ??= this.#stopGroups();
    return this.#stopping;
  }

  /** Last resort when the playground itself exits abruptly: SIGKILL whatever still runs. */
  killAllNow(): void {
    for (const r of this.#running) {
      if (r.handle.child.exitCode === null && r.handle.child.signalCode === null) r.handle.child.kill('SIGKILL');
    }
  }

  async #stopGroups(): Promise<void> {
    const groups = [...new Set(this.#running.map((r) => r.group))].sort((a, b) => b - a);
    for (const group of groups) {
      await Promise.all(this.#running.filter((r) => r.group === group).map((r) => this.#stopOne(r)));
    }
  }

  async #stopOne(r: Running): Promise<void> {
    const child = r.handle.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      waitExit(child).then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), STOP_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      this.options.log.warn('did not stop in time; killing', { process: r.proc.name, pid: r.handle.pid, timeoutMs: STOP_TIMEOUT_MS });
      child.kill('SIGKILL');
      await waitExit(child);
    }
    this.options.log.info('stopped', { process: r.proc.name, pid: r.handle.pid });
  }
}
