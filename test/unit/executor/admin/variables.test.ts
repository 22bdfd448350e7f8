// Pins SET VARIABLES / GET VARIABLES read_only: values, refusals, and that it can be turned off.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../src/errors.ts';
import type { Session } from '../../../../src/executor/types.ts';
import { createHarness, type Harness } from '../../../helpers/exec-harness.ts';
import { ok, refused, table, withSpace } from './admin-harness.ts';

let h: Harness;
let s: Session;
beforeEach(async () => {
  h = createHarness({ enableAuthorize: true });
  s = await withSpace(h);
});
afterEach(() => h.close());

const readOnly = (value: boolean) => ({ columns: ['name', 'type', 'value'], rows: [['read_only', 'bool', value]] });

describe('read_only', () => {
  it('is false on a new space and follows SET', async () => {
    expect(await table(h, 'GET VARIABLES read_only', s)).toEqual(readOnly(false));
    await ok(h, 'SET VARIABLES read_only=true', s);
    expect(await table(h, 'GET VARIABLES read_only', s)).toEqual(readOnly(true));
    // Turning it off must work on the read_only space itself.
    await ok(h, 'SET VARIABLES read_only=false', s);
    expect(await table(h, 'GET VARIABLES read_only', s)).toEqual(readOnly(false));
  });

  it('belongs to one space only', async () => {
    await ok(h, 'CREATE SPACE other(vid_type=INT64)');
    await ok(h, 'SET VARIABLES read_only=true', s);
    expect(await table(h, 'GET VARIABLES read_only', h.session('root', 'other'))).toEqual(readOnly(false));
  });

  it('needs a current space', async () => {
    expect((await refused(h, 'SET VARIABLES read_only=true')).message).toBe('SemanticError: Space was not chosen.');
  });

  it('takes only a bool', async () => {
    expect((await refused(h, 'SET VARIABLES read_only=1', s)).code).toBe(ErrorCode.E_SEMANTIC_ERROR);
    expect((await refused(h, 'SET VARIABLES read_only="yes"', s)).code).toBe(ErrorCode.E_SEMANTIC_ERROR);
  });

  it('refuses unknown variables', async () => {
    expect((await refused(h, 'GET VARIABLES nope', s)).code).toBe(ErrorCode.E_SEMANTIC_ERROR);
    expect((await refused(h, 'SET VARIABLES nope=true', s)).code).toBe(ErrorCode.E_SEMANTIC_ERROR);
  });

  it('is set by root only', async () => {
    await ok(h, 'CREATE USER u WITH PASSWORD "p"');
    await ok(h, 'GRANT ROLE ADMIN ON s TO u');
    const err = await refused(h, 'SET VARIABLES read_only=true', h.session('u', 's'));
    expect(err.code).toBe(ErrorCode.E_BAD_PERMISSION);
  });
});
