/**
 * The rows the sync benchmark writes, and what a reader needs to know about where they land.
 *
 * Row `i` is the vertex `"player<i>"` with `player(name, age, seq) = ("<12 chars>", i % 90, i)`.
 * Statement `k` of a run writes rows `[k * rowsPerStatement, (k + 1) * rowsPerStatement)`: one
 * INSERT, hence one write on the primary, hence one WAL entry per partition it touches (storage
 * DESIGN.md guarantee 1), and a secondary applies an entry whole, in one transaction with its
 * position. So whether the rows of statement `k` in partition `p` are on the secondary is told by
 * any one of them: `representatives(k)` names the last row of each such chunk.
 */
import { partOfString } from '../src/engine/storage/partition-of.ts';

/** Partitions of the benchmark space, as the issue sets it up. */
export const PARTITIONS = 15;

export const vidOf = (i: number): string => `player${i}`;

/** Twelve characters that differ from row to row. */
const nameOf = (i: number): string => `n${i.toString(36).padStart(11, '0')}`;

/** The INSERT of rows `[first, first + count)`. */
export function insertStatement(first: number, count: number): string {
  const rows = new Array<string>(count);
  for (let j = 0; j < count; j++) {
    const i = first + j;
    rows[j] = `"${vidOf(i)}":("${nameOf(i)}", ${i % 90}, ${i})`;
  }
  return `INSERT VERTEX player(name, age, seq) VALUES ${rows.join(', ')}`;
}

/**
 * Statements of `rowsPerStatement` rows covering `rows` rows in order, from seq `offset` (a second
 * run in the same processes writes rows of its own).
 */
export class RowLayout {
  readonly statements: number;
  private readonly reps = new Map<number, readonly number[]>();

  constructor(
    readonly rows: number,
    readonly rowsPerStatement: number,
    readonly offset = 0,
  ) {
    this.statements = Math.ceil(rows / rowsPerStatement);
  }

  /** The seq of statement `k`'s first row. */
  first(k: number): number {
    return this.offset + k * this.rowsPerStatement;
  }

  count(k: number): number {
    return Math.min(this.rowsPerStatement, this.offset + this.rows - this.first(k));
  }

  /** The statement that writes row `seq`. */
  statementOf(seq: number): number {
    return Math.floor((seq - this.offset) / this.rowsPerStatement);
  }

  /** How many rows the first `k` statements write. */
  rowsBefore(k: number): number {
    return Math.min(this.rows, k * this.rowsPerStatement);
  }

  statement(k: number): string {
    return insertStatement(this.first(k), this.count(k));
  }

  /** The rows (seqs) that vouch for statement `k`: the last of its rows in each partition. */
  representatives(k: number): readonly number[] {
    let reps = this.reps.get(k);
    if (reps === undefined) {
      const lastOfPart = new Map<number, number>();
      const first = this.first(k);
      for (let i = first; i < first + this.count(k); i++) lastOfPart.set(partOfString(vidOf(i), PARTITIONS), i);
      reps = [...lastOfPart.values()].sort((a, b) => a - b);
      this.reps.set(k, reps);
    }
    return reps;
  }

  /** Forget what statements below `k` needed (they are confirmed). */
  forgetBelow(k: number): void {
    for (const key of this.reps.keys()) if (key < k) this.reps.delete(key);
  }
}
