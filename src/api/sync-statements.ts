/**
 * Which statements are the synchronization's (the seed's "Synchronize between two clusters"
 * statements, plus VERIFY SYNC and the read_only variable), so that a program in front of a
 * cluster can route, audit or refuse them by what the parser read rather than by matching text.
 */
import type { Statement, StatementKind } from '../parser/ast.ts';

/**
 * Every synchronization statement kind: primary side, secondary side, and `SET/GET VARIABLES`.
 *
 * @example
 * ```ts
 * SYNC_STATEMENT_KINDS.has('AddListenerSync'); // true
 * SYNC_STATEMENT_KINDS.has('InsertVertex');    // false
 * ```
 */
export const SYNC_STATEMENT_KINDS: ReadonlySet<StatementKind> = new Set<StatementKind>([
  'SignInDrainerService',
  'SignOutDrainerService',
  'ShowDrainerClients',
  'AddListenerSync',
  'RemoveListenerSync',
  'ShowListenerSync',
  'AddDrainer',
  'RemoveDrainer',
  'ShowDrainers',
  'StopSync',
  'RestartSync',
  'ShowSyncStatus',
  'ShowDrainerSyncStatus',
  'ShowSyncErrors',
  'VerifySync',
  'SetVariable',
  'GetVariable',
]);

/**
 * True when `statement` configures, controls or reports the synchronization.
 *
 * @example
 * ```ts
 * const parsed = parse('USE basketballplayer; SHOW SYNC STATUS');
 * if (parsed.ok) parsed.statements.map(isSyncStatement); // [false, true]
 * ```
 */
export function isSyncStatement(statement: Statement): boolean {
  return SYNC_STATEMENT_KINDS.has(statement.kind);
}
