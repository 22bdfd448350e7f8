/**
 * VERIFY SYNC on the primary (VERIFY.md): freeze the source's applies on the secondary, take one
 * read transaction over the space (which fixes every partition's log id L at once, without
 * stopping writes), send the cut, and checksum both pictures at the same time, each side its own.
 * With keys, the buckets that differ are listed from the same two pictures. The secondary's
 * picture is always released (END), whatever happened.
 *
 * @example
 *   const verifier = createVerifyRuntime({ metaStore, storage, log });
 *   const outcome = await verifier.verify('basketballplayer', { keys: false });
 */
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '../../../log.ts';
import { sourceSpaceOf } from '../../../server/rpc/primary-assignment.ts';
import type { MetaStore } from '../../meta/meta-store.ts';
import type { SpaceReadView } from '../../storage/space-read-view.ts';
import type { StorageEngine } from '../../storage/types.ts';
import { num } from '../wire.ts';
import { diffKeys, listKeys } from './key-listing.ts';
import { PartSums } from './part-sums.ts';
import { schemaNames, type SchemaNames } from './row-digest.ts';
import { schemaDigest } from './schema-digest.ts';
import { scanSpace } from './space-scan.ts';
import { newVerifyId, NoVerifyLink, openVerifyLink, type VerifyLink } from './verify-link.ts';
import { VERIFY_KEYS_LISTED_MAX } from './verify-limits.ts';
import { compareParts, keyResults, schemaKeyResults } from './verify-report.ts';
import type { VerifyKeyResult, VerifyOutcome, VerifyPartResult, VerifyRuntime } from './verify-types.ts';
import type { VerifyReplyMsg } from './verify-wire.ts';

export interface PrimaryVerifyDeps {
  readonly metaStore: MetaStore;
  readonly storage: StorageEngine;
  readonly log: Logger;
  readonly connect?: (address: string) => grpc.Client;
}

const failed = (kind: string, message: string): VerifyOutcome => ({ ok: false, problem: { kind, message } });

function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The secondary's answer, or the words that say why it is not one. */
function refusal(reply: VerifyReplyMsg): string | undefined {
  if (reply.code !== 0) return `the secondary answered: ${reply.message}`;
  const problems = reply.parts.filter((p) => p.problem !== '');
  if (problems.length === 0) return undefined;
  return problems.map((p) => `part ${p.part}: ${p.problem}`).join('; ');
}

export function createVerifyRuntime(deps: PrimaryVerifyDeps): VerifyRuntime {
  return { verify: (space, options) => runVerify(deps, space, options.keys) };
}

