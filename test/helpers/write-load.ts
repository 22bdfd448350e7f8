/**
 * A write load on the primary for the replication rule tests: inserts, edge inserts, updates and
 * deletes in a loop until stopped, reconnecting when the primary goes away under it. It remembers
 * every vid it ever wrote, so two spaces can be compared row by row afterwards.
 */
import { GraphClient, GraphClientError } from '../../src/client/graph-client.ts';
import { PRIMARY_SPACE } from './topology.ts';

export interface WriteLoad {
  readonly vids: Set<string>;
  /** Statements acknowledged so far. */
  acked(): number;
  /** Resolves after at least `n` more acknowledged statements. */
  waitAcked(n: number): Promise<void>;
  stop(): Promise<void>;
}

const ROWS = 40;

export function startWriteLoad(port: () => number, prefix = 'v'): WriteLoad {
  const vids = new Set<string>();
  let acked = 0;
  let stopped = false;
  let client: GraphClient | undefined;

  const connect = async (): Promise<GraphClient> => {
    const c = await GraphClient.connect({ host: '127.0.0.1', port: port(), timeoutMs: 10_000 });
    const auth = await c.authenticate('root', 'nebula');
    if (!auth.ok) throw new Error(auth.error.message);
    const use = await c.execute(`USE ${PRIMARY_SPACE}`);
    if (use.errorCode !== 0) throw new Error(use.errorMsg);
    return c;
  };

  const statements = (i: number): string[] => {
    const rows: string[] = [];
    for (let j = 0; j < ROWS; j++) rows.push(`"${prefix}${i}_${j}":("name ${i} ${j}", ${(i * 7 + j) % 90})`);
    const out = [`INSERT VERTEX player(name, age) VALUES ${rows.join(', ')}`];
    const edges: string[] = [];
    for (let j = 0; j + 1 < ROWS; j += 4) edges.push(`"${prefix}${i}_${j}"->"${prefix}${i}_${j + 1}"@${j}:(${j})`);
    out.push(`INSERT EDGE follow(degree) VALUES ${edges.join(', ')}`);
    if (i > 0) out.push(`UPDATE VERTEX ON player "${prefix}${i - 1}_3" SET age = age + 100`);
    if (i > 1 && i % 3 === 0) out.push(`DELETE VERTEX "${prefix}${i - 2}_5" WITH EDGE`);
    if (i > 1 && i % 4 === 0) out.push(`DELETE EDGE follow "${prefix}${i - 2}_0"->"${prefix}${i - 2}_1"@0`);
    return out;
  };

  const loop = (async () => {
    for (let i = 0; !stopped; i++) {
      for (let j = 0; j < ROWS; j++) vids.add(`${prefix}${i}_${j}`);
      for (const stmt of statements(i)) {
        for (;;) {
          if (stopped) return;
          try {
            client ??= await connect();
            const res = await client.execute(stmt);
            if (res.errorCode !== 0) throw new Error(`${stmt.slice(0, 60)}: ${res.errorMsg}`);
            acked++;
            break;
          } catch (cause) {
            // The primary went away (a rule test killed it): reconnect and send again. Statements
            // are idempotent in effect (full-image puts, deletes), so a resend is harmless.
            await client?.close().catch(() => undefined);
            client = undefined;
            if (!(cause instanceof GraphClientError)) throw cause;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      }
    }
  })();

  return {
    vids,
    acked: () => acked,
    waitAcked: async (n) => {
      const target = acked + n;
      while (acked < target) {
        await Promise.race([loop, new Promise((r) => setTimeout(r, 20))]);
      }
    },
    stop: async () => {
      stopped = true;
      await loop;
      await client?.close().catch(() => undefined);
    },
  };
}
