/**
 * How replication names a source space: the source cluster's id and the space's name. Positions on
 * a secondary are keyed by it (src/engine/sync/DESIGN.md).
 */
export interface SourceRef {
  readonly clusterId: string;
  readonly spaceName: string;
}

/** `"<cluster id>/<space name>"`: how a source is named to people (logs, errors, status). */
export function sourceKey(source: SourceRef): string {
  return `${source.clusterId}/${source.spaceName}`;
}

/**
 * `"<cluster id>/<space name>#<space id>"`: the key a secondary stores a source's positions under.
 * The space id tells a source space dropped and created again under its old name from the old
 * one, whose positions must not be taken for the new space's (its log ids start again at 1).
 */
export function positionKey(source: SourceRef & { readonly spaceId: number }): string {
  return `${sourceKey(source)}#${source.spaceId}`;
}
