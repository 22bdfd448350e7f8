/**
 * How replication names a source space: the source cluster's id and the space's name. Positions on
 * a secondary are keyed by it (src/engine/sync/DESIGN.md).
 */
export interface SourceRef {
  readonly clusterId: string;
  readonly spaceName: string;
}

/** `"<cluster id>/<space name>"`. */
export function sourceKey(source: SourceRef): string {
  return `${source.clusterId}/${source.spaceName}`;
}
