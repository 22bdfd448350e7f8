/**
 * fast-check arbitraries for the internal gRPC messages (nebula_sync.proto): fully random messages,
 * and valid apply requests broken by one mutation that a secondary must refuse (a range that does
 * not follow the stored position, a log id beyond 2^53, entries that do not match the range, raw
 * meta entries, a snapshot chunk that does not follow, garbage bytes), optionally with a wrong
 * source, drainer, target or part too. Every request built here must change nothing.
 */
import fc from 'fast-check';
import { encodeJson } from '../../src/engine/meta/meta-codec.ts';
import { encodeWalEntry } from '../../src/engine/wal/wal-codec.ts';
import type { SourceSpaceMsg } from '../../src/engine/sync/wire.ts';

/**
 * Whether a request could be applied: it names the real target, drainer and source and carries a
 * batch that reaches past the stored position, or a snapshot chunk that starts at or after it.
 * Random requests that could are left out (they would be valid, not fuzz).
 */
function couldChange(t: FuzzTarget, req: Record<string, unknown>): boolean {
  const source = req['source'] as SourceSpaceMsg;
  const part = req['part'] as number;
  const real =
    req['target_space'] === t.target &&
    req['drainer'] === t.drainer &&
    source.cluster_id === t.source.cluster_id &&
    source.space_name === t.source.space_name &&
    Number.isInteger(part) &&
    part >= 0 &&
    part < t.applied.length;
  if (!real) return false;
  const a = t.applied[part]!;
  const batch = req['batch'] as { first_log_id: string; last_log_id: string } | undefined;
  if (batch !== undefined) {
    const first = Number(batch.first_log_id);
    const last = Number(batch.last_log_id);
    return Number.isSafeInteger(first) && Number.isSafeInteger(last) && first >= 1 && first <= last && first <= a + 1 && last > a;
  }
  const chunk = req['snapshot'] as { log_id: string; first: boolean } | undefined;
  if (chunk !== undefined) {
    const at = Number(chunk.log_id);
    return chunk.first && Number.isSafeInteger(at) && at >= a;
  }
  return false;
}

/** What the fuzzer knows of the real sync it attacks. */
export interface FuzzTarget {
  readonly source: SourceSpaceMsg;
  readonly target: string;
  readonly drainer: string;
  /** Applied log id per source part (0 = schema), as the secondary answered before the run. */
  readonly applied: readonly number[];
}

const INT64_EDGES = ['0', '-1', '1', '9007199254740991', '9007199254740992', '9007199254740993', '9223372036854775807', '-9223372036854775808'];

export const int64 = fc.oneof(
  fc.constantFrom(...INT64_EDGES),
  fc.integer({ min: -5, max: 200 }).map(String),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
);
export const int32 = fc.oneof(fc.integer({ min: -2, max: 20 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }));
const bytes = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));

