/**
 * `nebula-sync switchover` as a library: the seed's seven steps ("Switch between primary and
 * secondary clusters") run in order over the graph protocol, with guards. Before step 1 it reads
 * both clusters and refuses what cannot finish (switchover-preflight.ts); step 2 goes on only when
 * both status tables read 0 / 0 and VERIFY SYNC matches (switchover-guard.ts). When a guard refuses
 * or a step fails, every statement done so far is taken back in reverse, so both clusters are as
 * they were; should taking back fail too, it says which step failed and prints the statements that
 * finish the job by hand, either way. On success it prints the rows lost (0, proved by VERIFY SYNC
 * at the read-only cut) and how long writes were refused.
 *
 * @example
 *   const code = await runSwitchover(options, { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) });
 */
import { GraphClientError } from '../../client/graph-client.ts';
import { GraphSession, type StatementSession } from '../graph-session.ts';
import { syncGuard } from './switchover-guard.ts';
import { planText, sideText, switchoverSteps, undoOrderOf } from './switchover-plan.ts';
import { preflight, Refused } from './switchover-preflight.ts';
import { addrText, SwitchoverExit, type Side, type Step, type SwitchoverFacts, type SwitchoverOptions } from './switchover-types.ts';

export interface SwitchoverIO {
  out(text: string): void;
  err(text: string): void;
}

/** How the runner reaches a cluster: a signed-in session on `side`'s graph service. */
export type OpenSession = (side: Side, o: SwitchoverOptions) => Promise<StatementSession>;

const openGraphSession: OpenSession = (side, o) =>
  GraphSession.open({
    title: sideText(o, side),
    ...(side === 'primary' ? o.primary : o.secondary),
    user: o.user,
    password: o.password,
    timeoutMs: o.statementTimeoutMs,
    tls: o.tls,
  });

/** The two sessions; one that lost its connection is opened again on next use. */
class Sessions {
  private readonly open = new Map<Side, StatementSession>();

  constructor(
    private readonly o: SwitchoverOptions,
    private readonly connect: OpenSession,
  ) {}

  async get(side: Side): Promise<StatementSession> {
    let s = this.open.get(side);
    if (s === undefined) {
      s = await this.connect(side, this.o);
      this.open.set(side, s);
    }
    return s;
  }

  /** The session on `side`, in `space`. */
  async at(side: Side, space: string): Promise<StatementSession> {
    const s = await this.get(side);
    await this.guarded(side, s, () => s.run(`USE \`${space}\``));
    return s;
  }

  /** Run `stmt` in `space` on `side`. */
  async run(side: Side, space: string, stmt: string): Promise<void> {
    const s = await this.at(side, space);
    await this.guarded(side, s, () => s.run(stmt));
  }

  /** A lost connection is forgotten, so the next call connects again. */
  private async guarded<T>(side: Side, s: StatementSession, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (cause) {
      if (cause instanceof GraphClientError) {
        this.open.delete(side);
        await s.close().catch(() => undefined);
      }
      throw cause;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.open.values()].map((s) => s.close().catch(() => undefined)));
    this.open.clear();
  }
}

/** A step and which of its actions are done (taking one back removes it). */
interface Done {
  readonly step: Step;
  readonly actions: Set<number>;
}

/** Statements to type by hand, with the step and the cluster they belong to. */
interface ByHand {
  readonly step: Step;
  readonly stmts: readonly string[];
}

const ms = (n: number): string => `${Math.round(n)} ms`;

/** The statements, grouped by where they run, as a person would type them. */
function byHand(o: SwitchoverOptions, groups: readonly ByHand[]): string {
  return groups
    .filter((g) => g.stmts.length > 0)
    .map((g) => `  -- step ${g.step.n}, on the ${sideText(o, g.step.side)}:\n  USE ${g.step.space};\n${g.stmts.map((s) => `  ${s};`).join('\n')}`)
    .join('\n');
}

/** What finishes the switchover from where it stands: every action not done, in order. */
function forwardFrom(o: SwitchoverOptions, steps: readonly Step[], done: readonly Done[]): string {
  const isDone = (step: Step, i: number) => done.some((d) => d.step === step && d.actions.has(i));
  return byHand(o, steps.map((step) => ({ step, stmts: step.actions.flatMap((a, i) => (isDone(step, i) ? [] : [a.stmt])) })));
}

/** How it ended when taking back failed: what returns to the start, what finishes the job. */
interface Stuck {
  readonly back: string;
  readonly forward: string;
}

/**
 * Take back every action in `done`, last step first (each step in its undo order); undefined when
 * all were, else the statements left either way.
 */
