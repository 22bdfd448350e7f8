/**
 * What the console does with statements once connected: carry out console-side commands
 * (local-commands.ts), send the rest, and print what nebula-console prints: the result, then
 * the date line. The REPL, `-e` and `-f` all go through here.
 */
import type { GraphClient } from '../client/graph-client.ts';
import { formatDateLine } from './date-line.ts';
import { formatResult } from './format.ts';
import { parseLocalCommand, type LocalCommand } from './local-commands.ts';

export interface ConsoleIO {
  out(text: string): void;
  err(text: string): void;
}

export interface ConsoleSessionOptions {
  readonly user: string;
  /** Print `(time spent X/Y)` in footers and the date line after each result. */
  readonly timing: boolean;
  /** Print the prompt and the statement before each result (script mode, as nebula-console does). */
  readonly echo: boolean;
  /** Go on after a refused statement (the prompt) instead of stopping (`-e`, `-f`). */
  readonly keepGoing?: boolean;
  /** The clock for date lines; tests fix it. */
  readonly now?: () => Date;
  /** The date lines' time zone; the process's local zone when unset. */
  readonly timeZone?: string;
  /** How `:sleep` waits; tests record instead. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What one line of input did: ran (`ok`), was refused or failed (`failed`), or ended the session. */
export type Outcome = 'ok' | 'failed' | 'quit';

const MS_PER_SEC = 1000;
const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class ConsoleSession {
  /** How many times the next statement runs (`:repeat N`); back to 1 after it. */
  #repeats = 1;

  constructor(
    private readonly client: GraphClient,
    private readonly io: ConsoleIO,
    private readonly opts: ConsoleSessionOptions,
  ) {}

  get user(): string {
    return this.opts.user;
  }

  /** `(<user>@nebula) [<space or (none)>]> ` */
  prompt(): string {
    return `(${this.opts.user}@nebula) [${this.client.spaceName === '' ? '(none)' : this.client.spaceName}]> `;
  }

  /** The date line and the blank line after it, or '' without timing (stable output). */
  dateLine(): string {
    return this.opts.timing ? `${formatDateLine(this.opts.now?.() ?? new Date(), this.opts.timeZone)}\n\n` : '';
  }

  /** Runs one statement or console command and prints what it gives. */
  async execute(stmt: string): Promise<Outcome> {
    const local = parseLocalCommand(stmt);
    if (local !== undefined) return this.#local(local, stmt);
    const times = this.#repeats;
    this.#repeats = 1;
    let serverUs = 0;
    let clientUs = 0;
    for (let i = 0; i < times; i++) {
      const run = await this.#send(stmt);
      serverUs += run.serverUs;
      clientUs += run.clientUs;
      if (!run.ok && this.opts.keepGoing !== true) return 'failed';
    }
    if (times > 1) {
      const spent = this.opts.timing
        ? `, (total time spent ${serverUs}/${clientUs} us), (average time spent ${Math.floor(serverUs / times)}/${Math.floor(clientUs / times)} us)`
        : '';
      this.io.out(`Executed ${times} times${spent}\n\n`);
    }
    return 'ok';
  }

  /** Runs one statement (no console commands); answers false when the server refused it. */
  async run(stmt: string): Promise<boolean> {
    return (await this.#send(stmt)).ok;
  }

  /**
   * Runs statements in order until the first failure or a quit; answers whether none failed
   * (a quit is no failure).
   */
  async runAll(stmts: readonly string[]): Promise<boolean> {
    for (const stmt of stmts) {
      const outcome = await this.execute(stmt);
      if (outcome === 'quit') return true;
      if (outcome === 'failed') return false;
    }
    return true;
  }

  async #send(stmt: string): Promise<{ ok: boolean; serverUs: number; clientUs: number }> {
    if (this.opts.echo) this.io.out(`${this.prompt()}${stmt}\n`);
    const started = process.hrtime.bigint();
    const resp = await this.client.execute(stmt);
    const clientUs = Number((process.hrtime.bigint() - started) / 1000n);
    this.io.out(`${formatResult(resp, clientUs, { timing: this.opts.timing })}\n${this.dateLine()}`);
    return { ok: resp.errorCode === 0, serverUs: resp.latencyUs, clientUs };
  }

  async #local(command: LocalCommand, stmt: string): Promise<Outcome> {
    if (this.opts.echo && command.kind !== 'quit') this.io.out(`${this.prompt()}${stmt}\n`);
    switch (command.kind) {
      case 'quit':
        return 'quit';
      case 'sleep':
        await (this.opts.sleep ?? realSleep)(command.seconds * MS_PER_SEC);
        return 'ok';
      case 'repeat':
        this.#repeats = command.times;
        return 'ok';
      case 'error':
        this.io.out(`${command.message}\n\n${this.dateLine()}`);
        return 'failed';
    }
  }
}
