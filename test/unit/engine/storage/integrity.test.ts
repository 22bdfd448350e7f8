// Pins storage integrity: a row whose bytes changed on disk fails its read with the storage error while other rows read; a damaged WAL entry is reported at open and refuses its partition for reads, writes, tails, snapshots and STATS counts; a file failing quick_check refuses only its space; clean and pre-checksum files open without a report.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageDamagedError } from '../../../../src/engine/storage/damage.ts';
import { spaceFileName } from '../../../../src/engine/storage/space-schema.ts';
import type { DataOp, SpaceStore } from '../../../../src/engine/storage/types.ts';
import type { Logger } from '../../../../src/log.ts';
import { flipBlob, smashPage } from '../../../helpers/disk-damage.ts';
import { tempEngine, type TempEngine } from './temp-engine.ts';

/** A logger that keeps its error lines. */
function capturingLog(): Logger & { errors: { msg: string; fields: Record<string, unknown> }[] } {
  const errors: { msg: string; fields: Record<string, unknown> }[] = [];
  const make = (base: Record<string, unknown>): Logger => ({
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (msg, fields) => void errors.push({ msg, fields: { ...base, ...fields } }),
    child: (fields) => make({ ...base, ...fields }),
  });
  return Object.assign(make({}), { errors });
}

const PARTS = 10;
const putTag = (vid: string, name: string): DataOp => ({ op: 'putTag', vid, tagId: 2, ver: 0, props: { name, age: 42n } });
const putEdge = (src: string, dst: string): DataOp => ({ op: 'putEdge', src, etype: 7, rank: 0n, dst, ver: 0, props: { degree: 90n } });

let t: TempEngine;
let log: ReturnType<typeof capturingLog>;
let s: SpaceStore;
const file = (spaceId = 1): string => join(t.dir, spaceFileName(spaceId));

/** Close the engine, damage its file with `damage`, open it again. */
function reopenAfter(damage: () => void): SpaceStore {
  t.engine.close();
  damage();
  t.reopen();
  return t.engine.openSpace(1, PARTS, 'FIXED_STRING');
}

/** The thrown StorageDamagedError's message, failing when `read` does not throw one. */
function damageOf(read: () => unknown): string {
  try {
    read();
  } catch (err) {
    expect(err).toBeInstanceOf(StorageDamagedError);
    return (err as Error).message;
  }
  throw new Error('the read did not fail');
}

beforeEach(async () => {
  log = capturingLog();
  t = tempEngine({ log });
  s = t.engine.openSpace(1, PARTS, 'FIXED_STRING');
  await s.write([putTag('player100', 'Tim Duncan'), putTag('player101', 'Tony Parker'), putTag('player102', 'LaMarcus Aldridge')]);
  await s.write([putEdge('player100', 'player101'), putEdge('player101', 'player100')]);
});
afterEach(() => t.cleanup());

/** Another vid in the same partition as `vid`, and one in another partition. */
function neighbours(store: SpaceStore, vid: string): { same: string; other: string } {
  const part = store.partOf(vid);
  let same: string | undefined;
  let other: string | undefined;
  for (let i = 0; same === undefined || other === undefined; i++) {
    const v = `v${i}`;
    if (store.partOf(v) === part) same ??= v;
    else other ??= v;
  }
  return { same, other };
}

describe('a row whose bytes changed on disk', () => {
  it('fails its reads with the storage error, naming partition, vertex and tag, while other rows read', async () => {
    const { same, other } = neighbours(s, 'player100');
    await s.write([putTag(same, 'Same Part'), putTag(other, 'Other Part')]);
    const part = s.partOf('player100');
    s = reopenAfter(() => expect(flipBlob(file(), 'tags', 'props', 'vid = ?', 'player100')).toBe(1));

    const message = damageOf(() => s.getTag('player100', 2));
    expect(message).toBe(`part ${part} of space 1 is damaged: checksum mismatch on vertex "player100" (tag 2)`);
    damageOf(() => s.getTags('player100'));
    expect(s.getTag(same, 2)?.props).toEqual({ name: 'Same Part', age: 42n });
    expect(s.getTag(other, 2)?.props).toEqual({ name: 'Other Part', age: 42n });
    expect(s.getTag('player101', 2)?.props.name).toBe('Tony Parker');
    expect(s.damaged()).toEqual([expect.objectContaining({ spaceId: 1, part, refused: false, reason: 'checksum mismatch' })]);
    expect(t.engine.damaged()).toHaveLength(1);
  });

  it('is caught in any column of the row, not only in its props', async () => {
    s = reopenAfter(() => {
      const db = new Database(file());
      db.prepare('UPDATE tags SET ver = 1 WHERE vid = ?').run('player101');
      db.prepare("UPDATE edges SET dst = 'player109' WHERE src = ?").run('player100');
      db.close();
    });
    expect(damageOf(() => s.getTag('player101', 2))).toMatch(/checksum mismatch on vertex "player101"/);
    expect(damageOf(() => s.outEdges('player100'))).toMatch(/checksum mismatch on edge "player100"->"player109"@0 \(edge 7\)/);
    expect(s.outEdges('player101')).toHaveLength(1);
  });

  it('fails edge reads both ways and snapshots of its partition, and is logged once', async () => {
    const part = s.partOf('player100');
    s = reopenAfter(() => flipBlob(file(), 'edges', 'props', 'src = ?', 'player100'));
    damageOf(() => s.getEdge('player100', 7, 0n, 'player101'));
    damageOf(() => s.inEdges('player101'));
    expect(s.inEdges('player100')).toHaveLength(1);
    const snap = s.snapshot(part);
    damageOf(() => [...snap.edges()]);
    snap.close();
    expect(s.counts().edgeCount).toBe(2);
    expect(log.errors.filter((e) => e.msg === 'storage damage found')).toHaveLength(1);
    expect(log.errors[0]!.fields).toMatchObject({ spaceId: 1, part, refused: false });
  });

  it('reads again once the row is written anew', async () => {
    s = reopenAfter(() => flipBlob(file(), 'tags', 'props', 'vid = ?', 'player100'));
    damageOf(() => s.getTag('player100', 2));
    await s.write([putTag('player100', 'Tim Duncan')]);
    expect(s.getTag('player100', 2)?.props.name).toBe('Tim Duncan');
  });
});