export function arbitraries(t: FuzzTarget) {
  const text = fc.oneof(fc.string({ maxLength: 24 }), fc.constantFrom(t.target, t.source.cluster_id, t.source.space_name, t.drainer, '', 'INT64'));
  const randomSource = fc.record({
    cluster_id: text,
    space_name: text,
    space_id: int32,
    partition_num: int32,
    vid_type: fc.oneof(fc.constantFrom('INT64', 'FIXED_STRING'), text),
    vid_length: int32,
  });
  const source = fc.oneof(fc.constant(t.source), randomSource);
  const propsJson = encodeJson([{ name: 'name', type: { name: 'string' }, nullable: true }]);
  const schemaChange = fc.record({
    log_id: int64,
    ts: int64,
    kind: fc.oneof(fc.constantFrom('TAG', 'EDGE'), text),
    name: text,
    source_id: int32,
    version: int32,
    props_json: fc.oneof(text, fc.constant(propsJson)),
    dropped: fc.boolean(),
    comment: text,
  });
  const randomBatch = fc.record({
    first_log_id: int64,
    last_log_id: int64,
    entries: fc.array(bytes, { maxLength: 4 }),
    gone: fc.boolean(),
    retained_first_log_id: int64,
    source_last_log_id: int64,
    source_last_ts: int64,
    last_ts: int64,
    schema_changes: fc.array(schemaChange, { maxLength: 3 }),
  });
  const randomChunk = fc.record({ log_id: int64, ts: int64, rows: bytes, last: fc.boolean(), first: fc.boolean() });
  const randomBody = fc.oneof(
    randomBatch.map((batch) => ({ batch })),
    randomChunk.map((snapshot) => ({ snapshot })),
    fc.constant({ position_only: true }),
    fc.constant({}),
  );
  // Mostly the real target and drainer, so that random bodies get past admission.
  const mostly = <T>(real: T, other: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(real), weight: 3 }, { arbitrary: other, weight: 1 });
  const randomApply = fc
    .record({ source, target_space: mostly(t.target, text), part: int32, drainer: mostly(t.drainer, text) })
    .chain((req) => randomBody.map((body) => ({ ...req, ...body })))
    .filter((req) => !couldChange(t, req));

  /** A valid data entry at `logId` (a row of the source's tag 1), or garbage bytes. */
  const entryAt = (logId: number, garbage: boolean) =>
    garbage
      ? Buffer.from(`garbage entry ${logId}`)
      : encodeWalEntry({ logId, term: 1, ts: 1_000 + logId, ops: [{ op: 'putTag', vid: `fuzz${logId}`, tagId: 1, ver: 0, props: { name: 'F', age: 1n } }] });
  const entries = (first: number, count: number, garbage: boolean) => Array.from({ length: count }, (_, i) => entryAt(first + i, garbage));
  const batchOf = (first: number | string, last: number | string, list: Buffer[]) => ({
    first_log_id: String(first),
    last_log_id: String(last),
    entries: list,
    gone: false,
    retained_first_log_id: '0',
    source_last_log_id: String(last),
    source_last_ts: '1',
    last_ts: '1',
    schema_changes: [] as unknown[],
  });

  /** A data batch for part `p` broken so that the secondary must refuse it. */
  const brokenData = (p: number) => {
    const a = t.applied[p]!;
    const n = fc.integer({ min: 1, max: 4 });
    return fc.oneof(
      fc.tuple(fc.integer({ min: 2, max: 5_000 }), n).map(([k, c]) => batchOf(a + k, a + k + c - 1, entries(a + k, c, false))),
      fc.tuple(fc.integer({ min: 0, max: 50 }), n).map(([k, c]) => batchOf(a + 1, a - k, entries(a + 1, c, false))),
      fc.integer({ min: 0, max: 1_000 }).map((k) => batchOf(-k, a + 1, entries(a + 1, 1, false))),
      fc.constantFrom(...INT64_EDGES.slice(4)).map((big) => batchOf(a + 1, big, entries(a + 1, 1, false))),
      fc.tuple(n, fc.boolean()).map(([c, more]) => batchOf(a + 1, a + c, entries(a + 1, more ? c + 1 : c - 1, false))),
      n.map((c) => ({ ...batchOf(a + 1, a + c, entries(a + 1, c, false)), schema_changes: [{ log_id: String(a + 1), ts: '1', kind: 'TAG', name: 'x', source_id: 1, version: 0, props_json: '', dropped: false, comment: '' }] })),
      n.map((c) => batchOf(a + 1, a + c, entries(a + 1, c, true))),
      n.map((c) => ({ ...batchOf(a + 1, a + c, entries(a + 1, c, false)), last_ts: '9223372036854775807' })),
    );
  };

  /** A schema batch broken so that the secondary must refuse it. */
  const brokenSchema = () => {
    const a = t.applied[0]!;
    const change = (logId: number) => ({ log_id: String(logId), ts: '1', kind: 'TAG', name: 'fuzz', source_id: 99, version: 0, props_json: propsJson, dropped: false, comment: '' });
    return fc.oneof(
      fc.integer({ min: 2, max: 5_000 }).map((k) => ({ ...batchOf(a + k, a + k, []), schema_changes: [change(a + k)] })),
      fc.integer({ min: 0, max: 50 }).map((k) => batchOf(a + 1, a - k, [])),
      fc.constantFrom(...INT64_EDGES.slice(4)).map((big) => batchOf(a + 1, big, [])),
      bytes.map((raw) => ({ ...batchOf(a + 1, a + 1, [raw]), schema_changes: [change(a + 1)] })),
      fc.integer({ min: 1, max: 100 }).map((k) => ({ ...batchOf(a + 1, a + 1, []), schema_changes: [change(a + 1 + k)] })),
      // A change the secondary cannot take: no kind, no name, no usable id or version.
      schemaChange
        .filter((c) => !(c.kind === 'TAG' || c.kind === 'EDGE') || c.name === '' || c.source_id < 1 || c.version < 0)
        .map((c) => ({ ...batchOf(a + 1, a + 1, []), schema_changes: [{ ...c, log_id: String(a + 1), ts: '1' }] })),
    );
  };

  /** A snapshot chunk for part `p` that does not follow its position (no snapshot is in progress). */
  const brokenChunk = (p: number) => {
    const a = t.applied[p]!;
    const chunk = (logId: number | string, first: boolean, rows: Buffer) => ({ log_id: String(logId), ts: '1', rows, last: true, first });
    const valid = (logId: number) => encodeWalEntry({ logId, term: 1, ts: 1, ops: [{ op: 'putTag', vid: 'fuzz', tagId: 1, ver: 0, props: { name: 'F', age: 1n } }] });
    const choices = [
      fc.tuple(int64, bytes).map(([l, rows]) => chunk(l, false, rows)),
      fc.integer({ min: a + 1, max: a + 10_000 }).map((l) => chunk(l, false, valid(l))),
      fc.constantFrom('-1', '9007199254740993', '9223372036854775807').map((l) => chunk(l, true, Buffer.alloc(0))),
    ];
    if (a >= 1) choices.push(fc.integer({ min: 0, max: a - 1 }).map((l) => chunk(l, true, valid(l))));
    return fc.oneof(...choices);
  };

  /** Who the request claims to be: the real identity or one field of it wrong. */
  const identity = (p: number) =>
    fc.oneof(
      { arbitrary: fc.constant({ source: t.source, target_space: t.target, part: p, drainer: t.drainer }), weight: 8 },
      randomSource.map((source) => ({ source, target_space: t.target, part: p, drainer: t.drainer })),
      text.map((drainer) => ({ source: t.source, target_space: t.target, part: p, drainer })),
      text.map((target_space) => ({ source: t.source, target_space, part: p, drainer: t.drainer })),
      // A part of the wrong side or none at all: the body was broken for part p only.
      fc
        .oneof(fc.integer({ min: -(2 ** 31), max: 0 }), fc.integer({ min: t.source.partition_num + 1, max: 2 ** 31 - 1 }))
        .map((part) => ({ source: t.source, target_space: t.target, part: p === 0 ? (part === 0 ? 1 : part) : part, drainer: t.drainer })),
    );

  const parts = fc.integer({ min: 1, max: t.source.partition_num });
  const brokenApplyData = parts.chain((p) =>
    fc.tuple(identity(p), fc.oneof(brokenData(p).map((batch) => ({ batch })), brokenChunk(p).map((snapshot) => ({ snapshot })))).map(([who, body]) => ({ ...who, ...body })),
  );
  const brokenApplySchema = fc.tuple(identity(0), brokenSchema()).map(([who, batch]) => ({ ...who, batch }));

  return {
    text,
    randomApply,
    brokenApplyData,
    brokenApplySchema,
    heartbeat: fc.record({ role: fc.oneof(fc.constantFrom('STORAGE_LISTENER', 'META_LISTENER', 'DRAINER', 'GRAPH'), text), host: text, port: int32, git_info_sha: text, version: text }),
    assignment: fc.record({ role: fc.oneof(fc.constantFrom('STORAGE_LISTENER', 'META_LISTENER', 'DRAINER'), text), host: text, port: int32 }),
    progress: fc.record({
      role: fc.oneof(fc.constantFrom('STORAGE_LISTENER', 'META_LISTENER', 'DRAINER'), text),
      host: text,
      port: int32,
      space: text,
      parts: fc.array(fc.record({ part: int32, shipping: fc.boolean(), acked_log_id: int64, acked_ts: int64, received_log_id: int64, received_ts: int64 }), { maxLength: 4 }),
    }),
    tail: fc.record({ space_id: int32, part: int32, from_log_id: int64 }),
    snapshotRequest: fc.record({ space_id: int32, part: int32 }),
    /**
     * A Ship stream. With the real hello: one body the secondary must refuse (one only: a drainer
     * merges batches queued back to back, and two broken halves may make a whole). With a random
     * hello: random bodies, which the drainer must never forward.
     */
    ship: fc.oneof(
      parts.chain((part) =>
        fc.oneof(brokenData(part).map((batch) => ({ batch })), brokenChunk(part).map((snapshot) => ({ snapshot }))).map((body) => [
          { hello: { source: t.source, target_space: t.target, part, listener: '127.0.0.1:1' } },
          body,
        ]),
      ),
      brokenSchema().map((batch) => [{ hello: { source: t.source, target_space: t.target, part: 0, listener: '127.0.0.1:1' } }, { batch }]),
      fc
        .tuple(
          fc.record({ source: randomSource, target_space: text, part: int32, listener: text }),
          fc.array(fc.oneof(randomBatch.map((batch) => ({ batch })), randomChunk.map((snapshot) => ({ snapshot }))), { maxLength: 3 }),
        )
        .map(([hello, bodies]) => [{ hello }, ...bodies]),
    ),
  };
}
