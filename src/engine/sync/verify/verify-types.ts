/**
 * What VERIFY SYNC answers the executor: one result per partition (0 = the schema), optionally the
 * keys that differ, and how long each side scanned. The executor turns it into a table; nothing
 * here formats anything.
 */
import type { Props } from '../../storage/types.ts';

export interface VerifyPartResult {
  readonly part: number;
  /** The log id the partition was compared at (partition 0: the primary's meta log id). */
  readonly logId: number;
  /** Rows on the primary. */
  readonly rows: number;
  readonly primaryChecksum: string;
  readonly secondaryChecksum: string;
  /** Same row count and same checksum. */
  readonly match: boolean;
}

/** One side's version of a differing key: its props, a schema's props as text, or nothing (absent). */
export type KeySide = { readonly props: Props } | { readonly text: string } | undefined;

export interface VerifyKeyResult {
  readonly part: number;
  readonly key: string;
  readonly difference: string;
  readonly primary: KeySide;
  readonly secondary: KeySide;
}

export interface SideScan {
  readonly rows: number;
  readonly ms: number;
  /** CPU time of that side's process while it scanned. */
  readonly cpuMs: number;
}

export interface VerifyReport {
  readonly space: string;
  readonly parts: readonly VerifyPartResult[];
  /** With keys: the differing keys (at most VERIFY_KEYS_LISTED_MAX) and whether that is all of them. */
  readonly keys?: readonly VerifyKeyResult[];
  readonly keysComplete: boolean;
  readonly primaryScan: SideScan;
  readonly secondaryScan: SideScan;
  readonly totalMs: number;
}

/** A verify that could not compare: NebulaGraph-style error kind and message. */
export interface VerifyProblem {
  readonly kind: string;
  readonly message: string;
}

export type VerifyOutcome = { readonly ok: true; readonly report: VerifyReport } | { readonly ok: false; readonly problem: VerifyProblem };

/** The cluster's verifier, as an executor reaches it (ExecContext.verify). */
export interface VerifyRuntime {
  /** Compare `space` (a primary space with a listener sync) with its target on the secondary. */
  verify(space: string, options: { readonly keys: boolean }): Promise<VerifyOutcome>;
}
