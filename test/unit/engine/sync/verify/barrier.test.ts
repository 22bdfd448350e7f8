// Pins the secondary's half of a VERIFY SYNC cut (Storage.VerifyData against injected applies):
// FREEZE holds the source's applies, CUT stands each partition exactly at its log id (an apply that
// crosses it applies up to it and waits), the picture holds exactly the rows up to the cut, and
// the held applies then finish; a second verify, an unknown drainer or a foreign source is refused.
// An item of an ApplyDataMany message never waits at the barrier (it would hold every other item
// of its message, and their partitions could not reach their own barriers): it answers
// E_VERIFY_HOLD at the barrier and is sent again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { partOfString } from '../../../../../src/engine/storage/partition-of.ts';
import { unary } from '../../../../../src/engine/sync/rpc-call.ts';
import type { VerifyReplyMsg, VerifyRequestMsg } from '../../../../../src/engine/sync/verify/verify-wire.ts';
import type { ApplyReplyMsg } from '../../../../../src/engine/sync/wire.ts';
import { apply, dataBatch, putPlayer, sourceOf, startSecondary, syncBaseSchema, type Secondary } from '../apply/secondary-fixture.ts';
import { ApplyManyChannel } from '../../../../../src/engine/sync/drainer/apply-many-channel.ts';
import { E_VERIFY_HOLD } from '../../../../../src/engine/sync/wire.ts';

const PARTS = 15;
const PART = 4;

let s: Secondary;
beforeEach(async () => {
  s = await startSecondary();
  await syncBaseSchema(s);
});
afterEach(async () => {
  await s.close();
});

const vids = (() => {
  const out: string[] = [];
  for (let i = 0; out.length < 6; i++) if (partOfString(`v${i}`, PARTS) === PART) out.push(`v${i}`);
  return out;
})();

function verify(phase: string, fields: Partial<VerifyRequestMsg> = {}): Promise<VerifyReplyMsg> {
  const request: VerifyRequestMsg = {
    verify_id: 'test-verify',
    phase,
    source: sourceOf(PARTS),
    target_space: 'target',
    drainer: '127.0.0.1:9889',
    cuts: [],
    schema_log_id: 2,
    keys: false,
    buckets: [],
    ...fields,
  };
  return unary<VerifyReplyMsg>(s.storage, 'VerifyData', request, 30_000);
}

/** Cuts for every source part: `at` for PART, 0 elsewhere. */
const cutsAt = (at: number) => Array.from({ length: PARTS }, (_, i) => ({ part: i + 1, log_id: i + 1 === PART ? at : 0 }));

/** Entry i (log id first + i) puts vids[i]. */
const batch = (first: number, count: number) => dataBatch(first, Array.from({ length: count }, (_, i) => [putPlayer(vids[first - 1 + i]!, `p${i}`, 20 + i)]));

const settled = <T>(p: Promise<T>) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 300))]);

