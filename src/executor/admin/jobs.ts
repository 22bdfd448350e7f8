/**
 * SUBMIT JOB, SHOW JOBS, SHOW JOB, STOP JOB and SHOW STATS. Jobs run to completion inside the
 * statement (a STATS job is one count over the space's storage), so a submitted job is logged as
 * added and then finished; COMPACT and FLUSH have nothing to do on SQLite and finish at once.
 */
import { findJob, jobsOf, schemasOf } from '../../catalog/lookup.ts';
import type { Catalog, JobDesc, SpaceDesc, StatsDesc } from '../../catalog/types.ts';
import { Errors, fail, ok, type Result } from '../../errors.ts';
import { dataSet, type Value } from '../../value/types.ts';
import { readableSpace, currentSpace } from '../space-guard.ts';
import { requireDba } from '../permissions.ts';
import type { ExecContext, Executor } from '../types.ts';
import { dateTimeOf, int, own } from './cells.ts';

const jobNotFound = () => Errors.executionPlain('Job not existed!');

/** Counts of the space's storage, by the names its schemas have now (a dropped tag no longer counts). */
function statsOf(ctx: ExecContext, space: SpaceDesc): StatsDesc {
  const store = ctx.storage.space(space.id) ?? ctx.storage.openSpace(space.id, space.partitionNum, space.vidType.kind);
  const counts = store.counts();
  // fromEntries makes own properties even for a tag called __proto__.
  const tags = Object.fromEntries(schemasOf(space, 'TAG').map((t) => [t.name, counts.tags.get(t.id) ?? 0]));
  const edges = Object.fromEntries(schemasOf(space, 'EDGE').map((e) => [e.name, counts.edges.get(e.id) ?? 0]));
  return { tags, edges, vertices: counts.vertices, edgeCount: counts.edgeCount };
}

/** The job the last addJob of this command in this space created: the newest one. */
function newestJob(cat: Catalog, space: string, command: string): JobDesc | undefined {
  return jobsOf(cat, space).find((j) => j.command === command);
}

/** The current space, for a job statement by someone allowed to run jobs there. */
function jobSpace(ctx: ExecContext): Result<SpaceDesc> {
  const space = currentSpace(ctx);
  if (!space.ok) return space;
  const denied = requireDba(ctx, space.value.name, 'No permission to run jobs.');
  return denied ? fail(denied) : space;
}

export const submitJob: Executor<'SubmitJob'> = (stmt, ctx) => {
  // Jobs only read the data (STATS) or tidy storage, so read_only spaces run them too: the seed
  // counts a read_only secondary with SUBMIT JOB STATS.
  const space = jobSpace(ctx);
  if (!space.ok) return space;
  const name = space.value.name;
  const added = ctx.meta.commit({ op: 'addJob', space: name, command: stmt.job, time: ctx.now() });
  const job = newestJob(added, name, stmt.job);
  if (job === undefined) return fail(Errors.spaceNotFound());
  const stats = stmt.job === 'STATS' ? statsOf(ctx, space.value) : undefined;
  ctx.meta.commit({
    op: 'finishJob',
    id: job.id,
    status: 'FINISHED',
    time: ctx.now(),
    ...(stats !== undefined ? { stats } : {}),
  });
  return ok(dataSet(['New Job Id'], [[int(job.id)]]));
};

function jobRow(job: JobDesc): Value[] {
  return [int(job.id), job.command, job.status, dateTimeOf(job.startTime), dateTimeOf(job.stopTime)];
}

export const showJobs: Executor<'ShowJobs'> = (_stmt, ctx) => {
  const space = readableSpace(ctx);
  if (!space.ok) return space;
  const rows = jobsOf(ctx.meta.catalog(), space.value.name).map(jobRow);
  return ok(dataSet(['Job Id', 'Command', 'Status', 'Start Time', 'Stop Time'], rows));
};

/** The job `id` of the current space; a job of another space is as good as absent. */
function jobInSpace(ctx: ExecContext, space: SpaceDesc, id: number): JobDesc | undefined {
  const job = findJob(ctx.meta.catalog(), id);
  return job !== undefined && job.space === space.name ? job : undefined;
}

export const showJob: Executor<'ShowJob'> = (stmt, ctx) => {
  const space = readableSpace(ctx);
  if (!space.ok) return space;
  const job = jobInSpace(ctx, space.value, stmt.id);
  if (job === undefined) return fail(jobNotFound());
  // One task per storage host, as NebulaGraph splits a job; each ends as the job did.
  const hosts = ctx.meta.catalog().storageHosts;
  const code = job.status === 'FINISHED' ? 'SUCCEEDED' : job.status === 'FAILED' ? 'E_UNKNOWN' : '';
  const tasks = hosts.map((host, i) => [
    int(i),
    host,
    job.status,
    dateTimeOf(job.startTime),
    dateTimeOf(job.stopTime),
    code,
  ]);
  const finished = job.status === 'FINISHED' ? hosts.length : 0;
  const failed = job.status === 'FAILED' ? hosts.length : 0;
  const total = [
    `Total:${hosts.length}`,
    `Succeeded:${finished}`,
    `Failed:${failed}`,
    `In Progress:${hosts.length - finished - failed}`,
    '',
    '',
  ];
  return ok(
    dataSet(
      ['Job Id(TaskId)', 'Command(Dest)', 'Status', 'Start Time', 'Stop Time', 'Error Code'],
      [[...jobRow(job), code], ...tasks, total],
    ),
  );
};

export const stopJob: Executor<'StopJob'> = (stmt, ctx) => {
  const space = jobSpace(ctx);
  if (!space.ok) return space;
  const job = jobInSpace(ctx, space.value, stmt.id);
  if (job === undefined) return fail(jobNotFound());
  if (job.status !== 'QUEUE' && job.status !== 'RUNNING') {
    return fail(Errors.executionPlain(`Job ${job.id} is ${job.status}, it can not be stopped.`));
  }
  ctx.meta.commit({ op: 'finishJob', id: job.id, status: 'STOPPED', time: ctx.now() });
  return ok(dataSet(['Result'], [['Job stopped']]));
};

export const showStats: Executor<'ShowStats'> = (_stmt, ctx) => {
  const space = readableSpace(ctx);
  if (!space.ok) return space;
  const stats = own(ctx.meta.catalog().stats, space.value.name);
  if (stats === undefined) return fail(Errors.statsNotFound());
  const byName = (record: Readonly<Record<string, number>>) => Object.keys(record).sort();
  const rows: Value[][] = [
    ...byName(stats.tags).map((n) => ['Tag', n, int(stats.tags[n])]),
    ...byName(stats.edges).map((n) => ['Edge', n, int(stats.edges[n])]),
    ['Space', 'vertices', int(stats.vertices)],
    ['Space', 'edges', int(stats.edgeCount)],
  ];
  return ok(dataSet(['Type', 'Name', 'Count'], rows));
};
