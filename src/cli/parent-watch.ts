/**
 * A foreground process must not outlive whatever started it on the user's behalf, however that
 * ends (even by SIGKILL, which no handler sees). Two launchers are watched:
 *
 * - `startChild` (the playground, benchmarks, tests) gives each child a stdin pipe and sets
 *   WATCH_STDIN_ENV. The kernel closes the pipe when the launcher dies, so the child reads
 *   end-of-file: event-driven, no polling, any signal.
 * - npm (`npx nebula-sync ...`, `npm start`) runs us under `sh -c`, which does not pass signals on,
 *   so killing npm would leave node running. When npm started us (it sets npm_lifecycle_event),
 *   the nearest npm ancestor is polled (Linux /proc) and its end stops us.
 *
 * Either way `onGone` runs once; the caller stops cleanly as on SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** Set to '1' in a child's environment by startChild: stop when stdin reaches end-of-file. */
export const WATCH_STDIN_ENV = 'NEBULA_SYNC_WATCH_STDIN';
/** How often the npm ancestor is looked at. */
const NPM_POLL_MS = 1_000;
/** Ancestors looked through for npm (node <- sh <- npm, or deeper under a test runner). */
const ANCESTOR_DEPTH_MAX = 8;

interface ProcStat {
  readonly ppid: number;
  /** Start time in clock ticks since boot: tells a reused PID apart. */
  readonly startTicks: string;
}

function procStat(pid: number): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state ppid pgrp ... starttime is 22nd.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), startTicks: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

function isNpm(pid: number): boolean {
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/)[0] ?? '';
    return ['npm', 'npx', 'npm-cli.js', 'npx-cli.js'].includes(basename(argv0));
  } catch {
    return false;
  }
}

/** The nearest npm process above this one, when npm started us; undefined elsewhere. */
function npmAncestor(): { pid: number; stat: ProcStat } | undefined {
  if (process.env['npm_lifecycle_event'] === undefined) return undefined;
  let pid = process.ppid;
  for (let depth = 0; depth < ANCESTOR_DEPTH_MAX && pid > 1; depth++) {
    const stat = procStat(pid);
    if (stat === undefined) return undefined;
    if (isNpm(pid)) return { pid, stat };
    pid = stat.ppid;
  }
  return undefined;
}

/**
 * Calls `onGone(why)` once when the launcher is gone. Answers a function that stops watching.
 * Timers and streams are unref'd: the watch never keeps the process alive.
 */
export function watchLauncher(onGone: (why: string) => void): () => void {
  let done = false;
  const fire = (why: string): void => {
    if (done) return;
    done = true;
    stop();
    onGone(why);
  };
  const cleanups: (() => void)[] = [];
  const stop = (): void => {
    for (const c of cleanups.splice(0)) c();
  };

  if (process.env[WATCH_STDIN_ENV] === '1') {
    // Our own children (if any) get their own pipe; they must not inherit the setting.
    delete process.env[WATCH_STDIN_ENV];
    const onEnd = (): void => fire('the launcher closed its pipe');
    process.stdin.on('end', onEnd);
    process.stdin.on('error', onEnd);
    process.stdin.resume();
    (process.stdin as { unref?: () => void }).unref?.();
    cleanups.push(() => {
      process.stdin.off('end', onEnd);
      process.stdin.off('error', onEnd);
      process.stdin.pause();
    });
    return stop;
  }

  const npm = npmAncestor();
  if (npm !== undefined) {
    const timer = setInterval(() => {
      if (procStat(npm.pid)?.startTicks !== npm.stat.startTicks) fire(`npm (pid ${npm.pid}) exited`);
    }, NPM_POLL_MS);
    timer.unref();
    cleanups.push(() => clearInterval(timer));
  }
  return stop;
}