describe('VerifyData on a secondary', () => {
  it('holds applies from FREEZE, cuts a crossing batch at the barrier, and lets it finish after the picture', async () => {
    expect((await apply(s, { part: PART }, { batch: batch(1, 1) })).code).toBe(0);
    expect((await verify('FREEZE')).code).toBe(0);

    const held = apply(s, { part: PART }, { batch: batch(2, 3) });
    expect(await settled(held)).toBe(false);

    const reply = await verify('CUT', { cuts: cutsAt(3) });
    expect(reply.message).toBe('');
    const part = reply.parts.find((p) => p.part === PART)!;
    expect({ applied: Number(part.applied_log_id), rows: Number(part.rows), problem: part.problem }).toEqual({ applied: 3, rows: 3, problem: '' });
    expect(reply.parts.filter((p) => p.part !== PART && p.part > 0).every((p) => Number(p.rows) === 0 && p.problem === '')).toBe(true);
    expect(reply.parts[0]).toMatchObject({ part: 0, rows: '2', problem: '' });

    const done: ApplyReplyMsg = await held;
    expect({ code: done.code, applied: Number(done.position?.applied_log_id) }).toEqual({ code: 0, applied: 4 });
    expect(await s.rows(`FETCH PROP ON player "${vids[3]}" YIELD player.age AS age`)).toEqual([[22n]]);
  });

  it('answers an ApplyDataMany item that crosses the barrier E_VERIFY_HOLD at it, while the other items of its message apply', async () => {
    const OTHER = 1;
    const otherVids: string[] = [];
    for (let i = 0; otherVids.length < 2; i++) if (partOfString(`o${i}`, PARTS) === OTHER) otherVids.push(`o${i}`);
    const many = new ApplyManyChannel(s.storage);
    try {
      const item = (part: number, body: object) => ({ source: sourceOf(PARTS), target_space: 'target', part, drainer: '127.0.0.1:9889', ...body });
      expect((await many.apply(item(PART, { batch: batch(1, 1) }))).code).toBe(0);
      expect((await verify('FREEZE')).code).toBe(0);
      // One message: PART crosses its barrier at 3; OTHER is below its barrier at 2 and, as a
      // drainer does, sends its next batch only once its first one is answered.
      const crossing = many.apply(item(PART, { batch: batch(2, 3) }));
      const below = many.apply(item(OTHER, { batch: dataBatch(1, [[putPlayer(otherVids[0]!, 'o', 30)]]) }));
      const cut = verify('CUT', { cuts: cutsAt(3).map((c) => (c.part === OTHER ? { ...c, log_id: 2 } : c)) });
      const [held, other] = await Promise.all([crossing, below]);
      expect({ code: held.code, applied: Number(held.position?.applied_log_id) }).toEqual({ code: E_VERIFY_HOLD, applied: 3 });
      expect(held.message).toMatch(/^VerifyHold: /);
      expect({ code: other.code, applied: Number(other.position?.applied_log_id) }).toEqual({ code: 0, applied: 1 });
      const next = await many.apply(item(OTHER, { batch: dataBatch(2, [[putPlayer(otherVids[1]!, 'o', 31)]]) }));
      expect({ code: next.code, applied: Number(next.position?.applied_log_id) }).toEqual({ code: 0, applied: 2 });
      const reply = await cut;
      expect(reply.parts.find((p) => p.part === PART)).toMatchObject({ applied_log_id: '3', rows: '3', problem: '' });
      expect(reply.parts.find((p) => p.part === OTHER)).toMatchObject({ applied_log_id: '2', rows: '2', problem: '' });
      // Sent again once the picture is taken: the entries up to 3 are skipped, 4 applies.
      const again = await many.apply(item(PART, { batch: batch(2, 3) }));
      expect({ code: again.code, applied: Number(again.position?.applied_log_id) }).toEqual({ code: 0, applied: 4 });
      expect(await s.rows(`FETCH PROP ON player "${vids[3]}" YIELD player.age AS age`)).toEqual([[22n]]);
    } finally {
      many.close();
    }
  });

  it('waits at CUT for a partition that is still catching up', async () => {
    expect((await verify('FREEZE')).code).toBe(0);
    const cut = verify('CUT', { cuts: cutsAt(2) });
    await new Promise((r) => setTimeout(r, 100));
    expect((await apply(s, { part: PART }, { batch: batch(1, 2) })).code).toBe(0);
    const reply = await cut;
    expect(reply.parts.find((p) => p.part === PART)).toMatchObject({ applied_log_id: '2', rows: '2', problem: '' });
  });

  it('lets no second verify of the space start while one holds it, and releases everything at END', async () => {
    expect((await verify('FREEZE')).code).toBe(0);
    const second = await verify('FREEZE', { verify_id: 'another' });
    expect(second.message).toMatch(/^ReqConflict: another VERIFY SYNC of space `target' is running/);
    expect((await verify('END')).code).toBe(0);
    expect(await settled(apply(s, { part: PART }, { batch: batch(1, 1) }))).toBe(true);
    expect((await verify('FREEZE', { verify_id: 'another' })).code).toBe(0);
  });

  it('refuses a drainer the space did not add and a source it does not receive from', async () => {
    expect((await verify('FREEZE', { drainer: '10.0.0.1:1' })).message).toMatch(/^NoValidDrainer: drainer 10.0.0.1:1 was not added/);
    expect((await verify('FREEZE', { source: sourceOf(PARTS, 'other-cluster') })).message).toMatch(/^DataConflict: target space `target' receives from primary-cluster/);
    expect((await verify('FREEZE', { target_space: 'nope' })).message).toMatch(/^SpaceNotFound/);
    expect((await verify('CUT', { verify_id: 'never-frozen', cuts: cutsAt(0) })).message).toMatch(/^ReqConflict: no frozen verify/);
  });
});
