/** Shared setup for the data-executor tests (not a test file): a harness with the seed's schema. */
import { expect } from 'vitest';
import type { Result } from '../../../../src/errors.ts';
import type { ExecOutput } from '../../../../src/executor/types.ts';
import type { DataSet } from '../../../../src/value/types.ts';
import { createHarness, type Harness } from '../../../helpers/exec-harness.ts';

export type { Harness };

/** Run statements that must succeed, one by one. */
export async function runAll(h: Harness, ...texts: string[]): Promise<void> {
  for (const text of texts) {
    const r = await h.run(text);
    if (!r.ok) throw new Error(`${text} -> ${r.error.message}`);
  }
}

/** Run a statement that must answer a table. */
export async function table(h: Harness, text: string): Promise<DataSet> {
  const r: Result<ExecOutput> = await h.run(text);
  if (!r.ok) throw new Error(`${text} -> ${r.error.message}`);
  expect(r.value).toBeDefined();
  return r.value!;
}

/** Run a statement that must be refused; answers the error. */
export async function refused(h: Harness, text: string): Promise<{ code: number; message: string }> {
  const r = await h.run(text);
  if (r.ok) throw new Error(`${text} was accepted`);
  return r.error;
}

/** A harness with a FIXED_STRING(30) space `nba` holding the seed's player/follow schema. */
export async function seedHarness(extra: string[] = []): Promise<Harness> {
  const h = createHarness({ now: () => Date.UTC(2024, 0, 2, 3, 4, 5) });
  await runAll(
    h,
    'ADD HOSTS 127.0.0.1:9779',
    'CREATE SPACE nba(partition_num=15, replica_factor=1, vid_type=fixed_string(30))',
    'USE nba',
    'CREATE TAG player(name string, age int)',
    'CREATE EDGE follow(degree int)',
    ...extra,
  );
  return h;
}
