/**
 * Damage found on disk, as a value and as the one error that carries it (DESIGN.md guarantee 7).
 *
 * The storage engine never returns bytes it cannot vouch for: a row whose checksum fails, a WAL
 * entry whose CRC fails, a partition refused at open, a file that failed `PRAGMA quick_check`.
 * Each becomes a `Damage`, thrown as `StorageDamagedError` to whoever read (the executor turns it
 * into NebulaGraph's "Storage Error", a WAL tail into a gRPC DATA_LOSS), and kept in a
 * `DamageRegistry` so that it is logged once and can be listed.
 */
import type { Logger } from '../../log.ts';
import type { Vid } from './types.ts';

/** What is damaged: one row, one WAL entry, a whole partition, or the space's whole file. */
export type DamageSubject =
  | { readonly kind: 'tag'; readonly vid: Vid; readonly tagId: number }
  | { readonly kind: 'edge'; readonly src: Vid; readonly etype: number; readonly rank: bigint; readonly dst: Vid }
  | { readonly kind: 'wal'; readonly logId: number }
  | { readonly kind: 'file' };

export interface Damage {
  readonly spaceId: number;
  /** 1..N; 0 for the whole file. */
  readonly part: number;
  readonly subject: DamageSubject;
  /** e.g. "checksum mismatch". */
  readonly reason: string;
  /** Whether the partition (or file) is refused for every read, write and tail until reopened. */
  readonly refused: boolean;
  /** When it was found, ms since the epoch. */
  readonly foundAt: number;
}

/** Names for a message: the catalog's, when the caller has them; ids otherwise. */
export interface DamageNames {
  readonly space?: string;
  tag?(id: number): string | undefined;
  edge?(id: number): string | undefined;
}

const vidText = (vid: Vid): string => (typeof vid === 'string' ? JSON.stringify(vid) : vid.toString());

/**
 * One line in NebulaGraph's words, without the "Storage Error: " prefix, e.g.
 * `part 3 of space basketballplayer is damaged: checksum mismatch on vertex "player100" (tag player)`.
 */
export function describeDamage(d: Damage, names: DamageNames = {}): string {
  const space = names.space ?? String(d.spaceId);
  const where = d.part === 0 ? `space ${space} is damaged` : `part ${d.part} of space ${space} is damaged`;
  const s = d.subject;
  switch (s.kind) {
    case 'tag':
      return `${where}: ${d.reason} on vertex ${vidText(s.vid)} (tag ${names.tag?.(s.tagId) ?? s.tagId})`;
    case 'edge':
      return `${where}: ${d.reason} on edge ${vidText(s.src)}->${vidText(s.dst)}@${s.rank} (edge ${names.edge?.(s.etype) ?? s.etype})`;
    case 'wal':
      return `${where}: ${d.reason} in WAL entry ${s.logId}`;
    case 'file':
      return `${where}: ${d.reason}`;
  }
}

/** The one error a read of damaged data throws; everything else a storage read throws is a bug. */
export class StorageDamagedError extends Error {
  override readonly name = 'StorageDamagedError';
  constructor(readonly damage: Damage) {
    super(describeDamage(damage));
  }
}

/** Distinct damages remembered per space: beyond this, new ones are still thrown but not listed. */
export const DAMAGE_LIST_MAX = 1000;

/**
 * The damage one space knows of: refused partitions (or the whole file) and rows found damaged on
 * read. Each distinct damage is logged once, however often it is read.
 */
export class DamageRegistry {
  private readonly found = new Map<string, Damage>();
  private readonly refusedParts = new Map<number, Damage>();

  constructor(
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Record (and log, the first time) `d`; answers the error to throw. */
  report(d: Omit<Damage, 'foundAt'>): StorageDamagedError {
    const key = damageKey(d);
    const known = this.found.get(key);
    const damage: Damage = known ?? { ...d, foundAt: this.now() };
    if (known === undefined) {
      if (this.found.size < DAMAGE_LIST_MAX) this.found.set(key, damage);
      this.log.error('storage damage found', {
        spaceId: d.spaceId,
        part: d.part,
        ...(d.subject.kind === 'wal' ? { logId: d.subject.logId } : {}),
        refused: d.refused,
        damage: describeDamage(damage),
      });
    }
    if (damage.refused && !this.refusedParts.has(damage.part)) this.refusedParts.set(damage.part, damage);
    return new StorageDamagedError(damage);
  }

  /** The damage that refuses partition `part` (or the whole file), if any. */
  refusal(part: number): Damage | undefined {
    return this.refusedParts.get(part) ?? this.refusedParts.get(0);
  }

  /** Throw if `part` is refused. */
  assertServes(part: number): void {
    const d = this.refusal(part);
    if (d !== undefined) throw new StorageDamagedError(d);
  }

  /** Throw if any partition (or the file) is refused: for reads that span the whole space. */
  assertNoneRefused(): void {
    const first = this.refusedParts.values().next();
    if (first.done !== true) throw new StorageDamagedError(first.value);
  }

  list(): readonly Damage[] {
    return [...this.found.values()];
  }
}

function damageKey(d: Omit<Damage, 'foundAt'>): string {
  const s = d.subject;
  switch (s.kind) {
    case 'tag':
      return `${d.part}/t/${typeof s.vid}:${String(s.vid)}/${s.tagId}`;
    case 'edge':
      return `${d.part}/e/${typeof s.src}:${String(s.src)}/${s.etype}/${s.rank}/${typeof s.dst}:${String(s.dst)}`;
    case 'wal':
      return `${d.part}/w/${s.logId}`;
    case 'file':
      return `${d.part}/f`;
  }
}
