/**
 * The secondary's apply side as one object: admission, then the data batch, snapshot chunk, schema
 * batch or position handshake the request carries. Requests for one (target space, source, part)
 * run one at a time, in arrival order: each reads the stored position and writes the next one, so
 * two in flight (a drainer retrying after a lost answer) must not interleave.
 *
 * Every refusal changes nothing, is counted in the cluster's RefusalRegistry (refusals.ts) and is
 * logged once per (target, code) state change, never per attempt and never with a stack: a
 * drainer retries a refused apply for as long as the cause lasts (a full disk, a gap).
 *
 * @example
 *   const applier = createSecondaryApplier({ metaStore, storage, now: Date.now, log });
 *   const answer = await applier.applyData(request); // ApplyReplyMsg
 */
import type { Logger } from '../../../log.ts';
import { spacePositionKey, type MetaStore } from '../../meta/meta-store.ts';
import type { StorageEngine } from '../../storage/types.ts';
import { StateLog } from '../retry-log.ts';
import type { AtBarrier } from '../verify/verify-gate.ts';
import type { ApplyCounters } from '../sync-counters.ts';
import { TurnSlicer } from '../turn-slicer.ts';
import type { ApplyReplyMsg, ApplyRequestMsg } from '../wire.ts';
import { admit, type Admitted } from './apply-guard.ts';
import { ApplyCode, applied, reply } from './apply-reply.ts';
import { applyDataBatch } from './data-apply.ts';
import { refusalsOf, UNKNOWN_TARGET } from './refusals.ts';
import { applySchemaBatch } from './schema-apply.ts';
import { applySnapshotChunk } from './snapshot-apply.ts';

export interface ApplyDeps {
  readonly metaStore: MetaStore;
  readonly storage: StorageEngine;
  readonly now: () => number;
  readonly log: Logger;
  /** Told of every answer and how long it took (metrics); none when absent. */
  readonly counters?: ApplyCounters | undefined;
}

export interface SecondaryApplier {
  /** ApplyData: parts 1..N of the source onto the target space's rows. */
  applyData(req: ApplyRequestMsg): Promise<ApplyReplyMsg>;
  /**
   * The same for an item of an ApplyDataMany message: never waits at a VERIFY SYNC barrier, answers
   * E_VERIFY_HOLD instead (verify-gate.ts, AtBarrier), so other items of its message go on.
   */
  applyDataItem(req: ApplyRequestMsg): Promise<ApplyReplyMsg>;
  /** ApplySchema: part 0 of the source onto the target space's schemas. */
  applySchema(req: ApplyRequestMsg): Promise<ApplyReplyMsg>;
}

/** Which body a request carries; proto-loader names it in `body` (oneofs), plain objects may not. */
export function bodyOf(req: ApplyRequestMsg): 'batch' | 'snapshot' | 'position_only' | undefined {
  if (req.body !== undefined) return req.body;
  if (req.batch !== undefined && req.batch !== null) return 'batch';
  if (req.snapshot !== undefined && req.snapshot !== null) return 'snapshot';
  return req.position_only === true ? 'position_only' : undefined;
}

/**
 * Milliseconds of decoding, translating and encoding applies one turn of the event loop may take
 * before reads waiting on it get their turn (the rest of the applies continue in the next turn).
 */
export const APPLY_SLICE_MS = 2;

const noBody = (): ApplyReplyMsg => reply(ApplyCode.E_DATA_ILLEGAL, 'DataIllegal: the request carries no batch, snapshot or position_only', undefined);

