/**
 * Random histories on one running topology for the status guarantee (docs/status.md): writes to
 * the primary kept in a model of the rows they leave, stalls (SIGSTOP/SIGCONT), kill -9 and
 * restarts of the drainer, the listeners and the secondary, STOP/RESTART SYNC, pauses, and reads
 * of both status tables. Whenever a read finds every row of both tables at 0 / 0, the secondary
 * must hold exactly the model (every acknowledged write, nothing else); the primary is compared
 * with the model as well, so a wrong model shows as such and not as a product failure.
 */
import fc from 'fast-check';
import type { GraphClient } from '../../src/client/graph-client.ts';
import { eventually, must, rootClient, TARGET_SPACE, type Topology } from './topology.ts';

export type Proc = 'drainer' | 'metaListener' | 'storageListener' | 'secondary';
type ProcState = 'up' | 'stalled' | 'dead';

export type Step =
  | { readonly kind: 'insertVertex'; readonly vid: string; readonly age: number }
  | { readonly kind: 'updateVertex'; readonly vid: string }
  | { readonly kind: 'deleteVertex'; readonly vid: string }
  | { readonly kind: 'insertEdge'; readonly src: string; readonly dst: string; readonly degree: number }
  | { readonly kind: 'updateEdge'; readonly src: string; readonly dst: string }
  | { readonly kind: 'deleteEdge'; readonly src: string; readonly dst: string }
  | { readonly kind: 'stall' | 'resume' | 'kill' | 'revive'; readonly proc: Proc }
  | { readonly kind: 'stopSync' | 'restartSync' }
  /** Read both tables after `afterMs`: reports travel every ~100 ms, so moments matter. */
  | { readonly kind: 'read'; readonly afterMs: number }
  | { readonly kind: 'pause'; readonly ms: number };

const VIDS = ['a', 'b', 'c', 'd', 'e', 'player100'] as const;
const PROCS: readonly Proc[] = ['drainer', 'metaListener', 'storageListener', 'secondary'];
/** How long the end of a history waits for both tables to read 0 / 0. */
const SETTLE_TIMEOUT_MS = 60_000;

/** Rows as comparable text: vertex "V a" -> props, edge "E a->b" -> props. */
type Rows = Map<string, string>;

/** A cell as plain JSON: int64 as number, maps (nGQL map values too) as objects with sorted keys. */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Map) return Object.fromEntries([...v.entries()].sort(([a], [b]) => String(a).localeCompare(String(b))).map(([k, x]) => [k, plain(x)]));
  if (typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'map') return plain((v as { entries: unknown }).entries);
  return v;
}

const props = (p: Record<string, unknown>) => JSON.stringify(plain(new Map(Object.entries(p))));

async function dump(client: GraphClient): Promise<Rows> {
  const out: Rows = new Map();
  const vids = VIDS.map((v) => JSON.stringify(v)).join(', ');
  for (const row of (await must(client, `FETCH PROP ON player ${vids} YIELD id(vertex) AS id, properties(vertex) AS p`)).data?.rows ?? []) {
    out.set(`V ${String(row[0])}`, JSON.stringify(plain(row[1])));
  }
  const pairs = VIDS.flatMap((s) => VIDS.map((d) => `${JSON.stringify(s)}->${JSON.stringify(d)}`)).join(', ');
  for (const row of (await must(client, `FETCH PROP ON follow ${pairs} YIELD src(edge) AS s, dst(edge) AS d, properties(edge) AS p`)).data?.rows ?? []) {
    out.set(`E ${String(row[0])}->${String(row[1])}`, JSON.stringify(plain(row[2])));
  }
  return out;
}

const text = (rows: Rows) => JSON.stringify([...rows.entries()].sort(([a], [b]) => a.localeCompare(b)));

export class History {
  /** Reads that found both tables at 0 / 0 and checked the secondary. */
  checks = 0;
  private readonly model: Rows = new Map();
  private readonly state = new Map<Proc, ProcState>(PROCS.map((p) => [p, 'up']));

