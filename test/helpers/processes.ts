/**
 * Real processes for integration tests: starts `nebula-sync <command>` children on free loopback
 * ports (port 0, read back from the ready line), remembers every PID, and stops them all.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BIN, clusterPorts, startChild, waitExit, type ChildHandle, type ClusterPorts } from '../../src/cli/children.ts';

export const REPO = resolve(import.meta.dirname, '../..');

const started = new Set<ChildHandle>();

export interface ClusterProcess extends ChildHandle {
  readonly dataPath: string;
  readonly ports: ClusterPorts;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `nebula-sync-${prefix}-`));
}

/** Start any `nebula-sync <command>`; it is stopped by stopAll(). */
export async function start(command: string, args: readonly string[]): Promise<ChildHandle> {
  const handle = await startChild(command, args, { cwd: REPO });
  started.add(handle);
  handle.child.once('exit', () => started.delete(handle));
  return handle;
}

/** Start `nebula-sync cluster` with every port 0; resolves when it is ready. */
export async function startCluster(dataPath: string, extraFlags: readonly string[] = []): Promise<ClusterProcess> {
  const handle = await start('cluster', [
    '--local_ip=127.0.0.1',
    '--port=0',
    '--meta_port=0',
    '--storage_port=0',
    '--ws_http_port=0',
    `--data_path=${dataPath}`,
    '--heartbeat_interval_secs=1',
    ...extraFlags,
  ]);
  return { ...handle, dataPath, ports: clusterPorts(handle.ready) };
}

/** Run `nebula-sync console` to completion; answers exit code and output. */
export function runConsole(port: number, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    [BIN, 'console', '--addr=127.0.0.1', `--port=${port}`, '-u', 'root', '-p', 'nebula', ...args],
    { cwd: REPO, encoding: 'utf8', timeout: 60_000 },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Stop every process this module started (afterAll). */
export async function stopAll(): Promise<void> {
  const handles = [...started];
  for (const handle of handles) handle.child.kill('SIGKILL');
  await Promise.all(handles.map((h) => waitExit(h.child)));
}
