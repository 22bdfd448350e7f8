/**
 * The checksum every stored tag and edge row carries (DESIGN.md guarantee 7): CRC32 of the row's
 * partition, key, schema version and props, so a flipped byte in any column of the row is caught.
 *
 * Writing costs one `crc32` call per row and no encoding: the row image (key, version, props) is
 * already laid out inside the WAL entry (`RowSpan.image`), and the partition is folded in as the
 * CRC's starting value. Reading re-encodes the key columns into a scratch buffer with the WAL's
 * own key writers and continues the CRC over the stored props blob.
 */
import { crc32 } from 'node:zlib';
import { ByteWriter } from '../wal/byte-io.ts';
import { writeEdgeKey, writeTagKey } from '../wal/wal-codec.ts';
import type { Vid } from './types.ts';

const partSeeds: number[] = [];
const partBytes = Buffer.alloc(4);

/** The CRC of the partition number: where a row's CRC starts. */
function seedOf(part: number): number {
  let seed = partSeeds[part];
  if (seed === undefined) {
    partBytes.writeUInt32LE(part >>> 0, 0);
    seed = crc32(partBytes);
    if (Number.isInteger(part) && part >= 0 && part < 1 << 16) partSeeds[part] = seed;
  }
  return seed;
}

/** The checksum of a row being written, from its image inside the WAL entry. */
export function rowCrcOfImage(part: number, image: Buffer): number {
  return crc32(image, seedOf(part));
}

const keyWriter = new ByteWriter();

/** The checksum a stored tag row must carry. */
export function tagRowCrc(part: number, vid: Vid, tagId: number, ver: number, props: Buffer): number {
  keyWriter.reset();
  writeTagKey(keyWriter, vid, tagId, ver);
  return crc32(props, crc32(keyWriter.view(), seedOf(part)));
}

/** The checksum a stored edge row must carry. */
export function edgeRowCrc(part: number, src: Vid, etype: number, rank: bigint, dst: Vid, ver: number, props: Buffer): number {
  keyWriter.reset();
  writeEdgeKey(keyWriter, src, etype, rank, dst, ver);
  return crc32(props, crc32(keyWriter.view(), seedOf(part)));
}
