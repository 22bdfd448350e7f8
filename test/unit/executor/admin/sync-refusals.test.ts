// Pins the sync statements' refusals of topologies that cannot work, each with a clear error and no catalog change: a cycle seen through the space's lineage and what its drainers say (ADD LISTENER SYNC, SIGN IN DRAINER SERVICE under a listener sync, ADD DRAINER), listener addresses given in each other's place, a second target for one space; and that a drainer that does not answer is no reason to refuse.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterMetaService } from '../../../../src/engine/meta/meta-service.ts';
import type { DrainerFacts, KnockingSource, SyncPeers } from '../../../../src/engine/sync/drainer-probe.ts';
import { ErrorCode, type NgError, type Result } from '../../../../src/errors.ts';
import { executeStatements } from '../../../../src/executor/index.ts';
import type { ExecOutput, Session } from '../../../../src/executor/types.ts';
import type { HostRole, LineageLink } from '../../../../src/catalog/types.ts';
import { parse } from '../../../../src/parser/parse.ts';
import { createHarness, type Harness } from '../../../helpers/exec-harness.ts';
import { ok, withSpace } from './admin-harness.ts';

const HERE = 'cluster-b';
const OTHER = 'cluster-a';

let h: Harness;
let s: Session;
/** What each drainer answers, by "host:port"; absent = it does not answer. */
let drainers: Map<string, DrainerFacts>;
/** Sources refused lately when they asked to sync into a space, by space. */
let knocking: Map<string, KnockingSource[]>;
let asked: string[];

const peers: SyncPeers = {
  clusterId: HERE,
  probeDrainer: async (addr) => {
    asked.push(`${addr.host}:${addr.port}`);
    return drainers.get(`${addr.host}:${addr.port}`);
  },
  knocking: (space) => knocking.get(space) ?? [],
};

beforeEach(async () => {
  h = createHarness({ enableAuthorize: true });
  s = await withSpace(h, 'rbp');
  drainers = new Map();
  knocking = new Map();
  asked = [];
});
afterEach(() => h.close());

