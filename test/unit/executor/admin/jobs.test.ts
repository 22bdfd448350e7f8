// Pins SUBMIT JOB, SHOW JOBS, SHOW JOB, STOP JOB and SHOW STATS, including the seed's Step 3 table.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../src/errors.ts';
import type { Session } from '../../../../src/executor/types.ts';
import { createHarness, type Harness } from '../../../helpers/exec-harness.ts';
import { ok, refused, table, withSpace } from './admin-harness.ts';

const T0 = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
let h: Harness;
let s: Session;
beforeEach(async () => {
  h = createHarness({ now: () => T0 });
  s = await withSpace(h);
});
afterEach(() => h.close());

/** Writes the seed's Step 3 rows straight into storage, under the tag and edge ids the catalog chose. */
async function seedRows(): Promise<void> {
  await ok(h, 'CREATE TAG player(name string, age int)', s);
  await ok(h, 'CREATE EDGE follow(degree int)', s);
  await ok(h, 'CREATE TAG team(name string)', s);
  const ctx = h.ctx(s);
  const space = ctx.meta.catalog().spaces.s;
  const store = ctx.storage.space(space.id);
  if (store === undefined) expect.fail('space s has no storage');
  const player = space.tags.player.id;
  await store.write([
    { op: 'putTag', vid: 'player100', tagId: player, ver: 0, props: { name: 'Tim Duncan', age: 42n } },
    { op: 'putTag', vid: 'player101', tagId: player, ver: 0, props: { name: 'Tony Parker', age: 36n } },
    {
      op: 'putEdge',
      src: 'player101',
      etype: space.edges.follow.id,
      rank: 0n,
      dst: 'player100',
      ver: 0,
      props: { degree: 95n },
    },
  ]);
}

const AT_T0 = { kind: 'datetime', year: 2024, month: 1, day: 2, hour: 3, minute: 4, sec: 5, microsec: 678000 };

describe('SUBMIT JOB STATS / SHOW STATS', () => {
  it('asks for a stats job before there are stats', async () => {
    expect(await refused(h, 'SHOW STATS', s)).toEqual({
      code: ErrorCode.E_EXECUTION_ERROR,
      message: "There is no any stats info to show, please execute `submit job stats' firstly!",
    });
  });

  it("prints the seed's Step 3 table", async () => {
    await seedRows();
    expect(await table(h, 'SUBMIT JOB STATS', s)).toEqual({ columns: ['New Job Id'], rows: [[1n]] });
    expect(await table(h, 'SHOW STATS', s)).toEqual({
      columns: ['Type', 'Name', 'Count'],
      rows: [
        ['Tag', 'player', 2n],
        ['Tag', 'team', 0n],
        ['Edge', 'follow', 1n],
        ['Space', 'vertices', 2n],
        ['Space', 'edges', 1n],
      ],
    });
  });

  it('runs on a read_only space', async () => {
    await ok(h, 'SET VARIABLES read_only=true', s);
    await ok(h, 'SUBMIT JOB STATS', s);
    expect((await table(h, 'SHOW STATS', s)).rows).toEqual([
      ['Space', 'vertices', 0n],
      ['Space', 'edges', 0n],
    ]);
  });

  it('needs a current space', async () => {
    expect((await refused(h, 'SUBMIT JOB STATS', h.session())).message).toBe('SemanticError: Space was not chosen.');
  });
});

describe('SHOW JOBS / SHOW JOB / STOP JOB', () => {
  it('lists finished jobs newest first with their times', async () => {
    await ok(h, 'SUBMIT JOB STATS', s);
    await ok(h, 'SUBMIT JOB COMPACT', s);
    expect(await table(h, 'SHOW JOBS', s)).toEqual({
      columns: ['Job Id', 'Command', 'Status', 'Start Time', 'Stop Time'],
      rows: [
        [2n, 'COMPACT', 'FINISHED', AT_T0, AT_T0],
        [1n, 'STATS', 'FINISHED', AT_T0, AT_T0],
      ],
    });
  });

  it('shows one job with its task and total rows', async () => {
    await ok(h, 'SUBMIT JOB FLUSH', s);
    const job = await table(h, 'SHOW JOB 1', s);
    expect(job.rows[0]).toEqual([1n, 'FLUSH', 'FINISHED', AT_T0, AT_T0, 'SUCCEEDED']);
    expect(job.rows[job.rows.length - 1][0]).toBe('Total:1');
    expect((await refused(h, 'SHOW JOB 9', s)).code).toBe(ErrorCode.E_EXECUTION_ERROR);
  });

  it('refuses to stop a finished or unknown job', async () => {
    await ok(h, 'SUBMIT JOB STATS', s);
    expect((await refused(h, 'STOP JOB 1', s)).code).toBe(ErrorCode.E_EXECUTION_ERROR);
    expect((await refused(h, 'STOP JOB 7', s)).code).toBe(ErrorCode.E_EXECUTION_ERROR);
  });

  it('keeps jobs per space', async () => {
    await ok(h, 'SUBMIT JOB STATS', s);
    await ok(h, 'CREATE SPACE other(vid_type=INT64)');
    const other = h.session('root', 'other');
    expect((await table(h, 'SHOW JOBS', other)).rows).toEqual([]);
    expect((await refused(h, 'SHOW JOB 1', other)).code).toBe(ErrorCode.E_EXECUTION_ERROR);
  });
});