async function runVerify(deps: PrimaryVerifyDeps, spaceName: string, keys: boolean): Promise<VerifyOutcome> {
  const started = performance.now();
  const catalog = deps.metaStore.catalog();
  const space = own(catalog.spaces, spaceName);
  if (space === undefined) return failed('SpaceNotFound', 'Space not existed!');
  const sync = own(catalog.listeners, spaceName);
  if (sync === undefined) return failed('SyncListenerNotFound', 'No listener sync is added to this space.');
  const drainers = own(catalog.drainerClients, spaceName) ?? [];
  if (drainers.length === 0) return failed('NoValidDrainer', 'No drainer service is signed in for this space, sign in one first.');
  const store = deps.storage.space(space.id);
  if (store === undefined) return failed('SpaceNotFound', `Space \`${spaceName}' has no storage here`);

  const source = sourceSpaceOf(deps.metaStore.clusterId, space);
  let link: VerifyLink;
  try {
    link = await openVerifyLink({ drainers, verifyId: newVerifyId(), source, targetSpace: sync.targetSpace, ...(deps.connect ? { connect: deps.connect } : {}) });
  } catch (cause) {
    const why = cause instanceof NoVerifyLink ? cause.message : (cause as Error).message;
    return failed('VerifyFailed', `no drainer of space \`${spaceName}' could start a verify on the secondary: ${why}`);
  }
  let view: SpaceReadView | undefined;
  try {
    // The cut: one read transaction fixes L for every partition; the catalog next to it fixes the
    // schema's log id.
    view = store.readView();
    const cutCatalog = deps.metaStore.catalog();
    const schemaLogId = cutCatalog.logId;
    const cutSpace = own(cutCatalog.spaces, spaceName) ?? space;
    const schema = schemaDigest(cutSpace);
    const cuts = new Map(view.tips.map((t) => [t.part, t.lastLogId]));
    const sums = new PartSums(space.partitionNum, keys);
    const tags = schemaNames(cutSpace.tags);
    const edges = schemaNames(cutSpace.edges);
    // Both sides scan at once; a failed cut cancels our scan.
    const abort = new AbortController();
    const scanning = scanSpace({ view, tags, edges, placement: { kind: 'own' }, sums, signal: abort.signal });
    scanning.catch(() => undefined);
    let reply: VerifyReplyMsg;
    try {
      reply = await link.call('CUT', { cuts: [...cuts].map(([part, logId]) => ({ part, log_id: logId })), schema_log_id: schemaLogId, keys });
    } catch (cause) {
      abort.abort();
      throw cause;
    }
    const why = refusal(reply);
    if (why !== undefined) {
      abort.abort();
      const stopped = sync.stopped ? ' (the sync of this space is stopped: RESTART SYNC)' : '';
      return failed('VerifyFailed', `${why}${stopped}`);
    }
    const mine = await scanning;
    const parts = compareParts(cuts, schemaLogId, schema, sums, reply.parts);
    let listed: VerifyKeyResult[] | undefined;
    let keysComplete = true;
    if (keys) {
      const found = await differingKeys(link, view, parts, sums, tags, edges);
      listed = [...schemaKeyResults(schema, reply.schemas), ...found.keys];
      keysComplete = found.complete && listed.length <= VERIFY_KEYS_LISTED_MAX;
      listed = listed.slice(0, VERIFY_KEYS_LISTED_MAX);
    }
    const report = {
      space: spaceName,
      parts,
      ...(listed === undefined ? {} : { keys: listed }),
      keysComplete,
      primaryScan: { rows: mine.rows, ms: mine.ms, cpuMs: mine.cpuMs },
      secondaryScan: { rows: num(reply.scanned_rows), ms: num(reply.scan_ms), cpuMs: num(reply.scan_cpu_ms) },
      totalMs: performance.now() - started,
    };
    deps.log.info('verify finished', {
      space: spaceName,
      match: parts.every((p) => p.match),
      primaryRows: report.primaryScan.rows,
      primaryScanMs: Math.round(report.primaryScan.ms),
      primaryCpuMs: Math.round(report.primaryScan.cpuMs),
      secondaryRows: report.secondaryScan.rows,
      secondaryScanMs: report.secondaryScan.ms,
      secondaryCpuMs: report.secondaryScan.cpuMs,
      totalMs: Math.round(report.totalMs),
    });
    return { ok: true, report };
  } catch (cause) {
    deps.log.warn('verify failed', { space: spaceName, drainer: link.drainer, cause: (cause as Error).message });
    return failed('VerifyFailed', `through drainer ${link.drainer}: ${(cause as Error).message}`);
  } finally {
    view?.close();
    await link.call('END').catch(() => undefined);
    link.close();
  }
}

/** KEYS: the secondary's rows of the differing buckets against ours. */
async function differingKeys(
  link: VerifyLink,
  view: SpaceReadView,
  parts: readonly VerifyPartResult[],
  sums: PartSums,
  tags: SchemaNames,
  edges: SchemaNames,
): Promise<{ keys: VerifyKeyResult[]; complete: boolean }> {
  const differing = parts.filter((p) => p.part > 0 && !p.match);
  if (differing.length === 0) return { keys: [], complete: true };
  const reply = await link.call('KEYS', { buckets: differing.map((p) => ({ part: p.part, sums: sums.bucketBytes(p.part) })) });
  if (reply.code !== 0) throw new Error(`the secondary could not list keys: ${reply.message}`);
  const covered = reply.covered.map((c) => ({ part: c.part, bucket: c.bucket }));
  const mine = await listKeys(view, tags, edges, { kind: 'own' }, sums.partitions, covered);
  const theirs = reply.keys.map((k) => ({ part: k.part, bucket: k.bucket, key: k.key, hash: k.hash, props: k.props }));
  return { keys: keyResults(diffKeys(mine, theirs)), complete: reply.keys_complete };
}
