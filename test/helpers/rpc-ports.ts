/**
 * Internal gRPC ports opened by unit tests through the product's own port code (rpc-port.ts),
 * so that the tests meet the same bounds and TLS handling as the processes; `closeRpcPorts` cuts
 * every one still open (a peer going away, or the end of a test).
 */
import type * as grpc from '@grpc/grpc-js';
import { openRpcPort, type RpcPort } from '../../src/server/rpc/rpc-port.ts';
import type { TlsOptions } from '../../src/server/rpc/tls.ts';

const open: RpcPort[] = [];

/** Serve `server` on `address` (port 0 = any free one); answers the bound port. */
export async function bindRpc(server: grpc.Server, address: string, tls?: TlsOptions): Promise<number> {
  const port = await openRpcPort(server, address, tls);
  open.push(port);
  return port.port;
}

/** Stop every port opened by `bindRpc` and cut its connections now. */
export function closeRpcPorts(): void {
  for (const port of open.splice(0)) port.destroy();
}