/** Run `text` with the fake drainers in reach. */
async function run(text: string, session = s): Promise<Result<ExecOutput>> {
  const parsed = parse(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return executeStatements(parsed.statements, { ...h.ctx(session), peers });
}

async function refusedWith(text: string, session = s): Promise<NgError> {
  const logIdBefore = h.ctx(session).meta.catalog().logId;
  const res = await run(text, session);
  if (res.ok) expect.fail(`${text} was accepted`);
  // A refusal changes nothing.
  expect(h.ctx(session).meta.catalog().logId).toBe(logIdBefore);
  return res.error;
}

async function accepted(text: string, session = s): Promise<void> {
  const res = await run(text, session);
  if (!res.ok) expect.fail(`${text} -> ${res.error.message}`);
}

/** `space` on this cluster receives from `source` on cluster OTHER, whose own lineage is `lineage`. */
function registerSource(space: string, source: string, lineage: LineageLink[] = []): void {
  h.ctx(s).meta.commit({ op: 'setSyncSource', space, clusterId: OTHER, sourceSpace: source, partitionNum: 15, vidType: 'FIXED_STRING', lineage });
}

function heartbeat(role: HostRole, host: string, port: number): void {
  (h.ctx(s).meta as ClusterMetaService).heartbeat({ role, host, port, gitInfoSha: 'x', version: 'y' });
}

describe('a sync that would close a cycle', () => {
  it('ADD LISTENER SYNC back to the space this one receives from is refused (A -> B, then B -> A)', async () => {
    registerSource('rbp', 'bp');
    drainers.set('10.0.0.4:9890', { clusterId: OTHER });
    await ok(h, 'SIGN IN DRAINER SERVICE(10.0.0.4:9890)', s);
    const err = await refusedWith('ADD LISTENER SYNC META 10.0.0.5:9569 STORAGE 10.0.0.5:9789 TO SPACE bp');
    expect(err.code).toBe(ErrorCode.E_EXECUTION_ERROR);
    expect(err.message).toBe(
      'Conflict: sync from rbp to bp would close a cycle: drainer 10.0.0.4:9890 writes to cluster cluster-a, ' +
        'whose bp already feeds rbp (rbp descends from cluster-a/bp)',
    );
    expect(asked).toEqual(['10.0.0.4:9890']);
  });

  it('sees a longer cycle through the lineage (A -> B -> C, then C -> A)', async () => {
    // rbp receives from cluster-a's mid, which itself receives from cluster-x's origin.
    registerSource('rbp', 'mid', [{ clusterId: 'cluster-x', space: 'origin' }]);
    drainers.set('10.0.0.4:9890', { clusterId: 'cluster-x' });
    await ok(h, 'SIGN IN DRAINER SERVICE(10.0.0.4:9890)', s);
    const err = await refusedWith('ADD LISTENER SYNC META 10.0.0.5:9569 STORAGE 10.0.0.5:9789 TO SPACE origin');
    expect(err.message).toMatch(/^Conflict: sync from rbp to origin would close a cycle: .* \(rbp descends from cluster-a\/mid <- cluster-x\/origin\)$/);
  });

  it('lets a chain go on (A -> B -> C) and a space that receives from no one sync anywhere', async () => {
    registerSource('rbp', 'bp');
    drainers.set('10.0.0.4:9890', { clusterId: 'cluster-c' });
    await ok(h, 'SIGN IN DRAINER SERVICE(10.0.0.4:9890)', s);
    await accepted('ADD LISTENER SYNC META 10.0.0.5:9569 STORAGE 10.0.0.5:9789 TO SPACE bp');
    await ok(h, 'CREATE SPACE fresh(partition_num=3, replica_factor=1, vid_type=fixed_string(30))');
    const f = h.session('root', 'fresh');
    await ok(h, 'SIGN IN DRAINER SERVICE(10.0.0.4:9890)', f);
    asked = [];
    await accepted('ADD LISTENER SYNC META 10.0.0.5:9569 STORAGE 10.0.0.5:9789 TO SPACE anything', f);
    // Nothing to check against: the drainer is not even asked.
    expect(asked).toEqual([]);
  });

  it('does not refuse on a guess when the drainer does not answer (the secondary still checks)', async () => {
    registerSource('rbp', 'bp');
    await ok(h, 'SIGN IN DRAINER SERVICE(10.0.0.4:9890)', s);
    await accepted('ADD LISTENER SYNC META 10.0.0.5:9569 STORAGE 10.0.0.5:9789 TO SPACE bp');
    expect(asked).toEqual(['10.0.0.4:9890']);
  });

  it('SIGN IN DRAINER SERVICE under a listener sync is checked the same way', async () => {
    registerSource('rbp', 'bp');
    drainers.set('10.0.0.4:9890', { clusterId: 'cluster-c' });
    drainers.set('10.0.0.6:9890', { clusterId: OTHER });
    await ok(h, 'SIGN IN DRAINER SERVICE(10.0.0.4:9890)', s);
    await accepted('ADD LISTENER SYNC META 10.0.0.5:9569 STORAGE 10.0.0.5:9789 TO SPACE bp');
    await ok(h, 'SIGN OUT DRAINER SERVICE', s);
    const err = await refusedWith('SIGN IN DRAINER SERVICE(10.0.0.6:9890)');
    expect(err.message).toMatch(/^Conflict: sync from rbp to bp would close a cycle: drainer 10.0.0.6:9890 writes to cluster cluster-a/);
    await accepted('SIGN IN DRAINER SERVICE(10.0.0.4:9890)');
  });

  it('ADD DRAINER is refused when a source asking to sync into the space descends from it', async () => {
    knocking.set('rbp', [{ clusterId: OTHER, space: 'copy', lineage: [{ clusterId: HERE, space: 'rbp' }] }]);
    const err = await refusedWith('ADD DRAINER 10.0.0.7:9889');
    expect(err.message).toBe(
      'Conflict: ADD DRAINER would close a cycle: cluster-a/copy asks to sync into rbp and descends from rbp of this cluster (cluster-a/copy <- cluster-b/rbp)',
    );
    // Known here: no drainer had to be asked.
    expect(asked).toEqual([]);
  });

  it('ADD DRAINER is refused when the source asking is the space this one syncs to', async () => {
    // rbp syncs to cluster-a's bp (its drainer writes there); bp, not yet registered anywhere, asks back.
    drainers.set('10.0.0.4:9890', { clusterId: OTHER });
    await ok(h, 'SIGN IN DRAINER SERVICE(10.0.0.4:9890)', s);
    await accepted('ADD LISTENER SYNC META 10.0.0.5:9569 STORAGE 10.0.0.5:9789 TO SPACE bp');
    knocking.set('rbp', [{ clusterId: OTHER, space: 'bp', lineage: [] }]);
    const err = await refusedWith('ADD DRAINER 10.0.0.7:9889');
    expect(err.message).toBe('Conflict: ADD DRAINER would close a cycle: cluster-a/bp asks to sync into rbp, and rbp syncs to it (SHOW LISTENER SYNC)');
    expect(asked).toEqual(['10.0.0.4:9890']);
  });

  it('ADD DRAINER goes on for an unrelated source, a same-named space elsewhere, or when nobody asks yet', async () => {
    drainers.set('10.0.0.4:9890', { clusterId: 'cluster-c' });
    await ok(h, 'SIGN IN DRAINER SERVICE(10.0.0.4:9890)', s);
    await accepted('ADD LISTENER SYNC META 10.0.0.5:9569 STORAGE 10.0.0.5:9789 TO SPACE bp');
    knocking.set('rbp', [
      { clusterId: OTHER, space: 'bp', lineage: [] },
      { clusterId: OTHER, space: 'x', lineage: [{ clusterId: 'cluster-z', space: 'rbp' }] },
    ]);
    await accepted('ADD DRAINER 10.0.0.7:9889');
    await ok(h, 'REMOVE DRAINER', s);
    knocking.clear();
    await accepted('ADD DRAINER 10.0.0.7:9889');
  });
});

describe('listener addresses given in each other\'s place', () => {
  beforeEach(async () => {
    await ok(h, 'SIGN IN DRAINER SERVICE(10.0.0.4:9889)', s);
    heartbeat('META_LISTENER', '10.0.0.3', 9569);
    heartbeat('STORAGE_LISTENER', '10.0.0.3', 9789);
  });

  it('refuses a META address known as a storage listener', async () => {
    const err = await refusedWith('ADD LISTENER SYNC META 10.0.0.3:9789 STORAGE 10.0.0.3:9569 TO SPACE t');
    expect(err.message).toMatch(/^Conflict: 10\.0\.0\.3:9789 is a storage listener \(SHOW HOSTS STORAGE LISTENER\), not a meta listener\. Do not mix them up/);
  });

  it('refuses a STORAGE address known as a meta listener', async () => {
    heartbeat('STORAGE_LISTENER', '10.0.0.8', 9789);
    const err = await refusedWith('ADD LISTENER SYNC META 10.0.0.9:9569 STORAGE 10.0.0.8:9789, 10.0.0.3:9569 TO SPACE t');
    expect(err.message).toMatch(/^Conflict: 10\.0\.0\.3:9569 is a meta listener \(SHOW HOSTS META LISTENER\), not a storage listener\./);
  });

  it('accepts the right roles, and addresses it has not heard of', async () => {
    await accepted('ADD LISTENER SYNC META 10.0.0.3:9569 STORAGE 10.0.0.3:9789, 10.0.0.99:9789 TO SPACE t');
  });
});

describe('a second target for one space', () => {
  it('is refused: one primary space syncs to one target only', async () => {
    await ok(h, 'SIGN IN DRAINER SERVICE(10.0.0.4:9889)', s);
    await accepted('ADD LISTENER SYNC META 10.0.0.3:9569 STORAGE 10.0.0.3:9789 TO SPACE t1');
    expect((await refusedWith('ADD LISTENER SYNC META 10.0.0.3:9569 STORAGE 10.0.0.3:9789 TO SPACE t2')).message).toBe('Existed!');
  });
});
