// Pins the replication engine against random histories (fast-check): inserts, updates, deletes,
// ALTER TAG, STOP/RESTART SYNC and restarts of the listeners, the drainer and the secondary, in any
// order; after quiescing, the secondary holds exactly the primary's rows. The five parts run as
// library objects in this process (DESIGN "Embeddable"), talking over loopback gRPC and Thrift.
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { GraphClient } from '../../src/client/graph-client.ts';
import { Drainer } from '../../src/engine/sync/drainer/drainer.ts';
import { Listener } from '../../src/engine/sync/listener/listener.ts';
import { silentLogger } from '../../src/log.ts';
import { Cluster, defaultClusterOptions, type ClusterOptions } from '../../src/server/cluster.ts';
import { dumpSpace, eventually, PRIMARY_SPACE, TARGET_SPACE } from '../helpers/topology.ts';

const VIDS = ['a', 'b', 'c', 'd', 'e', 'f'];
/** Written last, so a converged secondary has always received something. */
const SENTINEL = 'zz';

type Cmd =
  | { kind: 'insert'; vid: string; age: number }
  | { kind: 'update'; vid: string }
  | { kind: 'deleteVertex'; vid: string }
  | { kind: 'edge'; src: string; dst: string; degree: number }
  | { kind: 'deleteEdge'; src: string; dst: string }
  | { kind: 'alter'; n: number }
  | { kind: 'stop' }
  | { kind: 'restart' }
  | { kind: 'bounce'; what: 'metaListener' | 'storageListener' | 'drainer' | 'secondary' };

const vid = fc.constantFrom(...VIDS);
const command: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('insert' as const), vid, age: fc.integer({ min: 0, max: 99 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('update' as const), vid }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteVertex' as const), vid }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('edge' as const), src: vid, dst: vid, degree: fc.integer({ min: 0, max: 99 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteEdge' as const), src: vid, dst: vid }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('alter' as const), n: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'stop' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('bounce' as const),
      what: fc.constantFrom('metaListener' as const, 'storageListener' as const, 'drainer' as const, 'secondary' as const),
    }),
  },
);

function statement(c: Cmd): string | undefined {
  switch (c.kind) {
    case 'insert':
      return `INSERT VERTEX player(name, age) VALUES "${c.vid}":("${c.vid}-${c.age}", ${c.age})`;
    case 'update':
      return `UPSERT VERTEX ON player "${c.vid}" SET age = 1000`;
    case 'deleteVertex':
      return `DELETE VERTEX "${c.vid}" WITH EDGE`;
    case 'edge':
      return `INSERT EDGE follow(degree) VALUES "${c.src}"->"${c.dst}":(${c.degree})`;
    case 'deleteEdge':
      return `DELETE EDGE follow "${c.src}"->"${c.dst}"`;
    case 'alter':
      return `ALTER TAG player ADD (extra${c.n} int)`;
    case 'stop':
      return 'STOP SYNC';
    case 'restart':
      return 'RESTART SYNC';
    default:
      return undefined;
  }
}

class World {
  primary!: Cluster;
  secondary!: Cluster;
  metaListener!: Listener;
  storageListener!: Listener;
  drainer!: Drainer;
  ports = { metaListener: 0, storageListener: 0, drainer: 0 };
  private secondaryOptions!: ClusterOptions;
  client!: GraphClient;

