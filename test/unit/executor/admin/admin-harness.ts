/**
 * Small helpers over the in-process test cluster for the admin executor tests: run a statement
 * and get its table or its error, or run it with a chosen synchronization runtime.
 */
import { expect } from 'vitest';
import type { NgError } from '../../../../src/errors.ts';
import { executeStatements } from '../../../../src/executor/index.ts';
import type { ExecOutput, Session, SyncRuntime } from '../../../../src/executor/types.ts';
import { parse } from '../../../../src/parser/parse.ts';
import type { DataSet } from '../../../../src/value/types.ts';
import type { Harness } from '../../../helpers/exec-harness.ts';

/** Runs `text`; fails the test unless it succeeds. */
export async function ok(h: Harness, text: string, session?: Session): Promise<ExecOutput> {
  const res = await h.run(text, session);
  if (!res.ok) expect.fail(`${text} -> ${res.error.message}`);
  return res.value;
}

/** Runs `text` and answers its table; fails the test unless it succeeds with one. */
export async function table(h: Harness, text: string, session?: Session): Promise<DataSet> {
  const out = await ok(h, text, session);
  if (out === undefined) expect.fail(`${text} answered no table`);
  return out;
}

/** Runs `text` and answers its error; fails the test if it succeeds. */
export async function refused(h: Harness, text: string, session?: Session): Promise<NgError> {
  const res = await h.run(text, session);
  if (res.ok) expect.fail(`${text} was accepted`);
  return res.error;
}

/** A runtime in which every listener, drainer and partition reports the given status rows. */
export function syncRuntime(overrides: Partial<SyncRuntime> = {}): SyncRuntime {
  return {
    listenerStatus: () => 'ONLINE',
    drainerStatus: () => 'ONLINE',
    syncStatus: () => [],
    drainerSyncStatus: () => [],
    syncErrors: () => [],
    ...overrides,
  };
}

/** Runs `text` as `session` with `sync` in place of the harness's idle runtime. */
export async function tableWithSync(h: Harness, text: string, session: Session, sync: SyncRuntime): Promise<DataSet> {
  const parsed = parse(text);
  if (!parsed.ok) expect.fail(parsed.error.message);
  const res = await executeStatements(parsed.statements, { ...h.ctx(session), sync });
  if (!res.ok) expect.fail(`${text} -> ${res.error.message}`);
  if (res.value === undefined) expect.fail(`${text} answered no table`);
  return res.value;
}

/** A cluster with one storage host and a space `s` (15 parts, FIXED_STRING(30)) in use by root. */
export async function withSpace(h: Harness, name = 's'): Promise<Session> {
  await ok(h, 'ADD HOSTS 127.0.0.1:9779');
  await ok(h, `CREATE SPACE ${name}(partition_num=15, replica_factor=1, vid_type=fixed_string(30))`);
  const root = h.session('root', name);
  return root;
}
