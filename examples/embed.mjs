// Embedding nebula-sync in a few lines: parse, start a cluster in this process, run statements against it (docs/embedding.md).
import { mkdtempSync, rmSync } from 'node:fs'; import { tmpdir } from 'node:os'; import { join } from 'node:path';
import { createCluster, parse } from 'nebula-sync';
console.log('parse:', JSON.stringify(parse('SHOW SYNC STATUS')));
const dataPath = mkdtempSync(join(tmpdir(), 'nebula-embed-')), cluster = createCluster({ dataPath, graphPort: false });
cluster.onStatus((s) => console.log('status:', s.state, JSON.stringify(s.ports)));
const ports = await cluster.start(), session = { user: 'root' }; // USE changes session.space
for (const text of [`ADD HOSTS 127.0.0.1:${ports.storage}`, 'CREATE SPACE nba(partition_num=2, vid_type=fixed_string(16))', 'USE nba', 'CREATE TAG player(name string)', 'INSERT VERTEX player(name) VALUES "p1":("Tim Duncan")', 'FETCH PROP ON player "p1" YIELD player.name AS name', 'SIGN IN DRAINER SERVICE(127.0.0.1:9889)', 'ADD LISTENER SYNC META 127.0.0.1:9569 STORAGE 127.0.0.1:9789 TO SPACE replica', 'SHOW SYNC STATUS', 'SHOW SYNC STATUS FROM nowhere'])
  console.log(`${text} ->`, JSON.stringify(await cluster.engine.execute(session, text), (_k, v) => (typeof v === 'bigint' ? Number(v) : v)));
console.log('syncStatus rows:', JSON.stringify(cluster.engine.syncStatus('nba')));
await cluster.close(); rmSync(dataPath, { recursive: true });
