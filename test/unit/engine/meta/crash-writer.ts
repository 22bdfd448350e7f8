// Child process for the meta crash test: commits ops forever and prints each acknowledged logId.
import { MetaStore } from '../../../../src/engine/meta/meta-store.ts';

const dataPath = process.argv[2];
const store = MetaStore.open({ dataPath, fsync: true, checkpointEvery: 7 });
for (let i = 0; ; i += 1) {
  const cat = store.commit({ op: 'addHosts', hosts: [`10.0.${Math.floor(i / 250)}.${i % 250}:9779`] }, Date.now());
  process.stdout.write(`${cat.logId}\n`);
}
