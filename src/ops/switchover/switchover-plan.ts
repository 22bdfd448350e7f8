/**
 * The seed's seven switchover steps as data: which cluster, which space, which nGQL statements,
 * and for each statement what takes it back. The runner executes them; --dry_run prints them.
 * Built from what the preflight found, so the statements that take step 5 back name the old
 * listeners and drainers exactly as they were.
 *
 * @example
 *   const steps = switchoverSteps(options, facts);
 *   process.stdout.write(planText(options, facts, steps));
 */
import { addrText, type Addr, type Step, type SwitchoverFacts, type SwitchoverOptions } from './switchover-types.ts';

const list = (addrs: readonly Addr[]): string => addrs.map(addrText).join(', ');
const readOnly = (value: boolean): string => `SET VARIABLES read_only=${value}`;
const listenerSync = (meta: Addr, storage: readonly Addr[], target: string): string =>
  `ADD LISTENER SYNC META ${addrText(meta)} STORAGE ${list(storage)} TO SPACE ${target}`;

/** The seven steps of switching `options.space` over to the old secondary. */
export function switchoverSteps(o: SwitchoverOptions, f: SwitchoverFacts): Step[] {
  const space = o.space;
  const target = f.targetSpace;
  return [
    {
      n: 1,
      title: 'make the old primary read-only',
      side: 'primary',
      space,
      actions: [{ stmt: readOnly(true), undo: [readOnly(f.primaryReadOnly)] }],
    },
    {
      n: 2,
      title: 'check that everything reached the old secondary',
      side: 'primary',
      space,
      guard: true,
      // Only reads, on both clusters (switchover-guard.ts): nothing to take back.
      actions: [],
    },
    {
      n: 3,
      title: 'make the old secondary writable',
      side: 'secondary',
      space: target,
      actions: [{ stmt: readOnly(false), undo: [readOnly(f.secondaryReadOnly)] }],
    },
    {
      n: 4,
      title: 'remove the old drainer from the old secondary',
      side: 'secondary',
      space: target,
      actions: [{ stmt: 'REMOVE DRAINER', undo: [`ADD DRAINER ${list(f.oldDrainers)}`] }],
    },
    {
      n: 5,
      title: 'stop the old direction on the old primary',
      side: 'primary',
      space,
      // The seed sets read_only=false first because its ADD DRAINER (step 6) fails on a read-only
      // space; ours does not, so the old primary stays read-only: no client write can land on it
      // between steps 5 and 6, where nothing would carry it to the new primary.
      actions: [
        { stmt: 'SIGN OUT DRAINER SERVICE', undo: [`SIGN IN DRAINER SERVICE(${list(f.oldDrainerClients)})`] },
        { stmt: 'REMOVE LISTENER SYNC', undo: [listenerSync(f.oldMetaListener, f.oldStorageListeners, target)] },
      ],
      // The listener sync needs its drainers signed in: sign in first, then add the sync.
      undoOrder: [0, 1],
    },
    {
      n: 6,
      title: 'make the old primary the new secondary',
      side: 'primary',
      space,
      actions: [
        { stmt: `ADD DRAINER ${list(o.newDrainers)}`, undo: ['REMOVE DRAINER'] },
        // Read-only since step 1 already; said again as the seed says it. Step 1's undo restores it.
        { stmt: readOnly(true), undo: [] },
      ],
    },
    {
      n: 7,
      title: 'make the old secondary the new primary',
      side: 'secondary',
      space: target,
      actions: [
        { stmt: `SIGN IN DRAINER SERVICE(${list(o.newDrainers)})`, undo: ['SIGN OUT DRAINER SERVICE'] },
        { stmt: listenerSync(o.newMetaListener, o.newStorageListeners, space), undo: ['REMOVE LISTENER SYNC'] },
      ],
    },
  ];
}

/** The order in which the actions of `step` are taken back (indices into its actions). */
export function undoOrderOf(step: Step): readonly number[] {
  return step.undoOrder ?? step.actions.map((_, i) => step.actions.length - 1 - i);
}

/** Where a step runs, as the plan prints it. */
export function sideText(o: SwitchoverOptions, side: 'primary' | 'secondary'): string {
  return side === 'primary' ? `old primary ${addrText(o.primary)}` : `old secondary ${addrText(o.secondary)}`;
}

/** The whole plan as nGQL, one block per step (what --dry_run prints). */
export function planText(o: SwitchoverOptions, steps: readonly Step[]): string {
  const lines: string[] = [];
  for (const step of steps) {
    lines.push(`-- Step ${step.n}: ${step.title} (${sideText(o, step.side)})`);
    lines.push(`USE ${step.space};`);
    if (step.guard) {
      lines.push('SHOW SYNC STATUS;  -- every row: LogId Lag 0 and Time Latency 0');
      lines.push(`-- and on the ${sideText(o, 'secondary')}: USE ${steps[2]?.space ?? ''}; SHOW DRAINER SYNC STATUS; -- every row 0 / 0`);
      lines.push('VERIFY SYNC;       -- every partition: Match true. Otherwise read_only goes back as it was: exit 1');
    } else {
      for (const a of step.actions) lines.push(`${a.stmt};`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
