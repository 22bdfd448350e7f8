/**
 * Storage.VerifyData: the secondary's half of VERIFY SYNC (VERIFY.md). A verify is a session that
 * lives from FREEZE to END (or to its timer, whichever is first):
 *
 * - FREEZE admits the request (the target space, the drainer it added, the one source it receives
 *   from) and installs a frozen gate: this source's applies wait (verify-gate.ts).
 * - CUT sets the barriers the primary fixed, waits (bounded) until every partition stands there,
 *   opens its read transaction, lets the applies go, and checksums its picture (secondary-cut.ts).
 * - KEYS lists the rows of the key buckets that differ, from the same picture (key-listing.ts).
 * - END closes the picture.
 */
import type { SpaceDesc } from '../../../catalog/types.ts';
import { MetaCode, ErrorCode } from '../../../errors.ts';
import type { Logger } from '../../../log.ts';
import type { MetaStore } from '../../meta/meta-store.ts';
import type { SpaceReadView } from '../../storage/space-read-view.ts';
import type { SpaceStore, StorageEngine } from '../../storage/types.ts';
import { positionKey, sourceKey } from '../source-key.ts';
import type { SourceSpaceMsg } from '../wire.ts';
import { chooseBuckets, listKeys } from './key-listing.ts';
import type { PartSums } from './part-sums.ts';
import type { SchemaNames } from './row-digest.ts';
import { cutAndChecksum } from './secondary-cut.ts';
import type { PartPlacement } from './space-scan.ts';
import { installGate, removeGate, type SourceGate } from './verify-gate.ts';
import { VERIFY_FREEZE_MS_MAX, VERIFY_PICTURE_MS_MAX } from './verify-limits.ts';
import { verifyFailure, type VerifyReplyMsg, type VerifyRequestMsg } from './verify-wire.ts';

/** Verifies that may be open at once on one secondary (each may hold a read transaction). */
export const VERIFY_SESSIONS_MAX = 8;

export interface SecondaryVerifyDeps {
  readonly metaStore: MetaStore;
  readonly storage: StorageEngine;
  readonly log: Logger;
}

/** A picture kept after CUT for KEYS. */
export interface Picture {
  readonly view: SpaceReadView;
  readonly sums: PartSums;
  readonly tags: SchemaNames;
  readonly edges: SchemaNames;
  readonly placement: PartPlacement;
}

interface Session {
  readonly store: SpaceStore;
  readonly key: string;
  readonly source: SourceSpaceMsg;
  readonly space: SpaceDesc;
  readonly gate: SourceGate;
  phase: 'frozen' | 'cutting' | 'picture';
  picture?: Picture;
  timer: NodeJS.Timeout;
}

type Admission = { readonly ok: true; readonly space: SpaceDesc; readonly store: SpaceStore; readonly key: string } | { readonly ok: false; readonly reply: VerifyReplyMsg };

function admit(deps: SecondaryVerifyDeps, req: VerifyRequestMsg): Admission {
  const refuse = (code: number, message: string): Admission => ({ ok: false, reply: verifyFailure(code, message) });
  const catalog = deps.metaStore.catalog();
  const space = Object.hasOwn(catalog.spaces, req.target_space) ? catalog.spaces[req.target_space] : undefined;
  if (space === undefined) return refuse(MetaCode.E_SPACE_NOT_FOUND, `SpaceNotFound: target space \`${req.target_space}' does not exist on the secondary`);
  const drainers = Object.hasOwn(catalog.drainers, space.name) ? catalog.drainers[space.name]! : [];
  if (!drainers.some((d) => `${d.host}:${d.port}` === req.drainer)) {
    return refuse(MetaCode.E_NO_VALID_DRAINER, `NoValidDrainer: drainer ${req.drainer} was not added to space \`${space.name}' on the secondary`);
  }
  const source = req.source;
  if (source === null || !(source.partition_num >= 1)) return refuse(MetaCode.E_PART_MISMATCH, 'PartMismatch: the request names no source space');
  const key = sourceKey({ clusterId: source.cluster_id, spaceName: source.space_name });
  const registered = Object.hasOwn(catalog.syncSources, space.name) ? catalog.syncSources[space.name] : undefined;
  if (registered === undefined) {
    return refuse(MetaCode.E_DATA_CONFLICT, `NotSynced: target space \`${space.name}' has received nothing from ${key} yet`);
  }
  const registeredKey = sourceKey({ clusterId: registered.clusterId, spaceName: registered.sourceSpace });
  if (registeredKey !== key) return refuse(MetaCode.E_DATA_CONFLICT, `DataConflict: target space \`${space.name}' receives from ${registeredKey}, not ${key}`);
  if (registered.sourceSpaceId !== undefined && registered.sourceSpaceId !== source.space_id) {
    return refuse(MetaCode.E_DATA_CONFLICT, `DataConflict: target space \`${space.name}' receives from space id ${registered.sourceSpaceId} of ${key}, not ${source.space_id}`);
  }
  const store = deps.storage.space(space.id);
  if (store === undefined) return refuse(MetaCode.E_SPACE_NOT_FOUND, `SpaceNotFound: target space \`${space.name}' has no storage here`);
  return { ok: true, space, store, key: positionKey({ clusterId: source.cluster_id, spaceName: source.space_name, spaceId: source.space_id }) };
}

