/**
 * The gRPC clients a listener uses, one per (service, address), so every partition's streams to
 * the same peer share one HTTP/2 connection. Clients accept large messages (one WAL entry can be
 * big) and send keepalives so a peer that vanished is noticed.
 */
import * as grpc from '@grpc/grpc-js';
import { rpcPackage, type ServiceName } from '../../../server/rpc/proto.ts';
import { channelCredentials, type TlsOptions } from '../../../server/rpc/tls.ts';
import { RPC_MESSAGE_BYTES_MAX } from './listener-limits.ts';

const CHANNEL_OPTIONS: Partial<grpc.ChannelOptions> = {
  'grpc.max_receive_message_length': RPC_MESSAGE_BYTES_MAX,
  'grpc.max_send_message_length': RPC_MESSAGE_BYTES_MAX,
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
};

/** A dynamic client: methods by name, as proto-loader made them. */
export type RpcClient = grpc.Client & Record<string, Function>;

export class RpcClients {
  private readonly clients = new Map<string, RpcClient>();

  /** `tls`: mutual TLS on every client made here; undefined = plaintext. */
  constructor(private readonly tls?: TlsOptions) {}

  get(service: ServiceName, address: string): RpcClient {
    const key = `${service} ${address}`;
    let client = this.clients.get(key);
    if (client === undefined) {
      const ctor = rpcPackage()[service] as grpc.ServiceClientConstructor;
      client = new ctor(address, channelCredentials(this.tls), CHANNEL_OPTIONS) as RpcClient;
      this.clients.set(key, client);
    }
    return client;
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}

/** A server-streaming call, ready to be read with `for await`. */
export function serverStream<Res>(client: RpcClient, method: string, request: object): grpc.ClientReadableStream<Res> {
  return client[method]!.call(client, request) as grpc.ClientReadableStream<Res>;
}
