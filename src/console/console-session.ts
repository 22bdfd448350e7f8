/**
 * What the console does with statements once connected: send each, print what nebula-console
 * prints, and say whether it failed. The REPL, `-e` and `-f` all go through here.
 */
import type { GraphClient } from '../client/graph-client.ts';
import { formatResult } from './format.ts';

export interface ConsoleIO {
  out(text: string): void;
  err(text: string): void;
}

export interface ConsoleSessionOptions {
  readonly user: string;
  /** Print `(time spent X/Y)` in footers. */
  readonly timing: boolean;
  /** Print the prompt and the statement before each result (script mode, as nebula-console does). */
  readonly echo: boolean;
}

export class ConsoleSession {
  constructor(
    private readonly client: GraphClient,
    private readonly io: ConsoleIO,
    private readonly opts: ConsoleSessionOptions,
  ) {}

  /** `(<user>@nebula) [<space or (none)>]> ` */
  prompt(): string {
    return `(${this.opts.user}@nebula) [${this.client.spaceName === '' ? '(none)' : this.client.spaceName}]> `;
  }

  /** Runs one statement and prints its result; answers false when the server refused it. */
  async run(stmt: string): Promise<boolean> {
    if (this.opts.echo) this.io.out(`${this.prompt()}${stmt}\n`);
    const started = process.hrtime.bigint();
    const resp = await this.client.execute(stmt);
    const elapsedUs = Number((process.hrtime.bigint() - started) / 1000n);
    this.io.out(`${formatResult(resp, elapsedUs, { timing: this.opts.timing })}\n`);
    return resp.errorCode === 0;
  }

  /** Runs statements in order, stopping at the first refused one; answers whether all succeeded. */
  async runAll(stmts: readonly string[]): Promise<boolean> {
    for (const stmt of stmts) {
      if (!(await this.run(stmt))) return false;
    }
    return true;
  }
}
