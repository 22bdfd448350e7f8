// Pins the CPU arithmetic the sync benchmark prints beside its end-to-end figures: CPU per row of
// each process from two /proc readings, their sum, and the ceiling that sum sets on n CPUs.
import { describe, expect, it } from 'vitest';
import { cpuCeiling, cpuPerRow } from '../../../bench/measure.ts';

describe('cpuPerRow', () => {
  it('gives each process its CPU microseconds per row between two readings, and their sum', () => {
    const before = { primary: 1_000, secondary: 500, bench: 200 };
    const after = { primary: 3_000, secondary: 1_500, bench: 300 };
    const { byProcess, totalUs } = cpuPerRow(before, after, 200_000);
    expect(byProcess).toEqual({ primary: 10, secondary: 5, bench: 0.5 });
    expect(totalUs).toBeCloseTo(15.5, 9);
  });

  it('reads NaN through when a process could not be read', () => {
    expect(Number.isNaN(cpuPerRow({ a: 0 }, { a: Number.NaN }, 10).totalUs)).toBe(true);
  });
});

describe('cpuCeiling', () => {
  it('is the rows a second n CPUs carry at that many microseconds a row', () => {
    expect(cpuCeiling(20, 2)).toBe(100_000);
    expect(cpuCeiling(45.9, 2)).toBeCloseTo(43_573, 0);
  });

  it('is NaN when nothing was measured', () => {
    expect(Number.isNaN(cpuCeiling(0, 2))).toBe(true);
    expect(Number.isNaN(cpuCeiling(Number.NaN, 2))).toBe(true);
  });
});
