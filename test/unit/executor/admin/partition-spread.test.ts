// Pins how SHOW HOSTS and DROP HOSTS place partitions: every partition on exactly one host, evenly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply } from '../../../../src/catalog/apply.ts';
import { emptyCatalog } from '../../../../src/catalog/empty.ts';
import type { Catalog, MetaOp } from '../../../../src/catalog/types.ts';
import { partitionsOnHost } from '../../../../src/executor/admin/hosts.ts';

function catalogOf(hostCount: number, parts: readonly number[]): Catalog {
  const hosts = Array.from({ length: hostCount }, (_, i) => `10.0.0.${i + 1}:9779`);
  const ops: MetaOp[] = [{ op: 'addHosts', hosts }];
  parts.forEach((partitionNum, i) =>
    ops.push({
      op: 'createSpace',
      space: {
        name: `s${i}`,
        partitionNum,
        replicaFactor: 1,
        vidType: { kind: 'INT64' },
        charset: 'utf8',
        collate: 'utf8_bin',
      },
    }),
  );
  return ops.reduce((cat, op, i) => apply(cat, { logId: i + 1, term: 1, ts: 0, op }), emptyCatalog());
}

describe('partitionsOnHost', () => {
  it('puts each partition of each space on one host, evenly spread', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 4 }),
        (n, parts) => {
          const cat = catalogOf(n, parts);
          parts.forEach((partitionNum, i) => {
            const perHost = cat.storageHosts.map((h) => partitionsOnHost(cat, h).get(`s${i}`) ?? 0);
            expect(perHost.reduce((a, b) => a + b, 0)).toBe(partitionNum);
            expect(Math.max(...perHost) - Math.min(...perHost)).toBeLessThanOrEqual(1);
          });
        },
      ),
    );
  });

  it('knows nothing of a host that was never added', () => {
    expect(partitionsOnHost(catalogOf(1, [10]), '10.9.9.9:9779').size).toBe(0);
  });
});
