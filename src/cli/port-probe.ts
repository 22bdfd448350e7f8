/**
 * Before a process binds anything, it looks whether each of its fixed ports can be bound, so that
 * a clash is one readable line naming the port and what it is for, not a library's error from
 * half-way through starting (gRPC's "No address added ..."). Port 0 (any free port) is skipped.
 * A port taken between the look and the bind still fails, with the library's error.
 */
import { createServer } from 'node:net';

export interface PortUse {
  readonly port: number;
  /** What listens there, e.g. `meta port`. */
  readonly what: string;
}

/** The first of `ports` that cannot be bound on `host` (taken or not allowed), with why. */
export async function firstUnavailablePort(host: string, ports: readonly PortUse[]): Promise<(PortUse & { code: string }) | undefined> {
  for (const use of ports) {
    if (use.port === 0) continue;
    const code = await new Promise<string | undefined>((resolve) => {
      const probe = createServer();
      probe.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      probe.listen({ host, port: use.port, exclusive: true }, () => probe.close(() => resolve(undefined)));
    });
    if (code !== undefined) return { ...use, code };
  }
  return undefined;
}

/** `<what> <port> on <host> is in use` for the first unavailable port, or undefined. */
export async function portClash(host: string, ports: readonly PortUse[]): Promise<string | undefined> {
  const busy = await firstUnavailablePort(host, ports);
  if (busy === undefined) return undefined;
  const why = busy.code === 'EADDRINUSE' ? 'is in use' : busy.code === 'EADDRNOTAVAIL' ? 'is not an address of this machine' : `cannot be bound (${busy.code})`;
  return busy.code === 'EADDRNOTAVAIL' ? `${host} ${why} (${busy.what} ${busy.port})` : `${busy.what} ${busy.port} on ${host} ${why}`;
}