/** Runs tasks of one key one after another; tasks of different keys run freely. */
class KeyedSerial {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const result = before.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

/** A request's source as positions name it, or "?" when it names none. */
const sourceTextOf = (req: ApplyRequestMsg): string =>
  req.source === null || req.source === undefined ? '?' : `${req.source.cluster_id}/${req.source.space_name}`;

export function createSecondaryApplier(deps: ApplyDeps): SecondaryApplier {
  const serial = new KeyedSerial();
  // Applies take turns with the graph service's reads on this event loop (turn-slicer.ts).
  const turns = new TurnSlicer(APPLY_SLICE_MS);
  const refusals = refusalsOf(deps.metaStore);
  const states = new StateLog(deps.log, 'apply', deps.now);

  /** Count and log (once per state change) what `req` was answered. */
  const note = (req: ApplyRequestMsg, answer: ApplyReplyMsg): void => {
    const exists = Object.hasOwn(deps.metaStore.catalog().spaces, req.target_space);
    const space = exists ? req.target_space : UNKNOWN_TARGET;
    const source = sourceTextOf(req);
    const member = `${source}/${req.part}`;
    if (answer.code === ApplyCode.OK) {
      if (bodyOf(req) !== 'position_only') states.ok(space, member, { target: req.target_space, source, part: req.part });
      return;
    }
    // Held by a verify: not a refusal, the drainer sends it again.
    if (answer.code === ApplyCode.E_VERIFY_HOLD) return;
    refusals.refused({ space, source, part: req.part, code: answer.code, message: answer.message }, deps.now());
    states.failed(space, member, answer.code, answer.message, { target: req.target_space, source, part: req.part, drainer: req.drainer });
  };

  const guarded = (req: ApplyRequestMsg, schemaSide: boolean, body: (a: Admitted) => Promise<ApplyReplyMsg>): Promise<ApplyReplyMsg> => {
    const key = `${req.target_space}\u0000${sourceTextOf(req)}\u0000${req.part}`;
    return serial.run(key, async () => {
      const startedMs = performance.now();
      // Admission runs inside the turn: a REMOVE DRAINER committed while a request waited counts.
      const admission = admit(deps, req, schemaSide);
      let answer: ApplyReplyMsg;
      if (!admission.ok) {
        answer = admission.reply;
      } else {
        try {
          answer = await body(admission.value);
        } catch (cause) {
          // A storage failure (a full disk ...): the write was rolled back; the drainer retries.
          answer = reply(ApplyCode.E_RPC_FAILURE, `StorageError: ${(cause as Error).message}`, undefined);
        }
      }
      note(req, answer);
      deps.counters?.answered(req, answer, performance.now() - startedMs);
      return answer;
    });
  };

  const applyData = (req: ApplyRequestMsg, atBarrier: AtBarrier): Promise<ApplyReplyMsg> =>
    guarded(req, false, async (a) => {
      const store = deps.storage.space(a.space.id);
      if (store === undefined) return reply(ApplyCode.E_SPACE_NOT_FOUND, `SpaceNotFound: Space \`${a.space.name}' has no storage here`, undefined);
      switch (bodyOf(req)) {
        case 'position_only':
          return applied(store.syncPosition(a.key, a.part));
        case 'batch':
          return applyDataBatch(a, store, req.batch!, turns, atBarrier);
        case 'snapshot':
          return applySnapshotChunk(a, store, req.snapshot!, turns, atBarrier);
        default:
          return noBody();
      }
    });

  return {
    applyData: (req) => applyData(req, 'wait'),
    applyDataItem: (req) => applyData(req, 'answer'),
    applySchema: (req) =>
      guarded(req, true, async (a) => {
        switch (bodyOf(req)) {
          case 'position_only':
            return applied(deps.metaStore.syncPosition(spacePositionKey(a.space.id, a.key), 0));
          case 'batch':
            return applySchemaBatch(a, deps.metaStore, spacePositionKey(a.space.id, a.key), deps.now(), req.batch!);
          case 'snapshot':
            return reply(
              ApplyCode.E_UNSUPPORTED,
              'Unsupported: the schema part is never shipped as a snapshot',
              deps.metaStore.syncPosition(spacePositionKey(a.space.id, a.key), 0),
            );
          default:
            return noBody();
        }
      }),
  };
}
