/**
 * NebulaGraph's SSL flags (`--enable_ssl`, `--enable_meta_ssl`, `--enable_graph_ssl`,
 * `--ca_path`, `--cert_path`, `--key_path`, `--password_path`) and the checks a process runs on
 * them before it binds anything: every file is read and parsed here, the key is decrypted, and the
 * certificate must match the key, be in its validity period and (for the internal links) be issued
 * by the CA. A failure is an Error naming the flag, so the process can exit at once with it.
 *
 * @example
 *   const tls = tlsSettings(flags, 'cluster');
 *   if (tls instanceof Error) return cmd.error(`error: ${tls.message}`);
 *   Cluster.start({ ...options, tls: tls.internal, graphTls: tls.graph });
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { GraphTlsOptions, TlsOptions } from '../server/rpc/tls.ts';
import type { FlagSpec, FlagValues } from './flags.ts';

/** Which process reads the flags: only a cluster has a graph port. */
export type TlsProcessKind = 'cluster' | 'listener' | 'drainer';

/** The SSL flags of a process kind, for its `--help` and flagfiles. */
export function tlsFlags(kind: TlsProcessKind): FlagSpec[] {
  const cluster = kind === 'cluster';
  return [
    {
      name: 'enable_ssl',
      kind: 'bool',
      default: false,
      help: cluster
        ? 'TLS on every link: mutual TLS on the meta and storage services and TLS on the graph port (needs --ca_path, --cert_path, --key_path)'
        : 'mutual TLS on every link of this process, as --enable_meta_ssl (needs --ca_path, --cert_path, --key_path)',
    },
    {
      name: 'enable_meta_ssl',
      kind: 'bool',
      default: false,
      help: 'mutual TLS on the internal links (meta, storage, listeners, drainers): peers must present a certificate from --ca_path',
    },
    ...(cluster
      ? [{ name: 'enable_graph_ssl', kind: 'bool', default: false, help: 'TLS on the graph port (clients need no certificate; needs --cert_path, --key_path)' } as const]
      : []),
    { name: 'ca_path', kind: 'string', default: '', help: 'PEM file of the CA that issued every certificate of the deployment' },
    { name: 'cert_path', kind: 'string', default: '', help: "PEM file of this process's certificate (SANs: the addresses it is dialled at)" },
    { name: 'key_path', kind: 'string', default: '', help: "PEM file of this process's private key" },
    { name: 'password_path', kind: 'string', default: '', help: 'file holding the passphrase of an encrypted --key_path' },
  ];
}

export interface TlsSettings {
  /** Mutual TLS on the internal gRPC links; undefined = plaintext. */
  readonly internal: TlsOptions | undefined;
  /** TLS on the graph port (clusters only); undefined = plaintext. */
  readonly graph: GraphTlsOptions | undefined;
}

function readFlagFile(flag: string, path: string): Buffer | Error {
  try {
    return readFileSync(path);
  } catch (cause) {
    return new Error(`--${flag}: cannot read ${path}: ${(cause as Error).message}`);
  }
}

