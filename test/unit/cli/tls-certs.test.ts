// Pins the throwaway certificate generator (src/cli/tls-certs.ts): one CA and one certificate per
// process, each issued by the CA with SANs for the addresses it is dialled at and usable as server
// and client, keys readable by the owner only, and a second run keeps every file as it was.
import { X509Certificate } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureCerts } from '../../../src/cli/tls-certs.ts';
import { tempDir } from '../../helpers/processes.ts';

const dir = tempDir('tls-certs');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ensureCerts', () => {
  it('makes a CA and certificates it issued, with SANs, then reuses them', () => {
    const subjects = [{ name: 'primary', ips: ['10.0.0.7'] }, { name: 'drainer' }];
    const first = ensureCerts(join(dir, 'tls'), subjects);
    if (first instanceof Error) throw first;
    expect(first.createdCa).toBe(true);
    const ca = new X509Certificate(readFileSync(first.caCert));
    expect(ca.ca).toBe(true);
    const primary = new X509Certificate(readFileSync(first.files.get('primary')!.cert));
    expect(primary.checkIssued(ca) && primary.verify(ca.publicKey)).toBe(true);
    expect(primary.subjectAltName).toBe('IP Address:127.0.0.1, IP Address:10.0.0.7, DNS:localhost');
    expect(primary.checkIP('10.0.0.7')).toBe('10.0.0.7');
    expect(primary.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
    expect(statSync(first.files.get('drainer')!.key).mode & 0o077).toBe(0);

    const again = ensureCerts(join(dir, 'tls'), subjects);
    if (again instanceof Error) throw again;
    expect(again.createdCa).toBe(false);
    expect(readFileSync(again.files.get('primary')!.cert)).toEqual(readFileSync(first.files.get('primary')!.cert));
  });

  it('answers an error naming the folder it cannot create', () => {
    writeFileSync(join(dir, 'a-file'), '');
    const failed = ensureCerts(join(dir, 'a-file', 'tls'), [{ name: 'x' }]);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(/cannot create the certificate folder/);
  });
});
