// Pins a space's lineage: setSyncSource records the source's own lineage (an empty one is left out), REMOVE DRAINER forgets it with the source, and lineageOf answers the registered source followed by its lineage, cut at LINEAGE_LINKS_MAX hops.
import { describe, expect, it } from 'vitest';
import { LINEAGE_LINKS_MAX, lineageHas, lineageOf, lineageText } from '../../../src/catalog/lineage.ts';
import type { MetaOp } from '../../../src/catalog/types.ts';
import { createSpace, run } from './fixtures.ts';

const source = (lineage?: { clusterId: string; space: string }[]): MetaOp => ({
  op: 'setSyncSource',
  space: 't',
  clusterId: 'c1',
  sourceSpace: 's',
  partitionNum: 15,
  vidType: 'FIXED_STRING',
  ...(lineage === undefined ? {} : { lineage }),
});

describe('lineage', () => {
  it('is empty for a space that receives from no one', () => {
    expect(lineageOf(run([createSpace('t')]), 't')).toEqual([]);
    expect(lineageOf(run([createSpace('t')]), 'constructor')).toEqual([]);
  });

  it('is the registered source followed by what that source descends from', () => {
    const cat = run([createSpace('t'), source([{ clusterId: 'c0', space: 'origin' }])]);
    expect(cat.syncSources['t']!.lineage).toEqual([{ clusterId: 'c0', space: 'origin' }]);
    const lineage = lineageOf(cat, 't');
    expect(lineage).toEqual([
      { clusterId: 'c1', space: 's' },
      { clusterId: 'c0', space: 'origin' },
    ]);
    expect(lineageHas(lineage, 'c0', 'origin')).toBe(true);
    expect(lineageHas(lineage, 'c0', 's')).toBe(false);
    expect(lineageText(lineage)).toBe('c1/s <- c0/origin');
  });

  it('records no lineage key for an empty or absent one, so older entries replay alike', () => {
    expect(run([createSpace('t'), source([])]).syncSources['t']).toEqual(run([createSpace('t'), source()]).syncSources['t']);
    expect('lineage' in run([createSpace('t'), source([])]).syncSources['t']!).toBe(false);
  });

  it('is forgotten with the source on REMOVE DRAINER', () => {
    const cat = run([createSpace('t'), source([{ clusterId: 'c0', space: 'origin' }]), { op: 'removeDrainers', space: 't' }]);
    expect(lineageOf(cat, 't')).toEqual([]);
  });

  it(`is cut at ${LINEAGE_LINKS_MAX} hops`, () => {
    const long = Array.from({ length: LINEAGE_LINKS_MAX }, (_, i) => ({ clusterId: `c${i + 2}`, space: 'x' }));
    const lineage = lineageOf(run([createSpace('t'), source(long)]), 't');
    expect(lineage).toHaveLength(LINEAGE_LINKS_MAX);
    expect(lineage[0]).toEqual({ clusterId: 'c1', space: 's' });
  });
});
