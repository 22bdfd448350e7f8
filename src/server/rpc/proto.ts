/**
 * Loads the internal RPC definitions (nebula_sync.proto) once, for servers and clients alike.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import { channelCredentials, type TlsOptions } from './tls.ts';

const PROTO_PATH = fileURLToPath(new URL('./nebula_sync.proto', import.meta.url));

let cached: grpc.GrpcObject | undefined;

/** The `nebula_sync` package: `.Meta` and `.Storage` service constructors. */
export function rpcPackage(): grpc.GrpcObject {
  if (cached === undefined) {
    const definition = protoLoader.loadSync(PROTO_PATH, {
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
    });
    cached = grpc.loadPackageDefinition(definition)['nebula_sync'] as grpc.GrpcObject;
  }
  return cached;
}

export type ServiceName = 'Meta' | 'Storage' | 'Drainer' | 'Listener';

export function serviceDefinition(name: ServiceName): grpc.ServiceDefinition {
  const ctor = rpcPackage()[name] as grpc.ServiceClientConstructor;
  return ctor.service;
}

/** A client of `name` at `address`: mutual TLS with `tls`, plaintext without (src/server/rpc/tls.ts). */
export function clientFor(name: ServiceName, address: string, tls?: TlsOptions): grpc.Client {
  const ctor = rpcPackage()[name] as grpc.ServiceClientConstructor;
  return new ctor(address, channelCredentials(tls));
}
