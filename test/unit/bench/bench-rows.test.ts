// Pins the sync benchmark's row layout: which rows each statement writes, from an offset too (the
// warm second run of part a writes rows of its own), and which rows vouch for a statement.
import { describe, expect, it } from 'vitest';
import { insertStatement, PARTITIONS, RowLayout, vidOf } from '../../../bench/bench-rows.ts';
import { partOfString } from '../../../src/engine/storage/partition-of.ts';

describe('RowLayout', () => {
  it('covers rows [offset, offset + rows) in statements of rowsPerStatement, the last one short', () => {
    const l = new RowLayout(1_050, 500, 2_000);
    expect(l.statements).toBe(3);
    expect([0, 1, 2].map((k) => [l.first(k), l.count(k)])).toEqual([[2_000, 500], [2_500, 500], [3_000, 50]]);
    expect(l.statement(2)).toBe(insertStatement(3_000, 50));
    expect([2_000, 2_499, 2_500, 3_049].map((seq) => l.statementOf(seq))).toEqual([0, 0, 1, 2]);
    expect([0, 1, 2, 3].map((k) => l.rowsBefore(k))).toEqual([0, 500, 1_000, 1_050]);
  });

  it('names the last row of each partition a statement touches, lowest first', () => {
    const l = new RowLayout(1_000, 500, 500);
    const reps = l.representatives(1);
    const parts = new Map<number, number>();
    for (let seq = 1_000; seq < 1_500; seq++) parts.set(partOfString(vidOf(seq), PARTITIONS), seq);
    expect(reps).toEqual([...parts.values()].sort((a, b) => a - b));
    expect(reps.every((seq) => seq >= 1_000 && seq < 1_500)).toBe(true);
  });
});
