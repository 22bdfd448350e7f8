/**
 * A signed-in session on one cluster's graph service, for operations that drive clusters through
 * nGQL only (the playground's set-up, `nebula-sync switchover`): statements in, rows out as
 * column name -> text, and a refused statement as an error that names the cluster and the
 * statement. Transport failures reject as the client's GraphClientError does.
 *
 * @example
 *   const s = await GraphSession.open({ title: 'primary cluster', host: '127.0.0.1', port: 9669, user: 'root', password: 'nebula' });
 *   const rows = await s.run('SHOW HOSTS STORAGE'); // [{ Host: '127.0.0.1', Port: '9779', Status: 'ONLINE', ... }]
 *   await s.close();
 */
import { GraphClient } from '../client/graph-client.ts';
import type { ExecutionResponse } from '../server/graph-handler.ts';
import type { DataSet, Value } from '../value/types.ts';

/** Bound on connecting and on one statement's round trip, unless the caller says otherwise. */
export const STATEMENT_TIMEOUT_MS = 30_000;

export interface GraphSessionOptions {
  /** How messages name the cluster, e.g. "old primary (127.0.0.1:9669)". */
  readonly title: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly timeoutMs?: number;
  /** TLS to the graph port (a port started with --enable_graph_ssl); undefined = plaintext. */
  readonly tls?: { readonly ca?: Buffer } | undefined;
}

/** A statement the cluster refused. */
export class StatementError extends Error {
  override readonly name = 'StatementError';
  constructor(
    message: string,
    readonly stmt: string,
    readonly errorCode: number,
    readonly errorMsg: string,
  ) {
    super(message);
  }
}

/** A cell as text: strings as they are, integers in decimal, booleans as true/false. */
export function cellText(v: Value | undefined): string {
  return typeof v === 'string' ? v : typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

/** The rows of `data` as column name -> text. */
export function records(data: DataSet | undefined): Record<string, string>[] {
  if (data === undefined) return [];
  return data.rows.map((row) => Object.fromEntries(data.columns.map((c, i) => [c, cellText(row[i])])));
}

/** What an operation needs of a session: GraphSession, or a stand-in in tests. */
export interface StatementSession {
  readonly title: string;
  run(stmt: string): Promise<Record<string, string>[]>;
  execute(stmt: string): Promise<ExecutionResponse>;
  close(): Promise<void>;
}

export class GraphSession implements StatementSession {
  private constructor(
    private readonly client: GraphClient,
    readonly title: string,
  ) {}

  static async open(o: GraphSessionOptions): Promise<GraphSession> {
    const client = await GraphClient.connect({ host: o.host, port: o.port, timeoutMs: o.timeoutMs ?? STATEMENT_TIMEOUT_MS, tls: o.tls });
    const auth = await client.authenticate(o.user, o.password);
    if (!auth.ok) {
      await client.close();
      throw new Error(`cannot log in to the ${o.title} as ${o.user}: ${auth.error.message}`);
    }
    return new GraphSession(client, o.title);
  }

  /** Run `stmt`; its rows, or a StatementError when the cluster refused it. */
  async run(stmt: string): Promise<Record<string, string>[]> {
    const resp = await this.execute(stmt);
    if (resp.errorCode !== 0) {
      const msg = resp.errorMsg ?? `error ${resp.errorCode}`;
      throw new StatementError(`${this.title}: \`${stmt}' failed: ${msg}`, stmt, resp.errorCode, msg);
    }
    return records(resp.data);
  }

  /** Run `stmt` and answer the response as it is, refused or not. */
  execute(stmt: string): Promise<ExecutionResponse> {
    return this.client.execute(stmt);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