  async start(): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'nebula-sync-prop-'));
    const base = { ...defaultClusterOptions, port: 0, metaPort: 0, storagePort: 0, wsHttpPort: 0, heartbeatIntervalSecs: 1, fsync: false };
    this.primary = await Cluster.start({ ...base, dataPath: join(dir, 'p') });
    this.secondaryOptions = { ...base, dataPath: join(dir, 's') };
    this.secondary = await Cluster.start(this.secondaryOptions);
    this.secondaryOptions = { ...this.secondaryOptions, ...this.fixedPorts(this.secondary) };
    await this.startMetaListener();
    await this.startStorageListener();
    await this.startDrainer();
    this.client = await this.connect(this.primary);
    const s = await this.connect(this.secondary);
    for (const [c, stmt] of [
      [this.client, `ADD HOSTS 127.0.0.1:${this.primary.ports.storage}`],
      [s, `ADD HOSTS 127.0.0.1:${this.secondary.ports.storage}`],
      [this.client, `CREATE SPACE ${PRIMARY_SPACE}(partition_num=4, vid_type=fixed_string(8))`],
      [this.client, `USE ${PRIMARY_SPACE}`],
      [this.client, 'CREATE TAG player(name string, age int)'],
      [this.client, 'CREATE EDGE follow(degree int)'],
      [this.client, `SIGN IN DRAINER SERVICE(127.0.0.1:${this.ports.drainer})`],
      [this.client, `ADD LISTENER SYNC META 127.0.0.1:${this.ports.metaListener} STORAGE 127.0.0.1:${this.ports.storageListener} TO SPACE ${TARGET_SPACE}`],
      [s, `CREATE SPACE ${TARGET_SPACE}(partition_num=3, vid_type=fixed_string(8))`],
      [s, `USE ${TARGET_SPACE}`],
      [s, `ADD DRAINER 127.0.0.1:${this.ports.drainer}`],
    ] as const) {
      const res = await c.execute(stmt);
      if (res.errorCode !== 0) throw new Error(`${stmt}: ${res.errorMsg}`);
    }
    await s.close();
  }

  private fixedPorts(c: Cluster) {
    return { port: c.ports.graph, metaPort: c.ports.meta, storagePort: c.ports.storage, wsHttpPort: c.ports.http };
  }

  private async connect(c: Cluster): Promise<GraphClient> {
    const client = await GraphClient.connect({ host: '127.0.0.1', port: c.ports.graph });
    await client.authenticate('root', 'nebula');
    return client;
  }

  private listener(role: 'meta' | 'storage', port: number): Listener {
    return new Listener({
      role,
      localIp: '127.0.0.1',
      port,
      metaServerAddrs: [`127.0.0.1:${this.primary.ports.meta}`],
      heartbeatIntervalSecs: 1,
      log: silentLogger,
    });
  }

  private async startMetaListener(): Promise<void> {
    this.metaListener = this.listener('meta', this.ports.metaListener);
    this.ports.metaListener = (await this.metaListener.start()).port;
  }

  private async startStorageListener(): Promise<void> {
    this.storageListener = this.listener('storage', this.ports.storageListener);
    this.ports.storageListener = (await this.storageListener.start()).port;
  }

  private async startDrainer(): Promise<void> {
    this.drainer = new Drainer({
      localIp: '127.0.0.1',
      port: this.ports.drainer,
      metaServerAddrs: [`127.0.0.1:${this.secondary.ports.meta}`],
      heartbeatIntervalSecs: 1,
      log: silentLogger,
    });
    this.ports.drainer = (await this.drainer.start()).port;
  }

  async bounce(what: Extract<Cmd, { kind: 'bounce' }>['what']): Promise<void> {
    switch (what) {
      case 'metaListener':
        await this.metaListener.close();
        return this.startMetaListener();
      case 'storageListener':
        await this.storageListener.close();
        return this.startStorageListener();
      case 'drainer':
        await this.drainer.close();
        return this.startDrainer();
      case 'secondary':
        await this.secondary.close();
        this.secondary = await Cluster.start(this.secondaryOptions);
        return;
    }
  }

  async run(c: Cmd): Promise<void> {
    if (c.kind === 'bounce') return this.bounce(c.what);
    // Refusals (an ALTER adding a column twice, a STOP of a stopped sync) change nothing: fine.
    await this.client.execute(statement(c)!);
  }

  async converged(): Promise<void> {
    await this.client.execute('RESTART SYNC');
    await this.client.execute(`INSERT VERTEX player(name, age) VALUES "${SENTINEL}":("sentinel", 1)`);
    const s = await this.connect(this.secondary);
    await s.execute(`USE ${TARGET_SPACE}`);
    let last = '';
    try {
      await eventually(
        'secondary == primary',
        async () => {
          try {
            const all = [...VIDS, SENTINEL];
            const [p, q] = [await dumpSpace(this.client, all), await dumpSpace(s, all)];
            last = `primary ${JSON.stringify(p)}\nsecondary ${JSON.stringify(q)}`;
            return p.some((line) => line.includes(SENTINEL)) && JSON.stringify(p) === JSON.stringify(q);
          } catch (error) {
            last = (error as Error).message;
            return false;
          }
        },
        30_000,
        100,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${last}`);
    } finally {
      await s.close();
    }
  }

  async close(): Promise<void> {
    await this.client?.close();
    await this.metaListener?.close();
    await this.storageListener?.close();
    await this.drainer?.close();
    await this.secondary?.close();
    await this.primary?.close();
  }
}

describe('replication against random histories', () => {
  it('ends with primary == secondary row by row', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 30 }), async (cmds) => {
        const world = new World();
        try {
          await world.start();
          for (const c of cmds) await world.run(c);
          await world.converged();
        } finally {
          await world.close();
        }
      }),
      { numRuns: 12, endOnFailure: true },
    );
  }, 300_000);
});