async function takeBack(sessions: Sessions, o: SwitchoverOptions, steps: readonly Step[], done: Done[], io: SwitchoverIO): Promise<Stuck | undefined> {
  const groups = [...done].reverse();
  for (const [gi, d] of groups.entries()) {
    for (const i of undoOrderOf(d.step).filter((i) => d.actions.has(i))) {
      for (const [si, stmt] of d.step.actions[i]!.undo.entries()) {
        try {
          await sessions.run(d.step.side, d.step.space, stmt);
          io.out(`  taken back (step ${d.step.n}, ${sideText(o, d.step.side)}): ${stmt}\n`);
        } catch (cause) {
          io.err(`Could not take back step ${d.step.n} (${stmt}): ${(cause as Error).message}\n`);
          const here = [...d.step.actions[i]!.undo.slice(si), ...undoOrderOf(d.step).filter((j) => d.actions.has(j) && j !== i).flatMap((j) => d.step.actions[j]!.undo)];
          const earlier = groups.slice(gi + 1).map((e) => ({ step: e.step, stmts: undoOrderOf(e.step).filter((j) => e.actions.has(j)).flatMap((j) => e.step.actions[j]!.undo) }));
          return { back: byHand(o, [{ step: d.step, stmts: here }, ...earlier]), forward: forwardFrom(o, steps, done) };
        }
      }
      d.actions.delete(i);
    }
  }
  return undefined;
}

export async function runSwitchover(o: SwitchoverOptions, io: SwitchoverIO, connect: OpenSession = openGraphSession): Promise<number> {
  const sessions = new Sessions(o, connect);
  try {
    let facts: SwitchoverFacts;
    try {
      facts = await preflight(await sessions.get('primary'), await sessions.get('secondary'), o);
    } catch (cause) {
      const refused = cause instanceof Refused;
      io.err(`${refused ? 'Refused' : 'Error'}: ${(cause as Error).message}\nNothing was changed.\n`);
      return refused ? SwitchoverExit.REFUSED : SwitchoverExit.ERROR;
    }
    const steps = switchoverSteps(o, facts);
    const direction = `${o.space} on ${addrText(o.primary)} -> ${facts.targetSpace} on ${addrText(o.secondary)}`;
    if (o.dryRun) {
      io.out(`Dry run: the checks passed; these are the seven steps a switchover of ${direction} would run. Nothing was changed.\n\n`);
      io.out(planText(o, steps));
      return SwitchoverExit.DONE;
    }
    io.out(`Switching over ${direction}.\n`);
    return await runSteps(sessions, o, facts.targetSpace, steps, io);
  } finally {
    await sessions.close();
  }
}

async function runSteps(sessions: Sessions, o: SwitchoverOptions, target: string, steps: readonly Step[], io: SwitchoverIO): Promise<number> {
  const done: Done[] = [];
  const started = performance.now();
  let readOnlyAt = 0;
  let writableAt = 0;
  let proof = { rows: 0, partitions: 0 };
  for (const step of steps) {
    io.out(`Step ${step.n}/7: ${step.title} (${sideText(o, step.side)})\n`);
    if (step.guard) {
      const guard = await (async () => syncGuard(await sessions.at('primary', o.space), await sessions.at('secondary', target), o.syncTimeoutMs))().catch(
        (cause: Error) => ({ ok: false as const, reason: cause.message }),
      );
      if (!guard.ok) {
        io.err(`Refused at step 2: ${guard.reason}\n`);
        const stuck = await takeBack(sessions, o, steps, done, io);
        if (stuck !== undefined) return giveUp(io, step, stuck);
        io.out('Both clusters are as they were before the switchover.\n');
        return SwitchoverExit.REFUSED;
      }
      proof = guard;
      io.out(`  both status tables read 0 / 0; VERIFY SYNC: ${guard.partitions} partitions match, ${guard.rows} rows (${ms(guard.waitedMs)})\n`);
      continue;
    }
    const d: Done = { step, actions: new Set() };
    done.push(d);
    for (const [i, action] of step.actions.entries()) {
      try {
        await sessions.run(step.side, step.space, action.stmt);
      } catch (cause) {
        io.err(`Step ${step.n} failed: ${(cause as Error).message}\n`);
        const stuck = await takeBack(sessions, o, steps, done, io);
        if (stuck !== undefined) return giveUp(io, step, stuck);
        io.out(`Every statement done was taken back: both clusters are as they were before the switchover.\n`);
        return SwitchoverExit.ERROR;
      }
      d.actions.add(i);
      io.out(`  ${action.stmt}\n`);
    }
    if (step.n === 1) readOnlyAt = performance.now();
    if (step.n === 3) writableAt = performance.now();
  }
  io.out(
    [
      `Done in ${ms(performance.now() - started)}: ${target} on ${addrText(o.secondary)} is the primary now, syncing to ${o.space} on ${addrText(o.primary)}.`,
      `Rows lost: 0 (VERIFY SYNC at the read-only cut: ${proof.rows} rows in ${proof.partitions} partitions, the same count and checksum on both clusters).`,
      `Writes were refused for ${ms(writableAt - readOnlyAt)}: from step 1 (old primary read-only) to step 3 (new primary writable).`,
      '',
    ].join('\n'),
  );
  return SwitchoverExit.DONE;
}

function giveUp(io: SwitchoverIO, failed: Step, stuck: Stuck): number {
  io.err(
    [
      `The switchover stopped at step ${failed.n} and could not take everything back: the clusters are in between.`,
      'To return to where it started, run by hand:',
      stuck.back,
      'Or, once the cause is fixed, finish the switchover by hand (before step 3, check that SHOW SYNC STATUS and SHOW DRAINER SYNC STATUS read 0 / 0 and that VERIFY SYNC matches):',
      stuck.forward === '' ? '  (nothing left)' : stuck.forward,
      '',
    ].join('\n'),
  );
  return SwitchoverExit.ERROR;
}
