/**
 * Starts `nebula-sync <command>` as child processes and waits until they say they are ready.
 * Used by the playground, the benchmarks and the integration tests, so each runs real processes
 * the same way. Every process prints one `nebula-sync <command> ready ...` line on stdout.
 * Each child holds a pipe from us on its stdin and stops cleanly when it closes, so no child
 * outlives its launcher, however the launcher ends (parent-watch.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WATCH_STDIN_ENV } from './parent-watch.ts';

export const BIN = fileURLToPath(new URL('../../bin/nebula-sync.js', import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const STDERR_KEPT_CHARS = 20_000;

export interface ChildHandle {
  readonly child: ChildProcess;
  readonly pid: number;
  /** The ready line's `key=value` fields, e.g. graph, meta, storage, http, port. */
  readonly ready: Readonly<Record<string, string>>;
  /** The last stderr output (structured logs), for diagnostics. */
  stderr(): string;
  /** SIGTERM, then wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, then wait. */
  kill9(): Promise<void>;
}

export function waitExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function parseReady(line: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of line.matchAll(/(\w+)=(\S+)/g)) fields[m[1]!] = m[2]!;
  return fields;
}

/** Spawn `nebula-sync <command> ...args` and resolve once its ready line appears. */
export async function startChild(
  command: string,
  args: readonly string[],
  options: { cwd?: string; onStderr?: (chunk: string) => void } = {},
): Promise<ChildHandle> {
  const child = spawn(process.execPath, [BIN, command, ...args], {
    cwd: options.cwd,
    env: { ...process.env, [WATCH_STDIN_ENV]: '1' },
    // stdin: the watchdog pipe. Nothing is written to it; it closes when this process ends.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    stderr = (stderr + text).slice(-STDERR_KEPT_CHARS);
    options.onStderr?.(text);
  });
  const ready = await new Promise<Record<string, string>>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`nebula-sync ${command} was not ready in ${READY_TIMEOUT_MS} ms:\n${stderr}`));
    }, READY_TIMEOUT_MS);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`nebula-sync ${command} exited with ${code} before it was ready:\n${stderr}`));
    };
    child.once('exit', onExit);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.startsWith(`nebula-sync ${command} ready`));
      if (line === undefined) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve(parseReady(line));
    });
  });
  return {
    child,
    pid: child.pid!,
    ready,
    stderr: () => stderr,
    stop: async () => {
      child.kill('SIGTERM');
      return waitExit(child);
    },
    kill9: async () => {
      child.kill('SIGKILL');
      await waitExit(child);
    },
  };
}

export interface ClusterPorts {
  readonly graph: number;
  readonly meta: number;
  readonly storage: number;
  readonly http: number;
}

/** The ports a cluster's ready line announces. */
export function clusterPorts(ready: Readonly<Record<string, string>>): ClusterPorts {
  const graph = Number((ready['graph'] ?? '').split(':').pop());
  return { graph, meta: Number(ready['meta']), storage: Number(ready['storage']), http: Number(ready['http']) };
}