  constructor(
    private readonly t: Topology,
    private readonly primary: GraphClient,
    private readonly secondary: () => GraphClient,
    private readonly setSecondary: (client: GraphClient) => void,
  ) {}

  static steps(): fc.Arbitrary<Step> {
    const vid = fc.constantFrom(...VIDS);
    const proc = fc.constantFrom(...PROCS);
    const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
    return fc.oneof(
      w(3, fc.record({ kind: fc.constant('insertVertex' as const), vid, age: fc.integer({ min: 0, max: 99 }) })),
      w(2, fc.record({ kind: fc.constant('updateVertex' as const), vid })),
      w(1, fc.record({ kind: fc.constant('deleteVertex' as const), vid })),
      w(3, fc.record({ kind: fc.constant('insertEdge' as const), src: vid, dst: vid, degree: fc.integer({ min: 0, max: 99 }) })),
      w(1, fc.record({ kind: fc.constant('updateEdge' as const), src: vid, dst: vid })),
      w(1, fc.record({ kind: fc.constant('deleteEdge' as const), src: vid, dst: vid })),
      w(6, fc.record({ kind: fc.constant('read' as const), afterMs: fc.integer({ min: 0, max: 300 }) })),
      w(2, fc.record({ kind: fc.constant('pause' as const), ms: fc.integer({ min: 0, max: 400 }) })),
      w(3, fc.record({ kind: fc.constant('stall' as const), proc })),
      w(2, fc.record({ kind: fc.constant('resume' as const), proc })),
      w(1, fc.record({ kind: fc.constant('kill' as const), proc })),
      w(1, fc.record({ kind: fc.constant('revive' as const), proc })),
      w(1, fc.constant({ kind: 'stopSync' as const })),
      w(1, fc.constant({ kind: 'restartSync' as const })),
    );
  }

  /** Start from what the primary holds now (everything before the histories is acknowledged). */
  async begin(): Promise<void> {
    for (const [k, v] of await dump(this.primary)) this.model.set(k, v);
  }

  async run(step: Step): Promise<void> {
    switch (step.kind) {
      case 'read':
        await new Promise((r) => setTimeout(r, step.afterMs));
        await this.read();
        return;
      case 'pause':
        await new Promise((r) => setTimeout(r, step.ms));
        return;
      case 'stall':
      case 'resume':
      case 'kill':
      case 'revive':
        await this.process(step.kind, step.proc);
        return;
      case 'stopSync':
        await must(this.primary, 'STOP SYNC');
        return;
      case 'restartSync':
        await must(this.primary, 'RESTART SYNC');
        return;
      default:
        await this.write(step);
    }
  }

  /** Resume and revive everything, RESTART SYNC, and read until both tables read 0 / 0 (then check). */
  async settle(): Promise<void> {
    for (const proc of PROCS) {
      await this.process('resume', proc);
      await this.process('revive', proc);
    }
    await must(this.primary, 'RESTART SYNC');
    await eventually('both tables at 0 / 0', () => this.read(), SETTLE_TIMEOUT_MS, 50);
  }

  /** Read both tables; when every row is at 0 / 0, check the secondary. Answers whether it checked. */
  private async read(): Promise<boolean> {
    if (this.state.get('secondary') !== 'up') return false;
    const zero = (rows: readonly (readonly unknown[])[]) => rows.every((r) => Number(r[2]) === 0 && Number(r[3]) === 0);
    const p = (await must(this.primary, 'SHOW SYNC STATUS')).data?.rows ?? [];
    const s = (await must(this.secondary(), 'SHOW DRAINER SYNC STATUS')).data?.rows ?? [];
    if (!zero(p) || !zero(s)) return false;
    const expected = text(this.model);
    const onSecondary = text(await dump(this.secondary()));
    if (onSecondary !== expected) {
      const table = (rows: readonly (readonly unknown[])[]) => JSON.stringify(rows.map((r) => r.map(plain)));
      throw new Error(`both tables read 0 / 0 but the secondary differs\nprimary table ${table(p)}\nsecondary table ${table(s)}\nexpected  ${expected}\nsecondary ${onSecondary}`);
    }
    const onPrimary = text(await dump(this.primary));
    if (onPrimary !== expected) throw new Error(`the test's model is wrong\nmodel   ${expected}\nprimary ${onPrimary}`);
    this.checks += 1;
    return true;
  }

