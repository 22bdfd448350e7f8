// Pins rule 1: after kill -9, every write acknowledged before it is in its partition's WAL and rows, and every WAL is still contiguous.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { limits } from '../../../../src/limits.ts';
import { opsOfWrite } from './crash-writer.ts';
import { tempEngine, type TempEngine } from './temp-engine.ts';

let t: TempEngine;
afterEach(() => t.cleanup());

/** Acknowledged writes to wait for before the kill. */
const ACKS_BEFORE_KILL = 150;

interface Ack {
  readonly w: number;
  readonly entries: [number, number][];
}

function runAndKill(dataPath: string): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-writer.ts'), dataPath], {
      cwd: join(import.meta.dirname, '..', '..', '..', '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acks: Ack[] = [];
    let partial = '';
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const l of lines) acks.push(JSON.parse(l) as Ack);
      if (!killed && acks.length >= ACKS_BEFORE_KILL) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acks);
      else reject(new Error(`writer exited with code ${code} before it was killed`));
    });
  });
}

describe('kill -9 while writing', () => {
  it('loses no acknowledged write and leaves every partition WAL contiguous', async () => {
    t = tempEngine();
    t.engine.close();
    const acks = await runAndKill(t.dir);
    expect(acks.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);

    const s = t.reopen().space(1)!;
    for (let p = 1; p <= s.partitionNum; p++) {
      const r = s.readWal(p, 1, limits.walReadEntriesMax);
      expect(r.kind).toBe('entries');
      if (r.kind !== 'entries') continue;
      expect(r.entries.map((e) => e.logId)).toEqual(r.entries.map((_, i) => i + 1));
      expect(r.lastLogId).toBe(r.entries.length);
    }
    for (const ack of acks) {
      const ops = opsOfWrite(ack.w);
      const logged = ack.entries.flatMap(([part, logId]) => {
        const r = s.readWal(part, logId, 1);
        return r.kind === 'entries' && r.entries[0]?.logId === logId ? r.entries[0].ops : [];
      });
      expect(logged).toHaveLength(ops.length);
      expect(new Set(logged.map((o) => JSON.stringify(o, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))))).toEqual(
        new Set(ops.map((o) => JSON.stringify(o, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)))),
      );
      for (const op of ops) {
        if (op.op === 'putTag') expect(s.getTag(op.vid, 1)?.props).toEqual(op.props);
        if (op.op === 'putEdge') expect(s.getEdge(op.src, 2, op.rank, op.dst)).toBeDefined();
      }
    }
  }, 30_000);
});