/** Every certificate of a PEM file (a CA bundle or a chain), or an Error naming the flag. */
function parseCerts(flag: string, path: string, pem: Buffer): X509Certificate[] | Error {
  const blocks = pem.toString('utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) return new Error(`--${flag}: ${path} holds no PEM certificate`);
  try {
    return blocks.map((b) => new X509Certificate(b));
  } catch (cause) {
    return new Error(`--${flag}: ${path} is not a valid certificate: ${(cause as Error).message}`);
  }
}

function decryptKey(keyPath: string, pem: Buffer, passwordPath: string): KeyObject | Error {
  let passphrase: string | undefined;
  if (passwordPath !== '') {
    const text = readFlagFile('password_path', passwordPath);
    if (text instanceof Error) return text;
    passphrase = text.toString('utf8').replace(/\r?\n$/, '');
  }
  const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(pem.toString('utf8'));
  if (encrypted && passphrase === undefined) return new Error(`--key_path: ${keyPath} is encrypted; give its passphrase with --password_path`);
  try {
    return createPrivateKey(passphrase === undefined ? { key: pem } : { key: pem, passphrase });
  } catch (cause) {
    const message = (cause as Error).message;
    if (passphrase !== undefined) return new Error(`--password_path: cannot decrypt --key_path ${keyPath} with it: ${message}`);
    return new Error(`--key_path: ${keyPath} is not a valid PEM private key: ${message}`);
  }
}

function checkValidity(path: string, cert: X509Certificate, now: Date): Error | undefined {
  if (new Date(cert.validFrom) > now) return new Error(`--cert_path: the certificate in ${path} is not valid before ${cert.validFrom}`);
  if (new Date(cert.validTo) < now) return new Error(`--cert_path: the certificate in ${path} expired on ${cert.validTo}`);
  return undefined;
}

/** The certificate and its decrypted key, checked against each other. */
function loadIdentity(flags: FlagValues, why: string, now: Date): { cert: Buffer; key: Buffer; chain: X509Certificate[] } | Error {
  const certPath = String(flags['cert_path'] ?? '');
  const keyPath = String(flags['key_path'] ?? '');
  if (certPath === '') return new Error(`--cert_path is required with ${why}`);
  if (keyPath === '') return new Error(`--key_path is required with ${why}`);
  const certPem = readFlagFile('cert_path', certPath);
  if (certPem instanceof Error) return certPem;
  const chain = parseCerts('cert_path', certPath, certPem);
  if (chain instanceof Error) return chain;
  const keyPem = readFlagFile('key_path', keyPath);
  if (keyPem instanceof Error) return keyPem;
  const key = decryptKey(keyPath, keyPem, String(flags['password_path'] ?? ''));
  if (key instanceof Error) return key;
  if (key.asymmetricKeyType === undefined || !chain[0]!.checkPrivateKey(key)) {
    return new Error(`--cert_path: the certificate in ${certPath} does not match the private key in --key_path ${keyPath}`);
  }
  const invalid = checkValidity(certPath, chain[0]!, now);
  if (invalid !== undefined) return invalid;
  // grpc-js and node:tls take the key unencrypted; it stays in memory only.
  return { cert: certPem, key: Buffer.from(key.export({ type: 'pkcs8', format: 'pem' })), chain };
}

/** Whether the CA bundle (or an intermediate of the chain) signed the leaf certificate. */
function issuedBy(leaf: X509Certificate, issuers: readonly X509Certificate[]): boolean {
  return issuers.some((ca) => leaf.checkIssued(ca) && leaf.verify(ca.publicKey));
}

/**
 * The process's TLS settings from its resolved flags. Flags for links that are off are ignored, as
 * NebulaGraph does; an Error names the first flag that is missing or wrong.
 */
export function tlsSettings(flags: FlagValues, kind: TlsProcessKind, now = new Date()): TlsSettings | Error {
  const all = flags['enable_ssl'] === true;
  const internalOn = all || flags['enable_meta_ssl'] === true;
  const graphOn = kind === 'cluster' && (all || flags['enable_graph_ssl'] === true);
  if (!internalOn && !graphOn) return { internal: undefined, graph: undefined };
  const why = all ? '--enable_ssl' : internalOn ? '--enable_meta_ssl' : '--enable_graph_ssl';
  const identity = loadIdentity(flags, why, now);
  if (identity instanceof Error) return identity;
  const graph = graphOn ? { cert: identity.cert, key: identity.key } : undefined;
  if (!internalOn) return { internal: undefined, graph };
  const caPath = String(flags['ca_path'] ?? '');
  if (caPath === '') return new Error(`--ca_path is required with ${why}: peers are trusted when their certificate comes from that CA`);
  const caPem = readFlagFile('ca_path', caPath);
  if (caPem instanceof Error) return caPem;
  const cas = parseCerts('ca_path', caPath, caPem);
  if (cas instanceof Error) return cas;
  if (!issuedBy(identity.chain[0]!, [...cas, ...identity.chain.slice(1)])) {
    return new Error(`--cert_path: the certificate in ${String(flags['cert_path'])} was not issued by the CA in --ca_path ${caPath}`);
  }
  return { internal: { ca: caPem, cert: identity.cert, key: identity.key }, graph };
}