export class SecondaryVerifier {
  readonly #sessions = new Map<string, Session>();

  constructor(private readonly deps: SecondaryVerifyDeps) {}

  async handle(req: VerifyRequestMsg): Promise<VerifyReplyMsg> {
    try {
      switch (req.phase) {
        case 'FREEZE':
          return this.#freeze(req);
        case 'CUT':
          return await this.#cut(req);
        case 'KEYS':
          return await this.#keys(req);
        case 'END':
          this.#end(req.verify_id);
          return verifyFailure(0, '');
        default:
          return verifyFailure(MetaCode.E_UNSUPPORTED, `Unsupported: verify phase '${req.phase}'`);
      }
    } catch (cause) {
      this.deps.log.error('verify failed on the secondary', { verifyId: req.verify_id, phase: req.phase, cause });
      this.#end(req.verify_id);
      return verifyFailure(ErrorCode.E_RPC_FAILURE, `VerifyFailed: ${(cause as Error).message}`);
    }
  }

  /** End every session (the cluster is closing). */
  close(): void {
    for (const id of [...this.#sessions.keys()]) this.#end(id);
  }

  #freeze(req: VerifyRequestMsg): VerifyReplyMsg {
    if (req.verify_id === '' || this.#sessions.has(req.verify_id)) return verifyFailure(MetaCode.E_REQ_CONFLICT, 'ReqConflict: a verify id must be new');
    if (this.#sessions.size >= VERIFY_SESSIONS_MAX) return verifyFailure(MetaCode.E_REQ_CONFLICT, `ReqConflict: ${VERIFY_SESSIONS_MAX} verifies are open already`);
    const a = admit(this.deps, req);
    if (!a.ok) return a.reply;
    const gate = installGate(a.store, a.key);
    if (gate === undefined) return verifyFailure(MetaCode.E_REQ_CONFLICT, `ReqConflict: another VERIFY SYNC of space \`${a.space.name}' is running`);
    const id = req.verify_id;
    const timer = setTimeout(() => this.#end(id), VERIFY_FREEZE_MS_MAX).unref();
    this.#sessions.set(id, { store: a.store, key: a.key, source: req.source!, space: a.space, gate, phase: 'frozen', timer });
    return verifyFailure(0, '');
  }

  async #cut(req: VerifyRequestMsg): Promise<VerifyReplyMsg> {
    const s = this.#sessions.get(req.verify_id);
    if (s === undefined || s.phase !== 'frozen') return verifyFailure(MetaCode.E_REQ_CONFLICT, `ReqConflict: no frozen verify ${req.verify_id} (it expired after ${VERIFY_FREEZE_MS_MAX} ms?)`);
    clearTimeout(s.timer);
    s.phase = 'cutting';
    const { reply, picture } = await cutAndChecksum({
      metaStore: this.deps.metaStore,
      store: s.store,
      key: s.key,
      source: s.source,
      targetSpace: s.space.name,
      gate: s.gate,
      release: () => removeGate(s.store, s.key, s.gate),
      req,
    });
    if (picture === undefined || !this.#sessions.has(req.verify_id)) {
      picture?.view.close();
      this.#end(req.verify_id);
      return reply;
    }
    s.picture = picture;
    s.phase = 'picture';
    s.timer = setTimeout(() => this.#end(req.verify_id), VERIFY_PICTURE_MS_MAX).unref();
    return reply;
  }

  async #keys(req: VerifyRequestMsg): Promise<VerifyReplyMsg> {
    const s = this.#sessions.get(req.verify_id);
    if (s?.picture === undefined) return verifyFailure(MetaCode.E_REQ_CONFLICT, `ReqConflict: verify ${req.verify_id} kept no picture (it expired after ${VERIFY_PICTURE_MS_MAX} ms?)`);
    const p = s.picture;
    const wanted = chooseBuckets(p.sums, req.buckets);
    const rows = await listKeys(p.view, p.tags, p.edges, p.placement, s.source.partition_num, wanted.buckets);
    return {
      ...verifyFailure(0, ''),
      keys: rows.map((r) => ({ part: r.part, bucket: r.bucket, key: r.key, hash: r.hash, props: r.props })),
      covered: wanted.buckets.map((w) => ({ part: w.part, bucket: w.bucket })),
      keys_complete: wanted.complete,
    };
  }

  #end(id: string): void {
    const s = this.#sessions.get(id);
    if (s === undefined) return;
    this.#sessions.delete(id);
    clearTimeout(s.timer);
    removeGate(s.store, s.key, s.gate);
    s.picture?.view.close();
  }
}
