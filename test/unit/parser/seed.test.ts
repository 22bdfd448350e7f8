// Pins that every statement of the seed's workflow parses verbatim, `\` line continuations and comments included.
import { describe, expect, it } from 'vitest';
import { all, one } from './parse-helpers.ts';

const seedStatements = [
  'ADD HOSTS 192.168.10.101:9779;',
  'SHOW HOSTS STORAGE;',
  'SHOW HOSTS STORAGE LISTENER;',
  'SHOW HOSTS META LISTENER;',
  'ADD HOSTS 192.168.10.102:9779;',
  'SHOW HOSTS DRAINER;',
  'CREATE SPACE basketballplayer(partition_num=15, \\\n          replica_factor=1, \\\n          vid_type=fixed_string(30));',
  'USE basketballplayer;',
  'SIGN IN DRAINER SERVICE(192.168.10.104:9889);',
  'SHOW DRAINER CLIENTS;',
  'ADD LISTENER SYNC \\\n          META 192.168.10.103:9569 \\\n          STORAGE 192.168.10.103:9789 \\\n          TO SPACE replication_basketballplayer;',
  'SHOW LISTENER SYNC;',
  'CREATE SPACE replication_basketballplayer(partition_num=15, \\\n          replica_factor=1, \\\n          vid_type=fixed_string(30));',
  'USE replication_basketballplayer;',
  'ADD DRAINER 192.168.10.104:9889;',
  'SHOW DRAINERS;',
  'SET VARIABLES read_only=true;',
  'GET VARIABLES read_only;',
  'CREATE TAG player(name string, age int);',
  'CREATE EDGE follow(degree int);',
  'INSERT VERTEX player(name, age) VALUES "player100":("Tim Duncan", 42);',
  'INSERT VERTEX player(name, age) VALUES "player101":("Tony Parker", 36);',
  'INSERT EDGE follow(degree) VALUES "player101" -> "player100":(95);',
  'SUBMIT JOB STATS;',
  'SHOW STATS;',
  'FETCH PROP ON player "player100" \\\n          YIELD properties(vertex);',
  'GO FROM "player101" OVER follow \\\n          YIELD dst(edge);',
  'INSERT VERTEX player(name,age) VALUES "player102":("LaMarcus Aldridge", 33);',
  'INSERT VERTEX player(name,age) VALUES "player103":("Rudy Gay", 32);',
  'INSERT VERTEX player(name,age) VALUES "player104":("Marco Belinelli", 32);',
  'SHOW SYNC STATUS;',
  'SHOW DRAINER SYNC STATUS;',
  'SET VARIABLES read_only=false;',
  'REMOVE DRAINER;',
  'SIGN OUT DRAINER SERVICE;',
  'REMOVE LISTENER SYNC;',
  'ADD DRAINER 192.168.10.106:9889;',
  'SIGN IN DRAINER SERVICE(192.168.10.106:9889);',
  'ADD LISTENER SYNC META 192.168.10.105:9569 STORAGE 192.168.10.105:9789 TO SPACE basketballplayer;',
];

describe('the seed workflow', () => {
  it.each(seedStatements)('parses %s', (text) => {
    expect(one(text).kind).toBeTypeOf('string');
  });

  it('reads the multi-line CREATE SPACE as the seed means it', () => {
    expect(one(seedStatements[6]!)).toEqual({
      kind: 'CreateSpace',
      ifNotExists: false,
      name: 'basketballplayer',
      partitionNum: 15,
      replicaFactor: 1,
      vidType: { kind: 'FIXED_STRING', length: 30 },
    });
  });

  it('reads the multi-line ADD LISTENER SYNC as the seed means it', () => {
    expect(one(seedStatements[10]!)).toEqual({
      kind: 'AddListenerSync',
      meta: { host: '192.168.10.103', port: 9569 },
      storage: [{ host: '192.168.10.103', port: 9789 }],
      targetSpace: 'replication_basketballplayer',
    });
  });

  it('parses a whole console block with its comment lines as one script', () => {
    const block = [
      'USE basketballplayer;',
      '',
      '# Register the drainer service.',
      'SIGN IN DRAINER SERVICE(192.168.10.104:9889);',
      '',
      '# Check if the drainer service is successfully signed in.',
      'SHOW DRAINER CLIENTS;',
    ].join('\n');
    expect(all(block).map((s) => s.kind)).toEqual(['Use', 'SignInDrainerService', 'ShowDrainerClients']);
  });

  it('parses every seed statement in one text, in order', () => {
    expect(all(seedStatements.join('\n'))).toHaveLength(seedStatements.length);
  });
});
