/**
 * The executor: statements in, DataSets or coded errors out. One table maps every statement kind
 * to its executor, so a new kind in the AST fails to compile until it is handled here.
 */
import { Errors, fail, ok, type Result } from '../errors.ts';
import type { Statement } from '../parser/ast.ts';
import { adminExecutors } from './admin/index.ts';
import { dataExecutors } from './data/index.ts';
import { storageDamageError } from './data/storage-damage.ts';
import { WriteTooLargeError } from '../engine/storage/write-batch.ts';
import type { ExecContext, ExecOutput, Executor, ExecutorTable } from './types.ts';

export const executors: ExecutorTable = { ...adminExecutors, ...dataExecutors };

/**
 * Run one statement. Damage the storage engine found on disk, and a write too large for one WAL
 * entry, are the thrown errors that are answers rather than bugs: each becomes the client's
 * "Storage Error" here.
 */
export async function executeStatement(stmt: Statement, ctx: ExecContext): Promise<Result<ExecOutput>> {
  const run = executors[stmt.kind] as Executor<typeof stmt.kind>;
  try {
    return await run(stmt as never, ctx);
  } catch (err) {
    if (err instanceof WriteTooLargeError) {
      return fail(Errors.executionPlain(`Storage Error: The write is too large: ${err.message}. Write fewer or smaller rows per statement.`));
    }
    const damage = storageDamageError(err, ctx.meta.catalog());
    if (damage === undefined) throw err;
    return fail(damage);
  }
}

/** Run statements in order; the first error stops the rest. The last one's output is the answer. */
export async function executeStatements(stmts: readonly Statement[], ctx: ExecContext): Promise<Result<ExecOutput>> {
  let last: Result<ExecOutput> = ok(undefined);
  for (const stmt of stmts) {
    last = await executeStatement(stmt, ctx);
    if (!last.ok) return fail(last.error);
  }
  return last;
}

export type { ExecContext, ExecOutput } from './types.ts';
