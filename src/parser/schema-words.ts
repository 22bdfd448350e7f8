/**
 * Words that the grammar reads as plain names and then interprets: property type names
 * (`int`, `fixed_string(N)`, ...), a space's `vid_type`, and the options of CREATE SPACE.
 * Reading them as names keeps the keyword list short and lets `date`, `time` and friends stay
 * usable as property names, as in NebulaGraph.
 */
import type { PropType, PropTypeName, VidTypeDecl } from './ast.ts';

const propTypes: ReadonlyMap<string, PropTypeName> = new Map<string, PropTypeName>([
  ['bool', 'bool'],
  ['int', 'int64'],
  ['int64', 'int64'],
  ['int32', 'int32'],
  ['int16', 'int16'],
  ['int8', 'int8'],
  ['float', 'float'],
  ['double', 'double'],
  ['string', 'string'],
  ['fixed_string', 'fixed_string'],
  ['timestamp', 'timestamp'],
  ['date', 'date'],
  ['time', 'time'],
  ['datetime', 'datetime'],
]);

/**
 * The property type spelled `word` (any case) with an optional `(length)`, or undefined when the
 * word is no type or the length is missing (fixed_string) or misplaced (everything else).
 */
export function propTypeOf(word: string, length: number | undefined): PropType | undefined {
  const name = propTypes.get(word.toLowerCase());
  if (name === undefined) return undefined;
  if (name === 'fixed_string') return length === undefined ? undefined : { name, length };
  return length === undefined ? { name } : undefined;
}

/** A space's vid type: FIXED_STRING(N), INT64, or INT (which means INT64). */
export function vidTypeOf(word: string, length: number | undefined): VidTypeDecl | undefined {
  const lower = word.toLowerCase();
  if (lower === 'fixed_string') return length === undefined ? undefined : { kind: 'FIXED_STRING', length };
  if ((lower === 'int64' || lower === 'int') && length === undefined) return { kind: 'INT64' };
  return undefined;
}

/** What CREATE SPACE collects from its parenthesised options and its COMMENT clause. */
export interface SpaceOptions {
  partitionNum?: number;
  replicaFactor?: number;
  vidType?: VidTypeDecl;
  charset?: string;
  collate?: string;
  comment?: string;
}

/** One written option value: an integer, a string, or a word with an optional `(N)`. */
export type SpaceOptionValue =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'word'; readonly value: string; readonly length?: number };

/**
 * Records option `key = value` in `into`; false when the option is unknown or its value has the
 * wrong shape, which the grammar reports as a syntax error near the option.
 */
export function applySpaceOption(into: SpaceOptions, key: string, value: SpaceOptionValue): boolean {
  switch (key.toLowerCase()) {
    case 'partition_num':
      if (value.kind !== 'int') return false;
      into.partitionNum = value.value;
      return true;
    case 'replica_factor':
      if (value.kind !== 'int') return false;
      into.replicaFactor = value.value;
      return true;
    case 'vid_type': {
      const vidType = value.kind === 'word' ? vidTypeOf(value.value, value.length) : undefined;
      if (vidType === undefined) return false;
      into.vidType = vidType;
      return true;
    }
    case 'charset':
    case 'collate':
    case 'collation':
    case 'comment': {
      if (value.kind === 'int' || (value.kind === 'word' && value.length !== undefined)) return false;
      const k = key.toLowerCase();
      if (k === 'charset') into.charset = value.value;
      else if (k === 'comment') into.comment = value.value;
      else into.collate = value.value;
      return true;
    }
    default:
      return false;
  }
}
