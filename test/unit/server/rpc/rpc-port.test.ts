// Pins the bounds of an internal gRPC port (src/server/rpc/rpc-port.ts): a stranger's silent
// sockets cannot take more than the connection cap, nor hold TLS handshakes past their cap and
// deadline, nor keep a real peer out of a full handshake table; what is over a bound is closed at
// once; a real peer is served again once the flood is gone; and a closed port accepts nothing.
import { readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureCerts, type CertFiles } from '../../../../src/cli/tls-certs.ts';
import { serviceDefinition } from '../../../../src/server/rpc/proto.ts';
import { openRpcPort, RPC_HANDSHAKE_EVICTABLE_MS, type RpcPort, type RpcPortBounds } from '../../../../src/server/rpc/rpc-port.ts';
import { channelCredentials, type TlsOptions } from '../../../../src/server/rpc/tls.ts';
import { tempDir } from '../../../helpers/processes.ts';

const dir = tempDir('rpc-port-unit');
let certs: { server: TlsOptions; peer: TlsOptions };
let port: RpcPort | undefined;
const sockets: Socket[] = [];

function load(files: CertFiles): TlsOptions {
  return { ca: readFileSync(files.ca), cert: readFileSync(files.cert), key: readFileSync(files.key) };
}

beforeAll(() => {
  const made = ensureCerts(dir, [{ name: 'server' }, { name: 'peer' }]);
  if (made instanceof Error) throw made;
  certs = { server: load(made.files.get('server')!), peer: load(made.files.get('peer')!) };
});

afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
  port?.destroy();
  port = undefined;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A Listener service answering Health, served on a fresh port with `tls` and `bounds`. */
async function serve(tls: TlsOptions | undefined, bounds: RpcPortBounds): Promise<string> {
  const server = new grpc.Server();
  server.addService(serviceDefinition('Listener'), {
    Health: (_call: unknown, callback: grpc.sendUnaryData<unknown>) => callback(null, { role: 'STORAGE_LISTENER', status: 'ONLINE' }),
  });
  port = await openRpcPort(server, '127.0.0.1:0', tls, undefined, bounds);
  return `127.0.0.1:${port.port}`;
}

/** Health through a fresh channel: the role answered, or the gRPC status code. */
function health(address: string, tls: TlsOptions | undefined): Promise<{ role?: string; code?: number }> {
  const ctor = grpc.makeGenericClientConstructor(serviceDefinition('Listener'), 'Listener');
  const client = new ctor(address, channelCredentials(tls)) as unknown as grpc.Client & { Health: Function };
  return new Promise((resolve) => {
    client.Health({}, { deadline: Date.now() + 3_000 }, (error: grpc.ServiceError | null, reply: { role: string }) => {
      client.close();
      resolve(error ? { code: error.code } : { role: reply.role });
    });
  });
}

/** Open a silent TCP socket to `address`; answers it once connected. */
async function silent(address: string): Promise<Socket> {
  const [host, p] = address.split(':');
  const s = connect(Number(p), host!);
  s.on('error', () => undefined);
  sockets.push(s);
  await new Promise<void>((resolve) => s.once('connect', () => resolve()));
  return s;
}

/** Whether the server closed `s` within `ms`. */
function closedWithin(s: Socket, ms: number): Promise<boolean> {
  if (s.destroyed || s.readableEnded) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    s.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

describe('an internal gRPC port', () => {
  it('closes a connection over the cap at once, keeps those under it, and serves again once they are gone (plaintext)', async () => {
    const address = await serve(undefined, { connectionsMax: 8 });
    const held = [];
    for (let i = 0; i < 8; i++) held.push(await silent(address));
    const over = await silent(address);
    expect(await closedWithin(over, 2_000)).toBe(true);
    expect(await closedWithin(held[0]!, 200)).toBe(false);
    for (const s of held) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect(await health(address, undefined)).toEqual({ role: 'STORAGE_LISTENER' });
  });

  it('with mutual TLS, lets only so many handshakes wait, cuts them at their deadline, then serves a peer with a certificate', async () => {
    const address = await serve(certs.server, { handshakesMax: 4, handshakeMs: 500 });
    const held = [];
    for (let i = 0; i < 4; i++) held.push(await silent(address));
    // A fifth connection that would also wait in its handshake is closed on accept.
    expect(await closedWithin(await silent(address), 1_000)).toBe(true);
    // The four waiting ones are cut at the deadline, not held for minutes.
    for (const s of held) expect(await closedWithin(s, 3_000)).toBe(true);
    expect(await health(address, certs.peer)).toEqual({ role: 'STORAGE_LISTENER' });
    // A finished handshake does not hold a handshake slot: more peers than the cap are served.
    const answers = await Promise.all(Array.from({ length: 6 }, () => health(address, certs.peer)));
    expect(answers.every((a) => a.role === 'STORAGE_LISTENER')).toBe(true);
  });

  it('with mutual TLS, lets a peer with a certificate in while silent sockets hold every handshake slot, cutting the longest-waiting one', async () => {
    const address = await serve(certs.server, { handshakesMax: 4, handshakeMs: 10_000 });
    const held = [];
    for (let i = 0; i < 4; i++) held.push(await silent(address));
    await new Promise((r) => setTimeout(r, RPC_HANDSHAKE_EVICTABLE_MS + 100));
    expect(await health(address, certs.peer)).toEqual({ role: 'STORAGE_LISTENER' });
    expect(await closedWithin(held[0]!, 1_000)).toBe(true);
    expect(await closedWithin(held[3]!, 200)).toBe(false);
  });

  it('with mutual TLS, refuses a peer without a certificate from the CA and keeps serving', async () => {
    const address = await serve(certs.server, {});
    expect(await health(address, undefined)).toEqual({ code: grpc.status.UNAVAILABLE });
    expect(await health(address, certs.peer)).toEqual({ role: 'STORAGE_LISTENER' });
  });

  it('accepts nothing once closed', async () => {
    const address = await serve(undefined, {});
    await port!.close(100);
    port = undefined;
    const [host, p] = address.split(':');
    const s = connect(Number(p), host!);
    const refused = await new Promise<boolean>((resolve) => {
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
      s.once('connect', () => resolve(false));
    });
    s.destroy();
    expect(refused).toBe(true);
  });
});
