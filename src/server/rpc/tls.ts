/**
 * Transport security of the internal gRPC links (meta, storage, listener, drainer), in one place:
 * every server (rpc-port.ts) and every client of those links takes its TLS settings from here, so a
 * link cannot be plaintext at one end and TLS at the other by accident.
 *
 * With `TlsOptions` a link is mutual TLS, as NebulaGraph's `--enable_meta_ssl`: the server asks for
 * a client certificate and refuses, in the TLS handshake and so before any handler runs, a peer
 * whose certificate was not issued by the deployment's CA; the client checks the server's
 * certificate against the same CA and its name (a SAN) against the address it dialled. Without
 * them (`undefined`) the link is plaintext, as NebulaGraph without SSL: the network is trusted.
 *
 * @example
 *   const tls = { ca, cert, key }; // PEM buffers, the key already decrypted (src/cli/tls-flags.ts)
 *   const port = await openRpcPort(server, '127.0.0.1:0', tls); // rpc-port.ts
 *   const client = new ctor('127.0.0.1:9559', channelCredentials(tls));
 */
import * as grpc from '@grpc/grpc-js';

/** A process's identity on the internal links: PEM buffers; `key` is never encrypted here. */
export interface TlsOptions {
  /** The deployment's CA certificate(s): peers must present a certificate issued by it. */
  readonly ca: Buffer;
  /** This process's certificate (chain), presented as server and as client. */
  readonly cert: Buffer;
  /** Its private key, decrypted. */
  readonly key: Buffer;
}

/** TLS on the graph port: server authentication only (clients need no certificate). */
export interface GraphTlsOptions {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** What the HTTP status page and the start logs call the internal links' protection. */
export type LinkSecurity = 'mtls' | 'plaintext';

export function linkSecurity(tls: TlsOptions | undefined): LinkSecurity {
  return tls === undefined ? 'plaintext' : 'mtls';
}

/** The line every process logs at start when its internal links are plaintext. */
export const PLAINTEXT_LINKS_WARNING =
  'internal links are NOT authenticated or encrypted: anyone who can reach the meta, storage, listener ' +
  'and drainer ports can read and change the data; use --enable_meta_ssl with --ca_path/--cert_path/--key_path';

/**
 * Client side of a link. The server's certificate must chain to the CA and carry the dialled
 * address (an IP or DNS SAN): Node's default identity check, kept on purpose.
 */
export function channelCredentials(tls: TlsOptions | undefined): grpc.ChannelCredentials {
  if (tls === undefined) return grpc.credentials.createInsecure();
  quietIpServernameWarning();
  return grpc.credentials.createSsl(tls.ca, tls.key, tls.cert);
}

let quieted = false;

/**
 * grpc-js sends the dialled host as the TLS server name (SNI) even when it is an IP address, and
 * Node then warns (DEP0123) once per process. SNI plays no part in the identity check, which
 * matches the IP against the certificate's SANs, so that one warning is dropped; every other
 * warning still reaches Node's own printer.
 */
function quietIpServernameWarning(): void {
  if (quieted) return;
  quieted = true;
  const printers = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) => {
    if (warning.code === 'DEP0123') return;
    for (const print of printers) print(warning);
  });
}
