/**
 * A space whose file failed `PRAGMA quick_check` at open (DESIGN.md guarantee 7): it is not opened
 * at all, and this stands in for it, so that the rest of the cluster goes on serving while every
 * read, write, WAL tail and snapshot of this space fails with the storage error. Its partitions'
 * last log ids, when the file still yields them, keep SHOW SYNC STATUS honest about the lag.
 */
import { strict as assert } from 'node:assert';
import type { Damage } from './damage.ts';
import { StorageDamagedError } from './damage.ts';
import type { SpaceCounts, SpaceStore, PartitionState, SyncPosition, Vid } from './types.ts';

export class DamagedSpaceStore implements SpaceStore {
  readonly spaceId: number;

  constructor(
    private readonly damage: Damage,
    readonly partitionNum: number,
    readonly partOf: (vid: Vid) => number,
    /** last log id and ts per partition, read before the file was given up; empty when unreadable. */
    private readonly states: ReadonlyMap<number, { lastLogId: number; lastTs: number }>,
  ) {
    this.spaceId = damage.spaceId;
  }

  private refuse(): never {
    throw new StorageDamagedError(this.damage);
  }

  /** Every read inside refuses, as it would outside. */
  reading = <T>(read: () => T): T => read();
  getTags = (): never => this.refuse();
  getTag = (): never => this.refuse();
  getEdge = (): never => this.refuse();
  outEdges = (): never => this.refuse();
  inEdges = (): never => this.refuse();
  counts = (): SpaceCounts => this.refuse();
  readWal = (): never => this.refuse();
  readWalRaw = (): never => this.refuse();
  snapshot = (): never => this.refuse();
  readView = (): never => this.refuse();
  write = (): Promise<never> => Promise.reject(new StorageDamagedError(this.damage));
  readThenWrite = (): Promise<never> => Promise.reject(new StorageDamagedError(this.damage));
  syncPosition = (): SyncPosition | undefined => this.refuse();
  onCommit = (): (() => void) => () => undefined;

  partitionState(part: number): PartitionState {
    assert(Number.isInteger(part) && part >= 1 && part <= this.partitionNum, `no partition ${part} in space ${this.spaceId}`);
    const s = this.states.get(part) ?? { lastLogId: 0, lastTs: 0 };
    return { part, lastLogId: s.lastLogId, lastTs: s.lastTs, firstLogId: s.lastLogId + 1 };
  }

  damaged(): readonly Damage[] {
    return [this.damage];
  }

  close(): void {}
}
