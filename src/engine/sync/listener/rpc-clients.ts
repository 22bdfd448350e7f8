/**
 * The gRPC clients a listener uses, one per (service, address), so every partition's streams to
 * the same peer share one HTTP/2 connection. Clients accept large messages (one WAL entry can be
 * big) and send keepalives so a peer that vanished is noticed.
 */
import * as grpc from '@grpc/grpc-js';
import { rpcPackage, type ServiceName } from '../../../server/rpc/proto.ts';
import { channelCredentials, type TlsOptions } from '../../../server/rpc/tls.ts';
import { RPC_MESSAGE_BYTES_MAX } from './listener-limits.ts';
import { ShipMuxCall, type ShipCallLike } from './ship-mux.ts';

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
  /** The ShipMany call to each drainer, replaced when it broke. */
  private readonly shipCalls = new Map<string, ShipMuxCall>();
  /** Drainers that answered ShipMany with UNIMPLEMENTED: a Ship call per partition there. */
  private readonly legacyDrainers = new Set<string>();

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

  /**
   * A Ship stream to the drainer at `address`: a virtual stream of the one ShipMany call this
   * listener keeps there (ship-mux.ts), or a Ship call of its own if the drainer has no ShipMany.
   */
  shipCall(address: string): ShipCallLike {
    let mux = this.shipCalls.get(address);
    if (mux !== undefined && mux.broken) {
      this.shipCalls.delete(address);
      if (mux.legacy) this.legacyDrainers.add(address);
      mux = undefined;
    }
    const client = this.get('Drainer', address);
    if (this.legacyDrainers.has(address)) return client['Ship']!.call(client) as grpc.ClientDuplexStream<never, never> & ShipCallLike;
    if (mux === undefined) {
      mux = new ShipMuxCall(client);
      this.shipCalls.set(address, mux);
    }
    return mux.open();
  }

  close(): void {
    for (const mux of this.shipCalls.values()) mux.close();
    this.shipCalls.clear();
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}

/** A server-streaming call, ready to be read with `for await`. */
export function serverStream<Res>(client: RpcClient, method: string, request: object): grpc.ClientReadableStream<Res> {
  return client[method]!.call(client, request) as grpc.ClientReadableStream<Res>;
}
