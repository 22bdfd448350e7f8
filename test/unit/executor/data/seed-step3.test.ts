// Pins the seed's Step 3: its INSERT statements give exactly the seed's FETCH and GO tables.
import { afterEach, describe, expect, it } from 'vitest';
import { mapOf } from '../../../../src/value/types.ts';
import { createHarness, type Harness } from '../../../helpers/exec-harness.ts';
import { runAll, table } from './data-setup.ts';

let h: Harness | undefined;
afterEach(() => h?.close());

describe("the seed's Step 3", () => {
  it('answers the seed tables for FETCH and GO', async () => {
    h = createHarness();
    await runAll(
      h,
      'ADD HOSTS 127.0.0.1:9779',
      'CREATE SPACE basketballplayer(partition_num=15, replica_factor=1, vid_type=fixed_string(30))',
      'USE basketballplayer',
      'CREATE TAG player(name string, age int)',
      'CREATE EDGE follow(degree int)',
      'INSERT VERTEX player(name, age) VALUES "player100":("Tim Duncan", 42)',
      'INSERT VERTEX player(name, age) VALUES "player101":("Tony Parker", 36)',
      'INSERT EDGE follow(degree) VALUES "player101" -> "player100":(95)',
    );
    expect(await table(h, 'FETCH PROP ON player "player100" YIELD properties(vertex)')).toEqual({
      columns: ['properties(VERTEX)'],
      rows: [[mapOf([['age', 42n], ['name', 'Tim Duncan']])]],
    });
    expect(await table(h, 'GO FROM "player101" OVER follow YIELD dst(edge)')).toEqual({
      columns: ['dst(EDGE)'],
      rows: [['player100']],
    });
  });
});