describe('a damaged WAL entry', () => {
  it('is reported at open with partition and log id, and refuses that partition for reads, writes, tails and snapshots', async () => {
    const part = s.partOf('player100');
    const { same, other } = neighbours(s, 'player100');
    await s.write([putTag(other, 'Other Part')]);
    s = reopenAfter(() => flipBlob(file(), 'wal', 'body', 'part = ? AND log_id = 1', part));

    expect(s.damaged()).toEqual([expect.objectContaining({ part, refused: true, subject: { kind: 'wal', logId: 1 } })]);
    expect(log.errors).toEqual([
      expect.objectContaining({ msg: 'storage damage found', fields: expect.objectContaining({ spaceId: 1, part, logId: 1, refused: true }) }),
    ]);
    const refused = `part ${part} of space 1 is damaged: WAL entry checksum mismatch`;
    expect(damageOf(() => s.getTag('player100', 2))).toMatch(new RegExp(`^${refused}`));
    damageOf(() => s.getTags(same));
    damageOf(() => s.readWalRaw(part, 1, 10));
    damageOf(() => s.readWal(part, 1, 10));
    damageOf(() => s.snapshot(part));
    damageOf(() => s.counts());
    await expect(s.write([putTag(same, 'New')])).rejects.toBeInstanceOf(StorageDamagedError);
    await expect(s.write([putTag(other, 'New'), putTag(same, 'New')])).rejects.toThrow(refused);
    expect(s.partitionState(part).lastLogId).toBeGreaterThan(0);

    expect(s.getTag(other, 2)?.props.name).toBe('Other Part');
    await s.write([putTag(other, 'Written')]);
    expect(s.getTag(other, 2)?.props.name).toBe('Written');
    const otherPart = s.partOf(other);
    expect(s.readWalRaw(otherPart, 1, 10).kind).toBe('entries');
    expect(log.errors).toHaveLength(1);
  });

  it('found by a tail after open refuses the partition from then on', async () => {
    const part = s.partOf('player101');
    const db = new Database(file());
    const body = (db.prepare('SELECT body FROM wal WHERE part = ? AND log_id = 1').get(part) as { body: Buffer }).body;
    const bad = Buffer.from(body);
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0x01;
    db.prepare('UPDATE wal SET body = ? WHERE part = ? AND log_id = 1').run(bad, part);
    db.close();
    damageOf(() => s.readWalRaw(part, 1, 10));
    damageOf(() => s.getTag('player101', 2));
    expect(s.damaged()).toEqual([expect.objectContaining({ part, refused: true })]);
  });
});

describe('opening', () => {
  it('reports nothing for an untouched space', () => {
    s = reopenAfter(() => undefined);
    expect(s.damaged()).toEqual([]);
    expect(t.engine.damaged()).toEqual([]);
    expect(log.errors).toEqual([]);
    expect(s.getTag('player100', 2)?.props.name).toBe('Tim Duncan');
    expect(s.counts().vertices).toBe(3);
  });

  it('refuses only the space whose file fails quick_check, and logs it', async () => {
    const many = Array.from({ length: 2000 }, (_, i) => putTag(`filler${i}`, `Filler number ${i} with some padding`));
    await s.write(many);
    const healthy = t.engine.openSpace(2, 3, 'FIXED_STRING');
    await healthy.write([putTag('player100', 'Tim Duncan')]);
    const part = s.partOf('player100');
    const lastLogId = s.partitionState(part).lastLogId;
    t.engine.close();
    smashPage(file(1), 'tags');
    t.reopen();

    expect(() => t.engine.openSpace(2, 3, 'FIXED_STRING')).not.toThrow();
    expect(t.engine.space(2)!.getTag('player100', 2)?.props.name).toBe('Tim Duncan');
    const broken = t.engine.openSpace(1, PARTS, 'FIXED_STRING');
    expect(damageOf(() => broken.getTag('player100', 2))).toMatch(/^space 1 is damaged: quick_check failed: /);
    damageOf(() => broken.readWalRaw(1, 1, 10));
    damageOf(() => broken.snapshot(1));
    await expect(broken.write([putTag('player100', 'x')])).rejects.toBeInstanceOf(StorageDamagedError);
    expect(t.engine.damaged()).toEqual([expect.objectContaining({ spaceId: 1, part: 0, refused: true })]);
    expect(log.errors).toEqual([expect.objectContaining({ fields: expect.objectContaining({ spaceId: 1 }) })]);
    expect(broken.partitionState(part).lastLogId).toBe(lastLogId);
  });
});

