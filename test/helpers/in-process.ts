/**
 * Clusters, listeners and drainers as library objects inside the test process (DESIGN
 * "Embeddable"): each still serves on its own loopback ports and talks to the others over the
 * network, but starts in milliseconds, which the topology tests with many parts need.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphClient } from '../../src/client/graph-client.ts';
import { Drainer } from '../../src/engine/sync/drainer/drainer.ts';
import { Listener } from '../../src/engine/sync/listener/listener.ts';
import { silentLogger } from '../../src/log.ts';
import { Cluster, defaultClusterOptions } from '../../src/server/cluster.ts';

export interface Part {
  close(): Promise<void>;
}

export class InProcess {
  private readonly parts: Part[] = [];
  private readonly dir = mkdtempSync(join(tmpdir(), 'nebula-sync-inproc-'));
  private clusters = 0;

  async cluster(): Promise<Cluster> {
    const cluster = await Cluster.start({
      ...defaultClusterOptions,
      dataPath: join(this.dir, `cluster-${this.clusters++}`),
      port: 0,
      metaPort: 0,
      storagePort: 0,
      wsHttpPort: 0,
      heartbeatIntervalSecs: 1,
      fsync: false,
    });
    this.parts.push(cluster);
    return cluster;
  }

  /** A listener of `primary` ('meta' or 'storage'); answers it and its port. */
  async listener(role: 'meta' | 'storage', primary: Cluster): Promise<{ listener: Listener; port: number }> {
    const listener = new Listener({
      role,
      localIp: '127.0.0.1',
      port: 0,
      metaServerAddrs: [`127.0.0.1:${primary.ports.meta}`],
      heartbeatIntervalSecs: 1,
      log: silentLogger,
    });
    const { port } = await listener.start();
    this.parts.push(listener);
    return { listener, port };
  }

  /** A drainer in front of `secondary`; answers it and its port. */
  async drainer(secondary: Cluster): Promise<{ drainer: Drainer; port: number }> {
    const drainer = new Drainer({
      localIp: '127.0.0.1',
      port: 0,
      metaServerAddrs: [`127.0.0.1:${secondary.ports.meta}`],
      heartbeatIntervalSecs: 1,
      log: silentLogger,
    });
    const { port } = await drainer.start();
    this.parts.push(drainer);
    return { drainer, port };
  }

  /** A root client of `cluster`, already past ADD HOSTS of its own storage. */
  async client(cluster: Cluster): Promise<GraphClient> {
    const client = await GraphClient.connect({ host: '127.0.0.1', port: cluster.ports.graph });
    await client.authenticate('root', 'nebula');
    const hosts = await client.execute('SHOW HOSTS STORAGE');
    if (hosts.data?.rows.length === 0) await client.execute(`ADD HOSTS 127.0.0.1:${cluster.ports.storage}`);
    this.parts.push({ close: () => client.close() });
    return client;
  }

  /** Close everything, newest first. */
  async close(): Promise<void> {
    for (const part of this.parts.reverse()) await part.close().catch(() => undefined);
  }
}

/** Execute and throw on an error answer. */
export async function ok(client: GraphClient, stmt: string): Promise<void> {
  const res = await client.execute(stmt);
  if (res.errorCode !== 0) throw new Error(`${stmt}: [${res.errorCode}] ${res.errorMsg}`);
}
