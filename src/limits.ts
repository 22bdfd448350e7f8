/**
 * Every bound the product enforces, in one place. Units last in names.
 */
export const limits = {
  /** Largest Thrift frame a graph connection may send (NebulaGraph's max_allowed_query_size is 4 MiB). */
  frameBytesMax: 4 * 1024 * 1024 + 64 * 1024,
  /** Longest statement text accepted. */
  statementBytesMax: 4 * 1024 * 1024,
  /** Deepest expression nesting the parser accepts before answering a syntax error. */
  exprDepthMax: 256,
  /** Longest string property value accepted. */
  stringPropBytesMax: 1024 * 1024,
  /** Rows of one INSERT. */
  insertRowsMax: 100_000,
  /** Most sessions open at once on one cluster (NebulaGraph's max_allowed_connections counts sessions too). */
  sessionsMax: 1000,
  /** Of `sessionsMax`, sessions only root may open, so that a flood by other users never locks root out. */
  rootSessionsReserved: 10,
  /** Open graph connections of any user. */
  connectionsMax: 1000,
  /** Connections beyond `connectionsMax` that may only authenticate as root (then they stay). */
  rootConnectionsReserved: 16,
  /** Password hashes (scrypt, ~100 ms and 16 MiB each) computed at once on libuv's thread pool. */
  passwordHashesConcurrentMax: 2,
  /** Password checks waiting for a hashing slot; beyond this a login is answered "busy" at once. */
  passwordHashesQueuedMax: 32,
  /** Entries of each failed-login table (per user and IP, per IP); the least recently failed go first. */
  loginFailureEntriesMax: 10_000,
  /** Partitions of one space. */
  partitionNumMax: 1024,
  /** FIXED_STRING(N) bound for vids and props. */
  fixedStringLengthMax: 4096,
  /** Steps of one GO. */
  goStepsMax: 100,
  /** Rows one GO or FETCH may produce before it is refused. */
  resultRowsMax: 1_000_000,
  /** WAL entries answered by one readWal call. */
  walReadEntriesMax: 10_000,
  /**
   * Encoded bytes of the WAL entry a client write makes in one partition. Rows carry their prop
   * names, so an entry can be many times its statement's text; a write past this is refused
   * before anything is written, so that every acknowledged entry fits `internalMessageBytesMax`.
   */
  walEntryBytesMax: 16 * 1024 * 1024,
  /**
   * Largest message on the internal links that carry WAL entries (a cluster's storage service, a
   * drainer, a listener's clients): one entry of `walEntryBytesMax` (a batch holding one large
   * entry goes alone), with room for a secondary's re-encoding of it (its ids may take more
   * bytes) down a chain.
   */
  internalMessageBytesMax: 20 * 1024 * 1024,
  /** Connections open at once on one internal gRPC port; its peers are a few processes of the deployment. */
  rpcConnectionsMax: 256,
  /** Of those, connections still in their TLS handshake (where a peer without a certificate stays). */
  rpcHandshakesMax: 32,
  /** Time an internal port's TLS handshake may take after accept before the connection is cut. */
  rpcHandshakeMs: 10_000,
  /** Connections open at once on a process's HTTP port (status pages, metrics scrapers). */
  httpConnectionsMax: 128,
} as const;
