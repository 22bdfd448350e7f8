// Pins the internal links' credentials (src/server/rpc/tls.ts): a server with TlsOptions answers a
// client holding a certificate from the same CA, and refuses in the handshake (UNAVAILABLE, the
// handler never runs) a plaintext client, a client whose certificate comes from another CA, and a
// client that trusts the CA but has no certificate of its own.
import { readFileSync, rmSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCerts, type CertFiles } from '../../../../src/cli/tls-certs.ts';
import { clientFor, serviceDefinition } from '../../../../src/server/rpc/proto.ts';
import { bindRpc, closeRpcPorts } from '../../../helpers/rpc-ports.ts';
import { channelCredentials, linkSecurity, type TlsOptions } from '../../../../src/server/rpc/tls.ts';
import { tempDir } from '../../../helpers/processes.ts';

const dir = tempDir('tls-unit');
let server: grpc.Server;
let address: string;
let handled = 0;
let ours: { server: TlsOptions; peer: TlsOptions };
let mallory: TlsOptions;

function load(files: CertFiles): TlsOptions {
  return { ca: readFileSync(files.ca), cert: readFileSync(files.cert), key: readFileSync(files.key) };
}

function certsIn(sub: string, names: string[]): Map<string, TlsOptions> {
  const made = ensureCerts(`${dir}/${sub}`, names.map((name) => ({ name })));
  if (made instanceof Error) throw made;
  return new Map([...made.files].map(([name, files]) => [name, load(files)]));
}

/** Listener.Health through `credentials`: the reply's role, or the gRPC status code. */
function health(credentials: grpc.ChannelCredentials): Promise<{ role?: string; code?: number }> {
  const ctor = grpc.makeGenericClientConstructor(serviceDefinition('Listener'), 'Listener');
  const client = new ctor(address, credentials) as unknown as grpc.Client & { Health: Function };
  return new Promise((resolve) => {
    client.Health({}, { deadline: Date.now() + 5_000 }, (error: grpc.ServiceError | null, reply: { role: string }) => {
      client.close();
      resolve(error ? { code: error.code } : { role: reply.role });
    });
  });
}

beforeAll(async () => {
  const deployment = certsIn('ours', ['server', 'peer']);
  ours = { server: deployment.get('server')!, peer: deployment.get('peer')! };
  mallory = certsIn('theirs', ['mallory']).get('mallory')!;
  server = new grpc.Server();
  server.addService(serviceDefinition('Listener'), {
    Health: (_call: unknown, callback: grpc.sendUnaryData<unknown>) => {
      handled++;
      callback(null, { role: 'STORAGE_LISTENER', status: 'ONLINE' });
    },
  });
  address = `127.0.0.1:${await bindRpc(server, '127.0.0.1:0', ours.server)}`;
});

afterAll(() => {
  closeRpcPorts();
  rmSync(dir, { recursive: true, force: true });
});

describe('mutual TLS on an internal link', () => {
  it('answers a peer whose certificate comes from the same CA', async () => {
    expect(await health(channelCredentials(ours.peer))).toEqual({ role: 'STORAGE_LISTENER' });
    // clientFor builds the same credentials.
    const client = clientFor('Listener', address, ours.peer) as grpc.Client & { Health: Function };
    const role = await new Promise((resolve) => client.Health({}, (e: Error | null, r: { role: string }) => resolve(e ?? r.role)));
    client.close();
    expect(role).toBe('STORAGE_LISTENER');
  });

  it('refuses, before any handler runs, a plaintext peer, a certificate from another CA, and a peer without a certificate', async () => {
    const before = handled;
    const attempts = {
      plaintext: await health(grpc.credentials.createInsecure()),
      anotherCa: await health(grpc.credentials.createSsl(ours.server.ca, mallory.key, mallory.cert)),
      anotherCaTrustingItsOwn: await health(channelCredentials(mallory)),
      caButNoCertificate: await health(grpc.credentials.createSsl(ours.server.ca)),
    };
    for (const outcome of Object.values(attempts)) expect(outcome).toEqual({ code: grpc.status.UNAVAILABLE });
    expect(handled).toBe(before);
  });

  it('names the link security for status pages', () => {
    expect(linkSecurity(undefined)).toBe('plaintext');
    expect(linkSecurity(ours.peer)).toBe('mtls');
  });
});
