// Pins the checks a process runs on its SSL flags before it binds anything (src/cli/tls-flags.ts):
// good files give mutual TLS (and graph TLS on a cluster), an encrypted key opens with
// --password_path, and each wrong or missing file is an error that names its flag.
import { createPrivateKey } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCerts, type CertFiles } from '../../../src/cli/tls-certs.ts';
import { tlsFlags, tlsSettings } from '../../../src/cli/tls-flags.ts';
import { tempDir } from '../../helpers/processes.ts';

const dir = tempDir('tls-flags');
let own: CertFiles;
let other: CertFiles;
let otherCa: CertFiles;
const encryptedKey = join(dir, 'encrypted.key');
const passphraseFile = join(dir, 'passphrase');
const wrongPassphraseFile = join(dir, 'wrong');

function flags(values: Record<string, string | boolean>): Record<string, string | boolean> {
  return { enable_ssl: false, enable_meta_ssl: false, enable_graph_ssl: false, ca_path: '', cert_path: '', key_path: '', password_path: '', ...values };
}

const meta = (files: Partial<CertFiles>, extra: Record<string, string | boolean> = {}) =>
  flags({ enable_meta_ssl: true, ca_path: files.ca ?? '', cert_path: files.cert ?? '', key_path: files.key ?? '', ...extra });

beforeAll(() => {
  const deployment = ensureCerts(join(dir, 'ours'), [{ name: 'a' }, { name: 'b' }]);
  const foreign = ensureCerts(join(dir, 'theirs'), [{ name: 'x' }]);
  if (deployment instanceof Error) throw deployment;
  if (foreign instanceof Error) throw foreign;
  own = deployment.files.get('a')!;
  other = deployment.files.get('b')!;
  otherCa = foreign.files.get('x')!;
  const pem = createPrivateKey(readFileSync(own.key)).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'hunter2' });
  writeFileSync(encryptedKey, pem);
  writeFileSync(passphraseFile, 'hunter2\n');
  writeFileSync(wrongPassphraseFile, 'nope\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SSL flags', () => {
  it('are plaintext when no --enable_* flag is set, whatever paths are given', () => {
    expect(tlsSettings(flags({ cert_path: '/nowhere' }), 'cluster')).toEqual({ internal: undefined, graph: undefined });
  });

  it('give mutual TLS with --enable_meta_ssl and also graph TLS with --enable_ssl on a cluster', () => {
    const metaOnly = tlsSettings(meta(own), 'cluster');
    expect(metaOnly).not.toBeInstanceOf(Error);
    if (metaOnly instanceof Error) return;
    expect(metaOnly.internal?.ca.toString()).toContain('BEGIN CERTIFICATE');
    expect(metaOnly.graph).toBeUndefined();
    const all = tlsSettings(meta(own, { enable_meta_ssl: false, enable_ssl: true }), 'cluster');
    expect(all).toMatchObject({ internal: expect.anything(), graph: expect.anything() });
    // A listener has no graph port: --enable_ssl means its internal links only.
    expect(tlsSettings(meta(own, { enable_meta_ssl: false, enable_ssl: true }), 'listener')).toMatchObject({ graph: undefined });
  });

  it('need only a certificate and key for graph TLS alone', () => {
    const graph = tlsSettings(flags({ enable_graph_ssl: true, cert_path: own.cert, key_path: own.key }), 'cluster');
    expect(graph).toMatchObject({ internal: undefined, graph: { cert: expect.any(Buffer), key: expect.any(Buffer) } });
  });

  it('open an encrypted key with --password_path and hand it on decrypted', () => {
    const settings = tlsSettings(meta({ ...own, key: encryptedKey }, { password_path: passphraseFile }), 'drainer');
    if (settings instanceof Error) throw settings;
    expect(settings.internal?.key.toString()).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('name the flag of each missing or wrong file', () => {
    const cases: [Record<string, string | boolean>, RegExp][] = [
      [meta({ ca: own.ca, key: own.key }), /^--cert_path is required with --enable_meta_ssl/],
      [meta({ ca: own.ca, cert: own.cert }), /^--key_path is required/],
      [meta({ cert: own.cert, key: own.key }), /^--ca_path is required with --enable_meta_ssl/],
      [meta({ ...own, cert: join(dir, 'missing.pem') }), /^--cert_path: cannot read .*missing\.pem/],
      [meta({ ...own, ca: own.key }), /^--ca_path: .* holds no PEM certificate/],
      [meta({ ...own, key: own.cert }), /^--key_path: .* is not a valid PEM private key/],
      [meta({ ...own, key: other.key }), /^--cert_path: the certificate in .* does not match the private key in --key_path/],
      [meta({ ...own, key: encryptedKey }), /^--key_path: .* is encrypted; give its passphrase with --password_path/],
      [meta({ ...own, key: encryptedKey }, { password_path: wrongPassphraseFile }), /^--password_path: cannot decrypt --key_path/],
      [meta({ ...own, key: encryptedKey }, { password_path: join(dir, 'none') }), /^--password_path: cannot read/],
      [meta({ ...otherCa, ca: own.ca }), /^--cert_path: the certificate in .* was not issued by the CA in --ca_path/],
      [flags({ enable_graph_ssl: true, key_path: own.key }), /^--cert_path is required with --enable_graph_ssl/],
    ];
    for (const [values, message] of cases) {
      const settings = tlsSettings(values, 'cluster');
      expect(settings, JSON.stringify(values)).toBeInstanceOf(Error);
      expect((settings as Error).message).toMatch(message);
    }
  });

  it('refuse a certificate out of its validity period', () => {
    const later = new Date(Date.now() + 20 * 365 * 24 * 3600 * 1000);
    expect((tlsSettings(meta(own), 'cluster', later) as Error).message).toMatch(/^--cert_path: the certificate in .* expired on/);
  });

  it('offer --enable_graph_ssl on clusters only', () => {
    expect(tlsFlags('cluster').map((f) => f.name)).toContain('enable_graph_ssl');
    expect(tlsFlags('drainer').map((f) => f.name)).toEqual(['enable_ssl', 'enable_meta_ssl', 'ca_path', 'cert_path', 'key_path', 'password_path']);
  });
});
