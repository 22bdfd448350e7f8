// Pins the console output of every statement family: each test/golden/<suite>/<case>.ngql runs on a
// fresh in-process cluster and must print exactly <case>.out (UPDATE_GOLDEN=1 rewrites them).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatResult } from '../../src/console/format.ts';
import { scriptStatements } from '../../src/console/statements.ts';
import type { ExecutionResponse } from '../../src/server/graph-handler.ts';
import { createHarness } from '../helpers/exec-harness.ts';

const ROOT = import.meta.dirname;
const FIXED_NOW = Date.UTC(2026, 10, 29, 8, 30, 0);
const update = process.env['UPDATE_GOLDEN'] === '1';

const cases = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(ROOT, d.name))
      .filter((f) => f.endsWith('.ngql'))
      .map((f) => ({ suite: d.name, name: f.slice(0, -'.ngql'.length) })),
  );

async function transcript(script: string): Promise<string> {
  const harness = createHarness({ now: () => FIXED_NOW, sync: 'live' });
  const session = harness.session();
  let out = '';
  try {
    for (const stmt of scriptStatements(script)) {
      const result = await harness.run(stmt, session);
      const resp: ExecutionResponse = result.ok
        ? { errorCode: 0, latencyUs: 0, data: result.value, spaceName: session.space ?? '' }
        : { errorCode: result.error.code, latencyUs: 0, errorMsg: result.error.message, spaceName: session.space ?? '' };
      out += `nebula> ${stmt};\n${formatResult(resp, 0, { timing: false })}\n`;
    }
  } finally {
    harness.close();
  }
  return out;
}

describe('golden console transcripts', () => {
  for (const c of cases) {
    it(`${c.suite}/${c.name}`, async () => {
      const base = join(ROOT, c.suite, c.name);
      const actual = await transcript(readFileSync(`${base}.ngql`, 'utf8'));
      if (update) writeFileSync(`${base}.out`, actual);
      expect(existsSync(`${base}.out`), `missing ${base}.out: run npm run golden:update and review it`).toBe(true);
      expect(actual).toBe(readFileSync(`${base}.out`, 'utf8'));
    });
  }
});