  private async process(action: 'stall' | 'resume' | 'kill' | 'revive', proc: Proc): Promise<void> {
    const state = this.state.get(proc)!;
    const child = this.t[proc].child;
    if (action === 'stall' && state === 'up') {
      child.kill('SIGSTOP');
      this.state.set(proc, 'stalled');
    } else if (action === 'resume' && state === 'stalled') {
      child.kill('SIGCONT');
      this.state.set(proc, 'up');
    } else if (action === 'kill' && state !== 'dead') {
      await this.t[proc].kill9();
      this.state.set(proc, 'dead');
    } else if (action === 'revive' && state === 'dead') {
      await this.t.restart(proc);
      if (proc === 'secondary') {
        await this.secondary().close().catch(() => undefined);
        this.setSecondary(await rootClient(this.t.secondary.ports.graph, TARGET_SPACE));
      }
      this.state.set(proc, 'up');
    }
  }

  /** Run a write on the primary; only an acknowledged one changes the model. */
  private async write(step: Extract<Step, { vid: string } | { src: string }>): Promise<void> {
    const q = JSON.stringify;
    const m = this.model;
    let stmt: string;
    let effect: () => void;
    switch (step.kind) {
      case 'insertVertex':
        stmt = `INSERT VERTEX player(name, age) VALUES ${q(step.vid)}:(${q(`${step.vid}-${step.age}`)}, ${step.age})`;
        effect = () => m.set(`V ${step.vid}`, props({ name: `${step.vid}-${step.age}`, age: step.age }));
        break;
      case 'updateVertex':
        stmt = `UPDATE VERTEX ON player ${q(step.vid)} SET age = age + 1`;
        effect = () => {
          const was = JSON.parse(m.get(`V ${step.vid}`) ?? 'null') as { name: string; age: number } | null;
          if (was !== null) m.set(`V ${step.vid}`, props({ ...was, age: was.age + 1 }));
        };
        break;
      case 'deleteVertex':
        stmt = `DELETE VERTEX ${q(step.vid)} WITH EDGE`;
        effect = () => {
          m.delete(`V ${step.vid}`);
          for (const key of [...m.keys()]) {
            const [src, dst] = key.startsWith('E ') ? key.slice(2).split('->') : [];
            if (src === step.vid || dst === step.vid) m.delete(key);
          }
        };
        break;
      case 'insertEdge':
        stmt = `INSERT EDGE follow(degree) VALUES ${q(step.src)}->${q(step.dst)}:(${step.degree})`;
        effect = () => m.set(`E ${step.src}->${step.dst}`, props({ degree: step.degree }));
        break;
      case 'updateEdge':
        stmt = `UPDATE EDGE ON follow ${q(step.src)}->${q(step.dst)} SET degree = degree + 1`;
        effect = () => {
          const was = JSON.parse(m.get(`E ${step.src}->${step.dst}`) ?? 'null') as { degree: number } | null;
          if (was !== null) m.set(`E ${step.src}->${step.dst}`, props({ degree: was.degree + 1 }));
        };
        break;
      case 'deleteEdge':
        stmt = `DELETE EDGE follow ${q(step.src)}->${q(step.dst)}`;
        effect = () => m.delete(`E ${step.src}->${step.dst}`);
        break;
    }
    const res = await this.primary.execute(stmt);
    if (res.errorCode === 0) effect();
  }
}