describe('a file written before rows had checksums', () => {
  /** The tables as the previous version created them: no crc column, no format number. */
  const OLD_SCHEMA = `
    CREATE TABLE space_info (id INTEGER PRIMARY KEY CHECK (id = 1), space_id INTEGER NOT NULL,
      partition_num INTEGER NOT NULL, vid_type TEXT NOT NULL);
    CREATE TABLE tags (part INTEGER NOT NULL, vid TEXT NOT NULL, tag_id INTEGER NOT NULL, ver INTEGER NOT NULL,
      props BLOB NOT NULL, PRIMARY KEY (part, vid, tag_id)) WITHOUT ROWID;
    CREATE TABLE edges (part INTEGER NOT NULL, src TEXT NOT NULL, etype INTEGER NOT NULL, rank INTEGER NOT NULL,
      dst TEXT NOT NULL, ver INTEGER NOT NULL, props BLOB NOT NULL,
      PRIMARY KEY (part, src, etype, rank, dst)) WITHOUT ROWID;
    CREATE INDEX edges_in ON edges (dst, etype);
    CREATE TABLE wal (part INTEGER NOT NULL, log_id INTEGER NOT NULL, term INTEGER NOT NULL, ts INTEGER NOT NULL,
      body BLOB NOT NULL, PRIMARY KEY (part, log_id));
    CREATE TABLE part_state (part INTEGER PRIMARY KEY, last_log_id INTEGER NOT NULL, last_ts INTEGER NOT NULL);
    CREATE TABLE sync_position (source TEXT NOT NULL, part INTEGER NOT NULL, applied_log_id INTEGER NOT NULL,
      applied_ts INTEGER NOT NULL, snapshot_log_id INTEGER, PRIMARY KEY (source, part));`;

  it('opens, reads its rows unverified, and checksums what is written from then on', async () => {
    const { encodeProps } = await import('../../../../src/engine/wal/value-codec.ts');
    const { encodeWalEntry } = await import('../../../../src/engine/wal/wal-codec.ts');
    t.engine.dropSpace(1);
    const db = new Database(file(3));
    db.exec(OLD_SCHEMA);
    db.prepare("INSERT INTO space_info VALUES (1, 3, 1, 'FIXED_STRING')").run();
    const ops: DataOp[] = [putTag('player100', 'Tim Duncan'), putEdge('player100', 'player101')];
    db.prepare('INSERT INTO wal VALUES (1, 1, 1, ?, ?)').run(t.clock.now, encodeWalEntry({ logId: 1, term: 1, ts: t.clock.now, ops }));
    db.prepare('INSERT INTO part_state VALUES (1, 1, ?)').run(t.clock.now);
    db.prepare("INSERT INTO tags VALUES (1, 'player100', 2, 0, ?)").run(encodeProps({ name: 'Tim Duncan', age: 42n }));
    db.prepare("INSERT INTO edges VALUES (1, 'player100', 7, 0, 'player101', 0, ?)").run(encodeProps({ degree: 90n }));
    db.close();

    const old = t.engine.openSpace(3, 1, 'FIXED_STRING');
    expect(old.getTag('player100', 2)?.props).toEqual({ name: 'Tim Duncan', age: 42n });
    expect(old.outEdges('player100')).toHaveLength(1);
    expect(old.readWal(1, 1, 10).kind).toBe('entries');
    expect(old.damaged()).toEqual([]);
    await old.write([putTag('player101', 'Tony Parker')]);
    t.engine.close();
    const check = new Database(file(3));
    expect(check.pragma('user_version', { simple: true })).toBe(1);
    expect(check.prepare('SELECT vid, crc IS NOT NULL AS has FROM tags ORDER BY vid').all()).toEqual([
      { vid: 'player100', has: 0 },
      { vid: 'player101', has: 1 },
    ]);
    check.close();
    flipBlob(file(3), 'tags', 'props', 'vid = ?', 'player101');
    t.reopen();
    damageOf(() => t.engine.openSpace(3, 1, 'FIXED_STRING').getTag('player101', 2));
  });
});
