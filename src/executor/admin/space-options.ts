/**
 * CREATE SPACE's options: NebulaGraph's defaults filled in and each one checked, giving the space
 * description the catalog logs, or the error NebulaGraph would answer.
 */
import type { SpaceDesc } from '../../catalog/types.ts';
import { Errors, fail, ok, type Result } from '../../errors.ts';
import { limits } from '../../limits.ts';
import type { StatementOf, VidTypeDecl } from '../../parser/ast.ts';

/** NebulaGraph's defaults for options a CREATE SPACE leaves out. */
export const SPACE_DEFAULTS = {
  partitionNum: 100,
  replicaFactor: 1,
  vidType: { kind: 'FIXED_STRING', length: 8 } as VidTypeDecl,
  charset: 'utf8',
  collate: 'utf8_bin',
} as const;

/** The only charset and collation NebulaGraph supports. */
const CHARSETS: Readonly<Record<string, readonly string[]>> = { utf8: ['utf8_bin'] };

export type NewSpace = Omit<SpaceDesc, 'tags' | 'edges' | 'nextSchemaId' | 'readOnly' | 'id'>;

function charsetAndCollate(charset?: string, collate?: string): Result<{ charset: string; collate: string }> {
  const cs = charset?.toLowerCase();
  const co = collate?.toLowerCase();
  if (cs !== undefined && !Object.hasOwn(CHARSETS, cs)) {
    return fail(Errors.executionPlain(`Charset \`${cs}' not support`));
  }
  const supported = Object.values(CHARSETS).flat();
  if (co !== undefined && !supported.includes(co)) return fail(Errors.executionPlain(`Collation \`${co}' not support`));
  if (cs !== undefined && co !== undefined && !CHARSETS[cs].includes(co)) {
    return fail(Errors.executionPlain(`Charset \`${cs}' and Collation \`${co}' not match`));
  }
  // A missing charset follows from the collation, and a missing collation is the charset's default.
  const charsetOfCollate = co === undefined ? undefined : Object.keys(CHARSETS).find((k) => CHARSETS[k].includes(co));
  const finalCharset = cs ?? charsetOfCollate ?? SPACE_DEFAULTS.charset;
  return ok({ charset: finalCharset, collate: co ?? CHARSETS[finalCharset][0] });
}

/** The space CREATE SPACE describes, or why its options are refused. */
export function newSpaceOf(stmt: StatementOf<'CreateSpace'>): Result<NewSpace> {
  const partitionNum = stmt.partitionNum ?? SPACE_DEFAULTS.partitionNum;
  if (partitionNum <= 0) return fail(Errors.semantic('Partition_num value should be greater than zero'));
  if (partitionNum > limits.partitionNumMax) {
    return fail(Errors.semantic(`Partition_num value should be at most ${limits.partitionNumMax}`));
  }
  const replicaFactor = stmt.replicaFactor ?? SPACE_DEFAULTS.replicaFactor;
  if (replicaFactor <= 0) return fail(Errors.semantic('Replica_factor value should be greater than zero'));
  const vidType = stmt.vidType ?? SPACE_DEFAULTS.vidType;
  if (vidType.kind === 'FIXED_STRING') {
    if (vidType.length <= 0) return fail(Errors.semantic(`Vid size should be a positive number: ${vidType.length}`));
    if (vidType.length > limits.fixedStringLengthMax) {
      return fail(Errors.semantic(`Vid size should be at most ${limits.fixedStringLengthMax}: ${vidType.length}`));
    }
  }
  const cc = charsetAndCollate(stmt.charset, stmt.collate);
  if (!cc.ok) return cc;
  const space: NewSpace = {
    name: stmt.name,
    partitionNum,
    replicaFactor,
    vidType: vidType.kind === 'INT64' ? { kind: 'INT64' } : { kind: 'FIXED_STRING', length: vidType.length },
    charset: cc.value.charset,
    collate: cc.value.collate,
    ...(stmt.comment !== undefined ? { comment: stmt.comment } : {}),
  };
  return ok(space);
}

/** `FIXED_STRING(30)` or `INT64`, as DESCRIBE SPACE and SHOW CREATE SPACE print a vid type. */
export function vidTypeText(vid: VidTypeDecl): string {
  return vid.kind === 'INT64' ? 'INT64' : `FIXED_STRING(${vid.length})`;
}

/** SHOW CREATE SPACE's text, in NebulaGraph's wording. */
export function createSpaceText(space: SpaceDesc): string {
  const options =
    `partition_num = ${space.partitionNum}, replica_factor = ${space.replicaFactor}, ` +
    `charset = ${space.charset}, collate = ${space.collate}, vid_type = ${vidTypeText(space.vidType)}`;
  const comment = space.comment !== undefined ? ` comment = "${space.comment}"` : '';
  return `CREATE SPACE \`${space.name}\` (${options})${comment}`;
}
