// Pins docs/flags.md to the commands: it is exactly what src/cli/flags-doc.ts writes from their
// definitions (UPDATE_DOCS=1 rewrites it), and it documents every command `nebula-sync --help` lists.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../../../src/cli/children.ts';
import { DOCUMENTED_COMMANDS, flagsMarkdown } from '../../../src/cli/flags-doc.ts';
import { REPO } from '../../helpers/processes.ts';

const PAGE = join(REPO, 'docs', 'flags.md');

describe('docs/flags.md', () => {
  it('is up to date with the commands (UPDATE_DOCS=1 npx vitest run test/unit/cli/flags-doc.test.ts rewrites it)', () => {
    const fresh = flagsMarkdown();
    if (process.env['UPDATE_DOCS'] === '1') writeFileSync(PAGE, fresh);
    expect(readFileSync(PAGE, 'utf8')).toBe(fresh);
  });

  it('covers every command nebula-sync --help lists', () => {
    const help = spawnSync(process.execPath, [BIN, '--help'], { cwd: REPO, encoding: 'utf8' });
    const listed = [...help.stdout.split('Commands:')[1]!.matchAll(/^ {2}(\w+)/gm)].map((m) => m[1]!).filter((name) => name !== 'help');
    expect(listed.length).toBeGreaterThan(0);
    expect(DOCUMENTED_COMMANDS.map((make) => make().name())).toEqual(listed);
  });
});
