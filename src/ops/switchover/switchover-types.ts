/**
 * What a switchover is given, what it finds on the two clusters before it starts, and the shape of
 * its steps: the seed's seven ("Switch between primary and secondary clusters"), each a list of
 * nGQL statements on one cluster with the statements that take each one back.
 */

/** A "host:port" address as nGQL statements and SHOW tables spell it. */
export interface Addr {
  readonly host: string;
  readonly port: number;
}

export const addrText = (a: Addr): string => `${a.host}:${a.port}`;

/** `nebula-sync switchover` exit codes. */
export const SwitchoverExit = {
  /** Switched (or, with --dry_run, the plan printed and every check passed). */
  DONE: 0,
  /** A guard refused (before step 1, or at step 2): both clusters are as they were. */
  REFUSED: 1,
  /** A step or a connection failed; what was done is taken back, or the output says what to run by hand. */
  ERROR: 2,
} as const;

export interface SwitchoverOptions {
  /** The old primary's and old secondary's graph services. */
  readonly primary: Addr;
  readonly secondary: Addr;
  /** The synced space on the old primary. */
  readonly space: string;
  /** Its target space on the old secondary; read from SHOW LISTENER SYNC when absent. */
  readonly targetSpace?: string;
  /** The new primary's (old secondary's) listeners: they heartbeat to the old secondary's meta. */
  readonly newMetaListener: Addr;
  readonly newStorageListeners: readonly Addr[];
  /** The new secondary's (old primary's) drainers: they heartbeat to the old primary's meta. */
  readonly newDrainers: readonly Addr[];
  /** root: SIGN IN DRAINER SERVICE and ADD / REMOVE LISTENER SYNC are root's. */
  readonly user: string;
  readonly password: string;
  /** Print the steps and change nothing. */
  readonly dryRun: boolean;
  /** How long step 2 waits for both status tables to read 0 / 0 and VERIFY SYNC to match. */
  readonly syncTimeoutMs: number;
  /** Bound on connecting and on each statement (VERIFY SYNC of a large space takes a while). */
  readonly statementTimeoutMs: number;
  /** TLS to both graph ports (--enable_ssl); undefined = plaintext. */
  readonly tls?: { readonly ca?: Buffer } | undefined;
}

/** What the two clusters hold before step 1: what the steps use, and what undoing restores. */
export interface SwitchoverFacts {
  readonly targetSpace: string;
  /** The old direction's listeners and drainers (SHOW LISTENER SYNC, SHOW DRAINER CLIENTS on the old primary). */
  readonly oldMetaListener: Addr;
  readonly oldStorageListeners: readonly Addr[];
  readonly oldDrainerClients: readonly Addr[];
  /** The drainers the target space added (SHOW DRAINERS on the old secondary). */
  readonly oldDrainers: readonly Addr[];
  readonly primaryReadOnly: boolean;
  readonly secondaryReadOnly: boolean;
}

export type Side = 'primary' | 'secondary';

/** One statement of a step and the statements that take it back (none: nothing to take back). */
export interface Action {
  readonly stmt: string;
  readonly undo: readonly string[];
}

export interface Step {
  /** 1..7, as the seed numbers them. */
  readonly n: number;
  readonly title: string;
  readonly side: Side;
  /** The space the statements run in (USE first). */
  readonly space: string;
  readonly actions: readonly Action[];
  /**
   * The order in which done actions are taken back (indices into `actions`); the reverse order when
   * absent. Step 5 signs the drainers back in before the listener sync is added back.
   */
  readonly undoOrder?: readonly number[];
  /** Step 2: checks, no statement that changes anything. */
  readonly guard?: true;
}
