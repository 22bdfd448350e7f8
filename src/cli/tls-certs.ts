/**
 * A throwaway certificate authority and one certificate per process, made with the `openssl`
 * binary (Node 20's crypto can make keys but cannot sign X.509 certificates). Used by the
 * playground, the integration tests and the benchmarks; docs/tls.md shows the same commands for
 * doing it by hand.
 *
 * Keys are EC P-256, unencrypted, mode 0600. Each certificate carries SANs for the addresses its
 * process is dialled at (IP:127.0.0.1 and the process's local_ip, DNS:localhost) and may serve and
 * dial (extendedKeyUsage serverAuth, clientAuth), since every internal link is mutual TLS. Files
 * already there are kept, so a second start reuses the same CA and certificates.
 *
 * @example
 *   const certs = ensureCerts('data/playground/tls', [{ name: 'primary', ips: ['127.0.0.1'] }]);
 *   if (certs instanceof Error) throw certs;
 *   certs.files.get('primary'); // { ca, cert, key } paths
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Validity of the CA and of every certificate it issues. */
export const CERT_VALIDITY_DAYS = 3650;
/** Bound on one openssl run. */
const OPENSSL_TIMEOUT_MS = 30_000;

export interface CertSubject {
  /** File name stem and common name, e.g. "primary". */
  readonly name: string;
  /** IP addresses the process is dialled at; 127.0.0.1 is always added. */
  readonly ips?: readonly string[];
  /** DNS names it is dialled at; localhost is always added. */
  readonly dns?: readonly string[];
}

export interface CertFiles {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

export interface DeploymentCerts {
  readonly dir: string;
  readonly caCert: string;
  readonly caKey: string;
  readonly files: ReadonlyMap<string, CertFiles>;
  /** Whether this call made the CA (false: it was there already). */
  readonly createdCa: boolean;
}

/** Where `ensureCerts` keeps the CA and the certificate and key of `name` in `dir`. */
export function certFilesIn(dir: string, name: string): CertFiles {
  return { ca: join(dir, 'ca.pem'), cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
}

function openssl(args: readonly string[], cwd: string): Error | undefined {
  const run = spawnSync('openssl', args, { cwd, encoding: 'utf8', timeout: OPENSSL_TIMEOUT_MS });
  if (run.error !== undefined) {
    const missing = (run.error as NodeJS.ErrnoException).code === 'ENOENT';
    return new Error(
      missing
        ? 'the openssl binary is needed to make TLS certificates and was not found on PATH (Debian/Ubuntu: apt-get install openssl)'
        : `openssl ${args[0]} failed: ${run.error.message}`,
    );
  }
  if (run.status !== 0) return new Error(`openssl ${args.join(' ')} failed (exit ${String(run.status)}): ${run.stderr.trim()}`);
  return undefined;
}

function newKey(path: string, dir: string): Error | undefined {
  const failed = openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path], dir);
  if (failed === undefined) chmodSync(path, 0o600);
  return failed;
}

function makeCa(dir: string, caKey: string, caCert: string): Error | undefined {
  return (
    newKey(caKey, dir) ??
    openssl(
      [
        'req', '-x509', '-new', '-key', caKey, '-sha256', '-days', String(CERT_VALIDITY_DAYS),
        '-subj', '/O=nebula-sync/CN=nebula-sync throwaway CA',
        '-addext', 'basicConstraints=critical,CA:TRUE',
        '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
        '-out', caCert,
      ],
      dir,
    )
  );
}

/** The openssl extension section of one process certificate. */
export function certExtensions(subject: CertSubject): string {
  const ips = [...new Set(['127.0.0.1', ...(subject.ips ?? [])])];
  const dns = [...new Set(['localhost', ...(subject.dns ?? [])])];
  const san = [...ips.map((ip) => `IP:${ip}`), ...dns.map((d) => `DNS:${d}`)].join(',');
  return [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth,clientAuth',
    `subjectAltName=${san}`,
    '',
  ].join('\n');
}

function issue(dir: string, subject: CertSubject, caKey: string, caCert: string, out: CertFiles): Error | undefined {
  const csr = join(dir, `${subject.name}.csr`);
  const ext = join(dir, `${subject.name}.ext`);
  try {
    writeFileSync(ext, certExtensions(subject));
    return (
      newKey(out.key, dir) ??
      openssl(['req', '-new', '-key', out.key, '-subj', `/O=nebula-sync/CN=${subject.name}`, '-out', csr], dir) ??
      openssl(
        [
          'x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-set_serial', `0x${randomSerial()}`,
          '-sha256', '-days', String(CERT_VALIDITY_DAYS), '-extfile', ext, '-out', out.cert,
        ],
        dir,
      )
    );
  } finally {
    rmSync(csr, { force: true });
    rmSync(ext, { force: true });
  }
}

/** A random positive serial, so that two throwaway CAs never issue the same one. */
function randomSerial(): string {
  return `1${randomBytes(15).toString('hex')}`;
}

/**
 * The CA and one certificate per subject in `dir`: made where missing, kept where present.
 * Answers an Error saying what failed (openssl missing, a file not writable ...).
 */
export function ensureCerts(dir: string, subjects: readonly CertSubject[]): DeploymentCerts | Error {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (cause) {
    return new Error(`cannot create the certificate folder ${dir}: ${(cause as Error).message}`);
  }
  const caCert = join(dir, 'ca.pem');
  const caKey = join(dir, 'ca.key');
  const createdCa = !existsSync(caCert) || !existsSync(caKey);
  if (createdCa) {
    // A CA half made (or a certificate made by another CA) must not survive: start the folder over.
    for (const subject of subjects) {
      rmSync(join(dir, `${subject.name}.pem`), { force: true });
      rmSync(join(dir, `${subject.name}.key`), { force: true });
    }
    const failed = makeCa(dir, caKey, caCert);
    if (failed !== undefined) {
      rmSync(caCert, { force: true });
      rmSync(caKey, { force: true });
      return failed;
    }
  }
  const files = new Map<string, CertFiles>();
  for (const subject of subjects) {
    const out = certFilesIn(dir, subject.name);
    if (!existsSync(out.cert) || !existsSync(out.key)) {
      const failed = issue(dir, subject, caKey, caCert, out);
      if (failed !== undefined) {
        rmSync(out.cert, { force: true });
        rmSync(out.key, { force: true });
        return new Error(`cannot make the certificate of ${subject.name}: ${failed.message}`);
      }
    }
    files.set(subject.name, out);
  }
  return { dir, caCert, caKey, files, createdCa };
}

/** The flags that give a process its identity on the internal links (mutual TLS). */
export function internalTlsFlags(files: CertFiles): string[] {
  return ['--enable_meta_ssl=true', `--ca_path=${files.ca}`, `--cert_path=${files.cert}`, `--key_path=${files.key}`];
}
